"""OEE arithmetic (domain/oee.py): hand-computed cases and hypothesis properties.

Conventions the code follows, pinned here:
* availability and quality are ratios in [0, 1];
* performance is NOT clamped: beating the rated speed gives P > 1, and then OEE may exceed 1
  (shown as it is, e.g. 120 %);
* nothing planned (planned time 0) gives OEE None, never a division error; planned time that
  produced nothing gives OEE 0;
* aggregates sum times and counts first, then divide (never a mean of percentages).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from floorwatch.domain.models import Quantities
from floorwatch.domain.oee import OeeTotals, as_percent, sum_totals

D = Decimal


# ---------------------------------------------------------------------------------------------
# Hand-computed single periods


def test_perfect_shift_is_100_percent() -> None:
    # 480 min planned, no downtime, ICT 1 s, 480*60 = 28800 pieces all good
    t = OeeTotals.of_period(
        planned_minutes=480, downtime_minutes=0, produced=28800, good=28800,
        ideal_cycle_time_seconds=1,
    )  # fmt: skip
    assert t.runtime_minutes == D(480)
    assert t.availability == D(1)
    assert t.performance == D(1)
    assert t.quality == D(1)
    assert t.oee == D(1)
    assert as_percent(t.oee) == D("100.00")


def test_typical_shift_by_hand() -> None:
    # planned 480, downtime 48 -> runtime 432; A = 432/480 = 0.9
    # ICT 2 s, produced 11664: P = 2*11664 / (432*60) = 23328/25920 = 0.9
    # good 10497.6 would be Q 0.9 -> use good 10498: Q = 10498/11664
    # OEE = ICT*good/PBT = 2*10498/(480*60) = 20996/28800 = 0.72902777...
    t = OeeTotals.of_period(
        planned_minutes=480, downtime_minutes=48, produced=11664, good=10498,
        ideal_cycle_time_seconds=2,
    )  # fmt: skip
    assert t.availability == D("0.9")
    assert t.performance == D("0.9")
    assert as_percent(t.quality) == D("90.00")  # 10498/11664 = 0.900034...
    assert as_percent(t.oee) == D("72.90")
    assert t.downtime_minutes == D(48)


def test_oee_is_product_of_a_p_q() -> None:
    t = OeeTotals.of_period(
        planned_minutes=D("437.5"), downtime_minutes=D("62.25"), produced=7321, good=6999,
        ideal_cycle_time_seconds=D("2.75"),
    )  # fmt: skip
    assert t.availability is not None and t.performance is not None and t.quality is not None
    assert t.oee == t.availability * t.performance * t.quality
    # and it reduces to ICT * good / PBT: 2.75 * 6999 / (437.5 * 60) = 19247.25 / 26250
    assert abs(t.oee - D("19247.25") / D("26250")) < D("1e-20")


def test_performance_above_100_percent_is_not_clamped() -> None:
    # runtime 60 min, ICT 1 s -> 3600 ideal pieces; 4320 produced, all good
    # P = 4320/3600 = 1.2, A = 1, Q = 1 -> OEE = 1.2 (120 %)
    t = OeeTotals.of_period(
        planned_minutes=60, downtime_minutes=0, produced=4320, good=4320,
        ideal_cycle_time_seconds=1,
    )  # fmt: skip
    assert t.performance == D("1.2")
    assert t.oee == D("1.2")
    assert as_percent(t.performance) == D("120.00")


def test_zero_planned_time_gives_none_not_an_error() -> None:
    t = OeeTotals.of_period(
        planned_minutes=0, downtime_minutes=0, produced=0, good=0, ideal_cycle_time_seconds=1
    )
    assert t.availability is None
    assert t.performance is None
    assert t.quality is None
    assert t.oee is None
    assert as_percent(t.oee) is None
    assert OeeTotals().oee is None


def test_planned_but_nothing_produced_is_zero() -> None:
    # 120 min planned, all of it down: A = 0, OEE 0 (not None: time was planned)
    down = OeeTotals.of_period(
        planned_minutes=120, downtime_minutes=120, produced=0, good=0, ideal_cycle_time_seconds=1
    )
    assert down.availability == 0
    assert down.performance is None
    assert down.oee == 0
    # running but producing nothing: Q undefined, OEE 0
    idle = OeeTotals.of_period(
        planned_minutes=120, downtime_minutes=0, produced=0, good=0, ideal_cycle_time_seconds=1
    )
    assert idle.availability == 1
    assert idle.performance == 0
    assert idle.quality is None
    assert idle.oee == 0


def test_downtime_above_planned_is_clamped_to_zero_runtime() -> None:
    t = OeeTotals.of_period(
        planned_minutes=30, downtime_minutes=45, produced=0, good=0, ideal_cycle_time_seconds=1
    )
    assert t.runtime_minutes == 0
    assert t.availability == 0


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        OeeTotals(produced=-1)
    with pytest.raises(ValueError):
        OeeTotals(planned_minutes=D(-1))


# ---------------------------------------------------------------------------------------------
# Aggregation: sum times and counts, then divide


def test_aggregate_oee_is_not_the_mean_of_percentages() -> None:
    # Shift 1: planned 480, no downtime, ICT 1 s, 28800 produced, all good -> OEE 100 %
    s1 = OeeTotals.of_period(
        planned_minutes=480, downtime_minutes=0, produced=28800, good=28800,
        ideal_cycle_time_seconds=1,
    )  # fmt: skip
    # Shift 2: planned 60, downtime 30 -> A 0.5; 900 produced in 30 min (1800 ideal) -> P 0.5;
    # good 450 -> Q 0.5; OEE 0.125 (12.5 %)
    s2 = OeeTotals.of_period(
        planned_minutes=60, downtime_minutes=30, produced=900, good=450,
        ideal_cycle_time_seconds=1,
    )  # fmt: skip
    assert s1.oee == D(1)
    assert s2.oee == D("0.125")
    mean_of_percentages = D("56.25")  # (100 + 12.5) / 2
    total = sum_totals([s1, s2])
    # planned 540, runtime 510, produced 29700, good 29250, ideal 29700 s
    assert total.planned_minutes == D(540)
    assert total.runtime_minutes == D(510)
    assert total.produced == 29700
    assert total.good == 29250
    assert total.ideal_seconds == D(29700)
    # OEE = ICT*good/PBT = 29250 / (540*60) = 29250/32400 = 0.90277... -> 90.28 %
    assert as_percent(total.oee) == D("90.28")
    assert as_percent(total.oee) != mean_of_percentages
    # A = 510/540 = 94.44 %, P = 29700/30600 = 97.06 %, Q = 29250/29700 = 98.48 %
    assert as_percent(total.availability) == D("94.44")
    assert as_percent(total.performance) == D("97.06")
    assert as_percent(total.quality) == D("98.48")


def test_sum_of_empty_list_is_zero_totals() -> None:
    assert sum_totals([]) == OeeTotals()


def test_aggregate_with_different_ideal_cycle_times() -> None:
    # press A: ICT 0.5 s, 60 min run, 7200 produced (ideal 3600 s), 7000 good
    # folder B: ICT 2 s, 60 min run, 1500 produced (ideal 3000 s), 1500 good
    a = OeeTotals.of_period(
        planned_minutes=60, downtime_minutes=0, produced=7200, good=7000,
        ideal_cycle_time_seconds=D("0.5"),
    )  # fmt: skip
    b = OeeTotals.of_period(
        planned_minutes=60, downtime_minutes=0, produced=1500, good=1500,
        ideal_cycle_time_seconds=2,
    )  # fmt: skip
    total = a + b
    # ideal 6600 s over 120 min runtime (7200 s): P = 6600/7200 = 0.91666...
    assert total.ideal_seconds == D(6600)
    assert as_percent(total.performance) == D("91.67")
    # Q = 8500/8700 = 0.977011...; A = 1; OEE = 0.916666... * 0.977011... = 0.895593...
    assert as_percent(total.quality) == D("97.70")
    assert as_percent(total.oee) == D("89.56")


# ---------------------------------------------------------------------------------------------
# as_percent: half-up rounding


@pytest.mark.parametrize(
    ("ratio", "places", "expected"),
    [
        (D("0.123450"), 2, D("12.35")),  # half-up, not banker's (12.34)
        (D("0.123449"), 2, D("12.34")),
        (D("0.00125"), 2, D("0.13")),
        (D("0.00005"), 2, D("0.01")),
        (D("0.00004999"), 2, D("0.00")),
        (D("0.5"), 2, D("50.00")),
        (D("1.2"), 2, D("120.00")),
        (D("0.12345"), 1, D("12.3")),
        (D("0.12355"), 1, D("12.4")),
        (D("0.125"), 0, D("13")),  # 12.5 -> 13 (banker's would give 12)
        (D("0.145"), 0, D("15")),  # 14.5 -> 15 (banker's would give 14)
        (D(0), 2, D("0.00")),
    ],
)
def test_as_percent_rounds_half_up(ratio: Decimal, places: int, expected: Decimal) -> None:
    got = as_percent(ratio, places)
    assert got == expected
    assert got is not None and got.as_tuple().exponent == -places


def test_as_percent_none() -> None:
    assert as_percent(None) is None


# ---------------------------------------------------------------------------------------------
# Quantities (produced = good + scrap + rework)


def test_quantities_yield_and_scrap_rate() -> None:
    q = Quantities(good=900, scrap=60, rework=40)
    assert q.produced == 1000
    assert q.yield_ratio == D("0.9")
    assert q.scrap_rate == D("0.06")
    empty = Quantities()
    assert empty.produced == 0
    assert empty.yield_ratio is None
    assert empty.scrap_rate is None


# ---------------------------------------------------------------------------------------------
# Properties

minutes = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)
ict = st.decimals(min_value=D("0.01"), max_value=60, places=2)


@st.composite
def periods(draw: st.DrawFn, cycle_time: Decimal | None = None) -> OeeTotals:
    planned = draw(minutes)
    downtime = draw(st.decimals(min_value=0, max_value=planned, places=2))
    runtime = planned - downtime
    # pieces need run time; allow up to 150 % of rated speed (performance above 100 %)
    c = cycle_time if cycle_time is not None else draw(ict)
    max_pieces = int(runtime * 60 / c * D("1.5")) if runtime > 0 else 0
    produced = draw(st.integers(min_value=0, max_value=max_pieces))
    good = draw(st.integers(min_value=0, max_value=produced))
    return OeeTotals.of_period(
        planned_minutes=planned,
        downtime_minutes=downtime,
        produced=produced,
        good=good,
        ideal_cycle_time_seconds=c,
    )


@given(periods())
def test_ratio_bounds(t: OeeTotals) -> None:
    if t.planned_minutes == 0:
        assert t.oee is None
        return
    assert t.availability is not None and 0 <= t.availability <= 1
    if t.quality is not None:
        assert 0 <= t.quality <= 1
    if t.performance is not None:
        assert t.performance >= 0  # may exceed 1: not clamped
        assert t.performance <= D("1.5") + D("1e-20")
    assert t.oee is not None and t.oee >= 0
    if t.performance is not None and t.performance <= 1:
        assert t.oee <= 1


@given(periods())
def test_oee_equals_a_times_p_times_q(t: OeeTotals) -> None:
    a, p, q = t.availability, t.performance, t.quality
    if a is None:
        assert t.oee is None
    elif a == 0 or p is None or q is None:
        assert t.oee == 0
    else:
        assert t.oee == a * p * q
    if t.planned_minutes > 0 and t.produced > 0:
        # for one period with one cycle time OEE reduces to ideal time of good pieces / PBT
        per_piece = t.ideal_seconds / t.produced
        expected = per_piece * t.good / (t.planned_minutes * 60)
        assert t.oee is not None and abs(t.oee - expected) < D("1e-18")


@given(st.lists(periods(), max_size=6))
def test_sum_totals_is_the_field_wise_sum(parts: list[OeeTotals]) -> None:
    total = sum_totals(parts)
    assert total.planned_minutes == sum((p.planned_minutes for p in parts), D(0))
    assert total.runtime_minutes == sum((p.runtime_minutes for p in parts), D(0))
    assert total.produced == sum(p.produced for p in parts)
    assert total.good == sum(p.good for p in parts)
    assert total.ideal_seconds == sum((p.ideal_seconds for p in parts), D(0))
    # order does not matter
    assert sum_totals(list(reversed(parts))) == total


@settings(max_examples=200)
@given(ict.flatmap(lambda c: st.tuples(st.just(c), st.lists(periods(c), min_size=1, max_size=5))))
def test_sum_of_parts_equals_totals_of_the_sum(case: tuple[Decimal, list[OeeTotals]]) -> None:
    """Same cycle time: adding the periods' totals = one period of the summed times and counts,
    and its OEE is the planned-time weighted mean of the parts' OEE (between min and max)."""
    cycle, parts = case
    total = sum_totals(parts)
    merged = OeeTotals.of_period(
        planned_minutes=sum((p.planned_minutes for p in parts), D(0)),
        downtime_minutes=sum((p.downtime_minutes for p in parts), D(0)),
        produced=sum(p.produced for p in parts),
        good=sum(p.good for p in parts),
        ideal_cycle_time_seconds=cycle,
    )
    assert total == merged
    judged = [p for p in parts if p.oee is not None]
    if total.oee is None:
        assert judged == []
        return
    weighted = sum((p.oee * p.planned_minutes for p in judged), D(0)) / total.planned_minutes
    assert abs(total.oee - weighted) < D("1e-18")
    eps = D("1e-18")
    assert min(p.oee for p in judged) - eps <= total.oee <= max(p.oee for p in judged) + eps


@given(st.decimals(min_value=0, max_value=2, places=6))
def test_as_percent_is_within_half_a_unit(ratio: Decimal) -> None:
    got = as_percent(ratio)
    assert got is not None
    assert abs(got - ratio * 100) <= D("0.005")
    # exactly half a unit always rounds up
    if (ratio * 100 - got).copy_abs() == D("0.005"):
        assert got > ratio * 100
