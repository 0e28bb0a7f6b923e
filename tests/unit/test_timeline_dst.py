"""Time across DST: the fall-back day of a facility in America/New_York (2026-11-01: the
clocks go from 01:59 EDT, UTC-4, back to 01:00 EST, UTC-5, at 06:00 UTC, so 01:00-02:00
happens twice). The day is 25 hours of elapsed time; the timeline is drawn on that, the
repeated hour is marked, and ambiguous clock times carry their UTC offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from floorwatch.domain.models import EquipmentState, StatusChange
from floorwatch.domain.plant_time import (
    clock_text,
    day_length,
    is_ambiguous,
    local_day,
    repeated_spans,
    slot_middles,
    utc_offset_text,
)
from floorwatch.ui.drilldown.state_history import change_rows
from floorwatch.ui.drilldown.timeline import timeline
from floorwatch.ui.format import by_name

NY = ZoneInfo("America/New_York")
FALL_BACK = local_day(datetime(2026, 11, 1, 12, tzinfo=UTC), "America/New_York")


def utc(h: int, m: int = 0) -> datetime:
    return datetime(2026, 11, 1, h, m, tzinfo=UTC)


def change(status: EquipmentState, start: datetime, end: datetime | None) -> StatusChange:
    return StatusChange(
        status=status,
        previous_status=None,
        status_start=start,
        status_end=end,
        reason_code=None,
        reason_description=None,
        production_run_number=None,
    )


# The DST fixture: running from 00:00 EDT (04:00 UTC) through the first 01:00-02:00 (EDT) to
# 06:00 UTC, a make-ready (SETUP) in the second 01:00-02:00 (EST, 06:00-07:00 UTC), then a
# breakdown from 07:00 UTC (02:00 EST) on.
CHANGES = [
    change(EquipmentState.BREAKDOWN, utc(7), None),
    change(EquipmentState.SETUP, utc(6), utc(7)),
    change(EquipmentState.PRODUCTIVE, utc(4), utc(6)),
]


def test_the_fall_back_day_is_25_hours_with_one_repeated_hour() -> None:
    assert day_length(FALL_BACK) == timedelta(hours=25)
    # the second 01:00-02:00 (EST) is 06:00-07:00 UTC
    assert repeated_spans(FALL_BACK) == [(utc(6), utc(7))]
    spring = local_day(datetime(2026, 3, 8, 12, tzinfo=UTC), "America/New_York")
    assert day_length(spring) == timedelta(hours=23) and repeated_spans(spring) == []


def test_slots_are_equal_in_elapsed_time() -> None:
    # 25 slots of a 25-hour day: one per elapsed hour, middles at hh:30 UTC from 04:30
    middles = slot_middles(FALL_BACK, 25)
    assert middles[0] == utc(4, 30) and middles[-1] == utc(4, 30) + timedelta(hours=24)
    assert middles[1] == utc(5, 30) and middles[2] == utc(6, 30)


def test_ambiguous_times_carry_their_offset() -> None:
    first, second = utc(5, 20), utc(6, 20)  # both 01:20 on the plant's clocks
    assert is_ambiguous(first, NY) and is_ambiguous(second, NY)
    assert clock_text(first, NY) == "01:20 -04" and clock_text(second, NY) == "01:20 -05"
    assert not is_ambiguous(utc(7, 20), NY) and clock_text(utc(7, 20), NY) == "02:20"
    assert utc_offset_text(utc(12), ZoneInfo("Asia/Kolkata")) == "+0530"


def test_the_timeline_keeps_the_repeated_hour_and_marks_it() -> None:
    now = utc(8)  # 03:00 EST
    text = timeline(CHANGES, FALL_BACK, now, 25, look=by_name, ascii_only=True).plain
    bar, scale, mark = text.split("\n")
    # one character per elapsed hour from 00:00 EDT (04:00 UTC): RUN, RUN (the first
    # 01:00-02:00), SETUP (the second 01:00-02:00), DOWN (02:00-03:00 EST), then the future
    assert bar[:4] == ">>*X" and bar[4:] == "." * 21
    # 06:00 local (EST) is 11:00 UTC, 7 elapsed hours after the day's start
    assert scale.startswith("00") and scale[7:9] == "06"
    # the second 01:00-02:00 (slot 2) is marked, with its offset
    assert mark == "  ^ again, UTC-05"  # what fits in 25 characters
    wide = timeline(CHANGES, FALL_BACK, now, 50, look=by_name, ascii_only=True).plain
    assert wide.split("\n")[2] == "    ^^ 01:00-02:00 again, UTC-05"  # 2 slots an hour


def test_the_make_ready_in_the_repeated_hour_is_drawn_at_any_width() -> None:
    """On wall-clock slots (24 h from 00:00 local, the old drawing) the second 01:00-02:00
    had no slot at all and its make-ready vanished; on elapsed time it is there."""
    for width in (24, 25, 50, 76):
        bar = timeline(CHANGES, FALL_BACK, utc(8), width, look=by_name, ascii_only=True).plain
        assert "*" in bar.split("\n")[0], width


def test_the_change_list_shows_the_offset_of_ambiguous_times() -> None:
    changes = [
        change(EquipmentState.PRODUCTIVE, utc(6, 20), utc(7)),
        change(EquipmentState.SETUP, utc(5, 20), utc(6, 20)),
        change(EquipmentState.PRODUCTIVE, utc(7, 20), None),
    ]
    rows = change_rows(changes, utc(8), NY, look=by_name, ascii_only=True)
    starts = [str(cells["start"]) for _, cells in rows]
    assert starts == ["01:20 -05", "01:20 -04", "02:20"]
