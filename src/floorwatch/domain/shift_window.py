"""The facility's shifts as windows of time: the current one, the one before, `2026-11-02/2`.

Shift N of production day D starts at D + first_shift_start + (N - 1) x shift_length_hours on
the plant's wall clock and lasts shift_length_hours of wall clock (so a shift over a DST change
is an hour shorter or longer): the pattern the simulator writes and an adopted ERP's periods
follow (adopt V002). Shift 1 of day D starts the production day D (plant_time.production_day)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, ConfigDict

from floorwatch.domain.models import Scope
from floorwatch.domain.plant_time import production_day, zone

_REF = re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{1,2})")


class ShiftWindow(BaseModel):
    """Shift `number` of production day `local_date`: [start, end) in UTC."""

    model_config = ConfigDict(frozen=True)

    local_date: date
    number: int
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """`2026-11-02/2`: how `floorwatch report --shift` names it."""
        return f"{self.local_date.isoformat()}/{self.number}"

    def until(self, now: datetime) -> datetime:
        """Where the window's figures stop: its end, or now while it runs."""
        return max(self.start, min(self.end, now))

    def is_closed(self, now: datetime) -> bool:
        return now >= self.end


def shifts_per_day(scope: Scope) -> int:
    return 24 // scope.shift_length_hours


def shift_of(day: date, number: int, scope: Scope) -> ShiftWindow:
    """Shift `number` (1-based) of production day `day`; ValueError when the pattern has no
    such shift."""
    per_day = shifts_per_day(scope)
    if not 1 <= number <= per_day:
        raise ValueError(f"shift {number} does not exist: the facility has shifts 1-{per_day}")
    tz = zone(scope.timezone)
    base = datetime.combine(day, scope.first_shift_start)
    hours = scope.shift_length_hours

    def at(k: int) -> datetime:
        return (base + timedelta(hours=k * hours)).replace(tzinfo=tz).astimezone(UTC)

    return ShiftWindow(local_date=day, number=number, start=at(number - 1), end=at(number))


def shift_at(now: datetime, scope: Scope) -> ShiftWindow:
    """The shift running at `now`."""
    day = production_day(now, scope.timezone, scope.first_shift_start)
    for number in range(1, shifts_per_day(scope) + 1):
        window = shift_of(day, number, scope)
        if now < window.end:
            return window
    return shift_of(day + timedelta(days=1), 1, scope)  # a DST-shortened day's last instants


def previous_shift(window: ShiftWindow, scope: Scope) -> ShiftWindow:
    if window.number > 1:
        return shift_of(window.local_date, window.number - 1, scope)
    return shift_of(window.local_date - timedelta(days=1), shifts_per_day(scope), scope)


def next_shift(window: ShiftWindow, scope: Scope) -> ShiftWindow:
    if window.number < shifts_per_day(scope):
        return shift_of(window.local_date, window.number + 1, scope)
    return shift_of(window.local_date + timedelta(days=1), 1, scope)


def parse_shift(text: str, now: datetime, scope: Scope) -> ShiftWindow:
    """`current`, `previous` or `YYYY-MM-DD/N`; ValueError with a one-line reason otherwise
    (also for a shift that has not started yet at `now`)."""
    current = shift_at(now, scope)
    if text == "current":
        return current
    if text == "previous":
        return previous_shift(current, scope)
    match = _REF.fullmatch(text)
    if match is None:
        raise ValueError(f"--shift {text[:40]!r}: give current, previous or YYYY-MM-DD/N")
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(f"--shift {text[:40]!r}: no such date") from None
    window = shift_of(day, int(match.group(2)), scope)
    if window.start > now:
        raise ValueError(f"--shift {window.key} has not started yet")
    return window


def day_window(day: date, scope: Scope) -> tuple[datetime, datetime]:
    """Production day `day`: from its first shift's start to the next day's."""
    return shift_of(day, 1, scope).start, shift_of(day + timedelta(days=1), 1, scope).start
