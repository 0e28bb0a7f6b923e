"""Properties of the six losses and the Pareto (domain/losses.py), and shift windows."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floorwatch.domain.losses import STOPS, StateMinutes, losses_of, pareto, state_times
from floorwatch.domain.models import EquipmentState, Scope
from floorwatch.domain.shift_window import parse_shift, previous_shift, shift_at, shift_of

WC = uuid.UUID(int=1)
minutes = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
state_rows = st.lists(
    st.builds(
        StateMinutes,
        work_center_id=st.just(WC),
        status=st.sampled_from(list(EquipmentState)),
        reason_code=st.sampled_from([None, "FEED", "WEB", "MR", "PLATE"]),
        reason_description=st.none(),
        small=st.booleans(),
        minutes=minutes,
        stops=st.integers(1, 50),
    ),
    max_size=30,
)


@given(
    rows=state_rows,
    ict=st.decimals(min_value="0.1", max_value=20, places=2),
    good=st.integers(0, 50_000),
    scrap=st.integers(0, 5_000),
    rework=st.integers(0, 5_000),
)
def test_six_losses_and_fully_productive_time_are_the_planned_time(
    rows: list[StateMinutes], ict: D, good: int, scrap: int, rework: int
) -> None:
    times = state_times(rows)
    losses = losses_of(
        times,
        ideal_produced_s=ict * (good + scrap + rework),
        ideal_good_s=ict * good,
        ideal_rework_s=ict * rework,
    )
    assert abs(losses.total + losses.fully_productive - times.planned) < D("1e-20")
    assert times.planned + times.planned_down == sum((r.minutes for r in rows), D(0))


@given(rows=state_rows)
def test_pareto_shares_add_up_to_the_whole(rows: list[StateMinutes]) -> None:
    entries = pareto(rows)
    stop_minutes = sum((r.minutes for r in rows if r.status in STOPS), D(0))
    if stop_minutes == 0:
        assert entries == []
        return
    assert abs(sum((e.share for e in entries), D(0)) - 1) < D("1e-20")
    assert entries[-1].cumulative == 1
    assert [e.minutes for e in entries] == sorted((e.minutes for e in entries), reverse=True)
    assert sum((e.minutes for e in entries), D(0)) == stop_minutes


BERLIN = Scope(
    tenant_id=uuid.UUID(int=1), tenant_code="T", tenant_name="T", facility_id=uuid.UUID(int=2),
    facility_code="F", facility_name="F", timezone="Europe/Berlin", first_shift_start=time(6),
    shift_length_hours=8,
)  # fmt: skip


def test_shift_windows_and_references() -> None:
    # 02:30 Berlin (01:30 UTC) on 3 Nov: still the night shift of production day 2 Nov
    now = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
    night = shift_at(now, BERLIN)
    assert night.key == "2026-11-02/3"
    assert (night.start, night.end) == (
        datetime(2026, 11, 2, 21, tzinfo=UTC), datetime(2026, 11, 3, 5, tzinfo=UTC),
    )  # fmt: skip
    assert previous_shift(night, BERLIN).key == "2026-11-02/2"
    assert previous_shift(shift_of(date(2026, 11, 2), 1, BERLIN), BERLIN).key == "2026-11-01/3"
    assert parse_shift("previous", now, BERLIN).key == "2026-11-02/2"
    # the night the clocks go back (25 Oct, 03:00 CEST -> 02:00 CET): 22:00 CEST to 06:00 CET
    dst = parse_shift("2026-10-24/3", now, BERLIN)
    assert (dst.start, dst.end) == (
        datetime(2026, 10, 24, 20, tzinfo=UTC), datetime(2026, 10, 25, 5, tzinfo=UTC),
    )  # fmt: skip


@pytest.mark.parametrize(
    "text, message",
    [
        ("yesterday", "give current, previous or YYYY-MM-DD/N"),
        ("2026-02-30/1", "no such date"),
        ("2026-11-02/4", "shift 4 does not exist: the facility has shifts 1-3"),
        ("2026-11-04/1", "2026-11-04/1 has not started yet"),
    ],
)
def test_bad_shift_references(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shift(text, datetime(2026, 11, 3, 1, 30, tzinfo=UTC), BERLIN)
