"""domain/reliability.py by hand: MTBF and MTTR per breakdown, TEEP = OEE x loading."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from floorwatch.domain.oee import OeeTotals
from floorwatch.domain.reliability import Reliability

# 480 planned, 400 run, 24,000 pieces at 1 s (400 min ideal), 23,000 good:
# A = 400 / 480, P = 1, Q = 23 / 24: OEE = 23,000 / 28,800
TOTALS = OeeTotals(
    planned_minutes=D(480), runtime_minutes=D(400), produced=24_000, good=23_000,
    ideal_seconds=D(24_000),
)  # fmt: skip


def test_per_breakdown_and_teep_by_hand() -> None:
    r = Reliability(
        days=7, calendar_minutes=D(10_080), failures=4, repair_minutes=D(80),
        productive_minutes=D(1_000), oee=TOTALS,
    )  # fmt: skip
    assert (r.mtbf_minutes, r.mttr_minutes) == (250, 20)
    assert r.loading == D(480) / 10_080
    assert r.teep == D(23_000) / 28_800 * (D(480) / 10_080)


@given(
    failures=st.integers(0, 500),
    calendar=st.integers(0, 50_000),
    planned=st.integers(0, 50_000),
)
def test_teep_is_never_above_oee_while_loading_is_at_most_one(
    failures: int, calendar: int, planned: int
) -> None:
    totals = OeeTotals(planned_minutes=D(planned), runtime_minutes=D(planned))
    r = Reliability(
        days=7, calendar_minutes=D(calendar), failures=failures, repair_minutes=D(0),
        productive_minutes=D(0), oee=totals,
    )  # fmt: skip
    assert (r.mtbf_minutes is None) == (failures == 0)
    if calendar == 0:
        assert r.loading is None and r.teep is None
    elif r.teep is not None and r.oee.oee is not None and planned <= calendar:
        assert r.teep <= r.oee.oee
