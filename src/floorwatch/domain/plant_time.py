"""Plant-local time: "today" and shifts are the facility's local time, never the server's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict


class LocalDay(BaseModel):
    """A plant-local calendar day as a half-open UTC-aware interval [start, end)."""

    model_config = ConfigDict(frozen=True)

    local_date: date
    start: datetime
    end: datetime


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown timezone {name[:80]!r}") from None


def is_loadable_zone(name: str) -> bool:
    """True when Python's zoneinfo loads `name` (what the monitor needs of a facility's zone;
    'Mars/Olympus' is not found, '../../../../etc/passwd' is refused as a path)."""
    try:
        zone(name)
    except ValueError:
        return False
    return True


def local_day(now: datetime, timezone: str) -> LocalDay:
    """The plant-local day containing `now` (DST-safe: a day may be 23 or 25 hours)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = zone(timezone)
    local = now.astimezone(tz).date()
    start = datetime.combine(local, time.min, tz)
    end = datetime.combine(local + timedelta(days=1), time.min, tz)
    return LocalDay(local_date=local, start=start, end=end)


def production_day(now: datetime, timezone: str, first_shift_start: time) -> date:
    """The plant's production day containing `now`: it begins at first_shift_start, plant-local
    (a night shift after midnight still belongs to the day its shift pattern started). This is
    the calculation_date of the shift running at `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    local = now.astimezone(zone(timezone)).replace(tzinfo=None)
    offset = timedelta(hours=first_shift_start.hour, minutes=first_shift_start.minute)
    return (local - offset).date()


# --- elapsed time across DST: a local day drawn as the UTC time it spans ---
# Python's aware arithmetic within one ZoneInfo is wall-clock arithmetic (`end - start` of the
# fall-back day is 24 h, and `start + 1 h 30` skips or repeats nothing): convert to UTC first.

SCAN_STEP = timedelta(minutes=15)  # zone transitions fall on quarter hours (UTC)


def elapsed(day: LocalDay) -> tuple[datetime, datetime]:
    """The day as UTC instants [start, end): 23, 24 or 25 hours apart."""
    return day.start.astimezone(UTC), day.end.astimezone(UTC)


def day_length(day: LocalDay) -> timedelta:
    start, end = elapsed(day)
    return end - start


def fraction_of_day(day: LocalDay, moment: datetime) -> float:
    """Where `moment` falls in the day by elapsed time: 0 at its start, 1 at its end."""
    start, _ = elapsed(day)
    return (moment.astimezone(UTC) - start) / day_length(day)


def slot_middles(day: LocalDay, slots: int) -> list[datetime]:
    """The UTC middles of `slots` equal slots of elapsed time over the day."""
    start, _ = elapsed(day)
    slot = day_length(day) / slots
    return [start + slot * i + slot / 2 for i in range(slots)]


def local_hour_start(day: LocalDay, hour: int, tz: tzinfo) -> datetime:
    """The first moment the clocks show `hour`:00 on the day (UTC)."""
    wall = datetime.combine(day.local_date, time(hour), tz)
    return wall.astimezone(UTC)


def repeated_spans(day: LocalDay) -> list[tuple[datetime, datetime]]:
    """The stretches of the day whose local clock times were already shown earlier that day
    (the second 01:00-02:00 of a fall-back day), as UTC [start, end)."""
    start, end = elapsed(day)
    tz = day.start.tzinfo
    spans = []
    moment = start
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + SCAN_STEP
        next_offset = following.astimezone(tz).utcoffset()
        if offset is not None and next_offset is not None and next_offset < offset:
            spans.append((following, following + (offset - next_offset)))
        offset = next_offset
        moment = following
    return spans


def is_ambiguous(moment: datetime, tz: tzinfo) -> bool:
    """The local clock time of `moment` occurs twice (in the repeated hour of a fall-back)."""
    local = moment.astimezone(tz)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def utc_offset_text(moment: datetime, tz: tzinfo) -> str:
    """'-04', '-05', '+0530': the UTC offset the local clock had at `moment`."""
    offset = moment.astimezone(tz).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}" + (f"{mins:02d}" if mins else "")


def clock_text(moment: datetime, tz: tzinfo, fmt: str = "%H:%M") -> str:
    """The local clock time, with its UTC offset where that clock time is ambiguous
    ('01:20 -04' and '01:20 -05' on a fall-back night; '14:05' otherwise)."""
    text = moment.astimezone(tz).strftime(fmt)
    if is_ambiguous(moment, tz):
        text += " " + utc_offset_text(moment, tz)
    return text
