"""Plant-local time: "today" and shifts are the facility's local time, never the server's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
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
