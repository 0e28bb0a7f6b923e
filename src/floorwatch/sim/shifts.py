"""Plant-local shift calendar: shift boundaries as UTC epoch seconds (DST-safe)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Shift:
    start: int  # epoch seconds, inclusive
    end: int  # epoch seconds, exclusive
    local_date: date  # plant-local date of the shift start (calculation_date)
    label: str  # "1", "2", ... in the order of the day


class ShiftCalendar:
    """Consecutive shifts of `hours` starting at `first_start` local time every day.

    A shift whose local wall-clock span crosses a DST change is an hour shorter or longer."""

    def __init__(self, timezone: str, first_start: time, hours: int) -> None:
        self.tz = ZoneInfo(timezone)
        self.first_start = first_start
        self.hours = hours
        self.per_day = 24 // hours
        self._starts: list[int] = []
        self._shifts: list[Shift] = []
        self._first_day: date | None = None
        self._cached: Shift | None = None

    def _day_starts(self, day: date) -> list[tuple[int, date, str]]:
        base = datetime.combine(day, self.first_start)
        return [
            (
                int((base + timedelta(hours=k * self.hours)).replace(tzinfo=self.tz).timestamp()),
                day,
                str(k + 1),
            )
            for k in range(self.per_day)
        ]

    def _build(self, first: date, last: date) -> None:
        starts: list[tuple[int, date, str]] = []
        day = first
        while day <= last + timedelta(days=1):
            starts.extend(self._day_starts(day))
            day += timedelta(days=1)
        self._shifts = [
            Shift(s, starts[i + 1][0], d, label) for i, (s, d, label) in enumerate(starts[:-1])
        ]
        self._starts = [s.start for s in self._shifts]
        self._first_day, self._last_day = first, last

    def at(self, t: int) -> Shift:
        """The shift containing epoch second `t`."""
        c = self._cached
        if c is not None and c.start <= t < c.end:
            return c
        if not self._starts or t < self._starts[0] or t >= self._shifts[-1].end:
            local = datetime.fromtimestamp(t, self.tz).date()
            first = local - timedelta(days=2)
            last = local + timedelta(days=30)
            if self._starts and self._first_day is not None:
                first = min(first, self._first_day)
                last = max(last, self._last_day)
            self._build(first, last)
        i = bisect.bisect_right(self._starts, t) - 1
        self._cached = self._shifts[i]
        return self._cached

    def next_start(self, t: int) -> int:
        """The first shift start at or after `t`."""
        s = self.at(t)
        return t if s.start == t else s.end
