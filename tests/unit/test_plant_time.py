"""Plant-local days and production days (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from floorwatch.domain.plant_time import local_day, production_day


def test_night_shift_after_midnight_belongs_to_the_previous_production_day() -> None:
    # Berlin is UTC+1 in November: 03:00 UTC is 04:00 local, before the 06:00 first shift
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert local_day(now, "Europe/Berlin").local_date == date(2026, 11, 29)
    assert production_day(now, "Europe/Berlin", time(6, 0)) == date(2026, 11, 28)
    # 05:00 UTC is 06:00 local: the first shift of the 29th has begun
    assert production_day(now + timedelta(hours=2), "Europe/Berlin", time(6, 0)) == date(
        2026, 11, 29
    )


def test_far_from_utc() -> None:
    # 2026-11-29 20:00 UTC is 2026-11-30 05:00 in Tokyo: before a 05:30 first shift
    now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)
    assert production_day(now, "Asia/Tokyo", time(5, 30)) == date(2026, 11, 29)
    assert production_day(now, "Asia/Tokyo", time(0, 0)) == date(2026, 11, 30)


@given(
    minutes=st.integers(0, 60 * 24 * 800),
    start=st.times(),
)
def test_production_day_is_the_local_date_or_the_day_before(minutes: int, start: time) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    first = time(start.hour, start.minute)
    local = local_day(now, "America/Chicago").local_date
    day = production_day(now, "America/Chicago", first)
    assert day in (local, local - timedelta(days=1))
    local_time = now.astimezone(local_day(now, "America/Chicago").start.tzinfo).time()
    assert (day == local) == (local_time >= first)
