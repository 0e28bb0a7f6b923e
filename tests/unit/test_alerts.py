"""Alert rules (domain/alerts.py): stable keys, severities, thresholds and their boundaries."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from floorwatch.domain.alerts import (
    AlertRules,
    DownFact,
    OeeFact,
    ScrapFact,
    down_alert,
    evaluate,
    high_scrap_alert,
    low_oee_alert,
)
from floorwatch.domain.models import (
    AlertKind,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    Quantities,
    RunStatus,
    Severity,
)
from floorwatch.domain.oee import OeeBand, OeeTotals, oee_band
from floorwatch.ui.format import oee_look

D = Decimal
RULES = AlertRules()
WC = uuid.UUID("00000000-0000-0000-0000-0000000000c1")
LOG = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
RUN = uuid.UUID("00000000-0000-0000-0000-0000000000b1")
T0 = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def down(
    status: EquipmentState, start: datetime = T0, end: datetime | None = None, **kw: object
) -> DownFact:
    return DownFact(
        log_id=LOG,
        work_center_id=WC,
        work_center_code="PRESS-01",
        status=status,
        status_start=start,
        status_end=end,
        **kw,  # type: ignore[arg-type]
    )


def oee_fact(
    good: int,
    *,
    planned: int = 100,
    target: str = "85",
    start: datetime = T0,
    end: datetime | None = None,
    produced: int | None = None,
) -> OeeFact:
    # ICT 1 s, no downtime: OEE = good / (planned * 60)
    produced = good if produced is None else produced
    return OeeFact(
        work_center_id=WC,
        work_center_code="PRESS-01",
        calculation_date=date(2025, 3, 10),
        shift="A",
        period_start=start,
        period_end=end or start + timedelta(hours=8),
        totals=OeeTotals.of_period(
            planned_minutes=planned,
            downtime_minutes=0,
            produced=produced,
            good=good,
            ideal_cycle_time_seconds=1,
        ),
        target_oee_percentage=D(target),
    )


def scrap_fact(
    good: int,
    scrap: int,
    rework: int = 0,
    *,
    status: RunStatus = RunStatus.IN_PROGRESS,
    end: datetime | None = None,
) -> ScrapFact:
    return ScrapFact(
        run_id=RUN,
        production_run_number="RUN-0001",
        work_center_id=WC,
        work_center_code="PRESS-01",
        status=status,
        actual_start=T0,
        actual_end=end,
        quantities=Quantities(good=good, scrap=scrap, rework=rework),
    )


# ---------------------------------------------------------------------------------------------
# Equipment down


def test_breakdown_is_critical_from_the_first_second() -> None:
    a = down_alert(
        down(EquipmentState.BREAKDOWN, reason_description="web break"), T0 + minutes(0), RULES
    )
    assert a is not None
    assert a.kind == AlertKind.EQUIPMENT_DOWN
    assert a.severity == Severity.CRITICAL
    assert a.key == f"EQUIPMENT_DOWN:{LOG}"
    assert a.started_at == T0
    assert a.active and a.resolved_at is None
    assert a.detail == DownDetail(state=EquipmentState.BREAKDOWN, reason="web break")
    assert a.work_center_id == WC and a.work_center_code == "PRESS-01"


def test_closed_breakdown_is_resolved_at_its_end() -> None:
    end = T0 + minutes(42)
    a = down_alert(down(EquipmentState.BREAKDOWN, end=end), T0 + minutes(90), RULES)
    assert a is not None
    assert a.resolved_at == end
    assert not a.active
    assert a.detail == DownDetail(state=EquipmentState.BREAKDOWN, reason=None)


@pytest.mark.parametrize("state", [EquipmentState.NO_OPERATOR, EquipmentState.NO_MATERIAL])
def test_waits_warn_from_exactly_the_threshold(state: EquipmentState) -> None:
    # default wait_warning_minutes = 15: pending until then, firing from exactly 15 minutes
    pending = down_alert(down(state), T0 + minutes(14.99), RULES)
    assert pending is not None and pending.pending_at(T0 + minutes(14.99))
    assert pending.fires_at == T0 + minutes(15)
    at = down_alert(down(state), T0 + minutes(15), RULES)
    assert at is not None and not at.pending_at(T0 + minutes(15))
    assert at.severity == Severity.WARNING
    assert at.detail == DownDetail(state=state)
    assert at.started_at == T0
    later = down_alert(down(state), T0 + minutes(300), RULES)
    assert later is not None and later.key == at.key


def test_a_short_closed_wait_never_alerts() -> None:
    fact = down(EquipmentState.NO_MATERIAL, end=T0 + minutes(10))
    assert down_alert(fact, T0 + minutes(120), RULES) is None
    long_closed = down(EquipmentState.NO_MATERIAL, end=T0 + minutes(20))
    a = down_alert(long_closed, T0 + minutes(120), RULES)
    assert a is not None and a.resolved_at == T0 + minutes(20)


@pytest.mark.parametrize(
    "state",
    [EquipmentState.PRODUCTIVE, EquipmentState.SETUP, EquipmentState.PLANNED_DOWNTIME],
)
def test_productive_setup_and_planned_downtime_are_not_down(state: EquipmentState) -> None:
    assert down_alert(down(state), T0 + minutes(600), RULES) is None


def test_wait_threshold_is_configurable() -> None:
    rules = AlertRules(wait_warning_minutes=0)
    assert down_alert(down(EquipmentState.NO_OPERATOR), T0, rules) is not None


# ---------------------------------------------------------------------------------------------
# Low OEE


def test_oee_exactly_at_target_only_holds_a_firing_alert() -> None:
    # 5100 good in 100 planned minutes at ICT 1 s: 5100/6000 = 85.00 % = target: inside the
    # hysteresis band (up to target + 2 points, 87 % = 5220 good), above it nothing
    held = low_oee_alert(oee_fact(5100), T0 + minutes(100), RULES)
    assert held is not None and held.holds_only
    assert held.detail.resolve_above_pct == 87  # type: ignore[union-attr]
    assert low_oee_alert(oee_fact(5220), T0 + minutes(100), RULES).holds_only  # type: ignore[union-attr]
    assert low_oee_alert(oee_fact(5221), T0 + minutes(100), RULES) is None


def test_oee_just_below_target_warns() -> None:
    # 5099/6000 = 84.983 %: below 85, gap 0.017 < 15
    a = low_oee_alert(oee_fact(5099), T0 + minutes(100), RULES)
    assert a is not None
    assert a.severity == Severity.WARNING
    assert a.kind == AlertKind.LOW_OEE
    assert a.key == f"LOW_OEE:{WC}:2025-03-10:A"
    assert a.started_at == T0
    assert a.active and not a.holds_only
    assert (a.detail.kind, a.detail.shift, a.detail.target_pct) == (AlertKind.LOW_OEE, "A", 85)
    assert a.detail.oee_pct.quantize(D("0.0001")) == D("84.9833")  # 5099 / 6000


def test_oee_gap_exactly_at_critical_gap_is_critical() -> None:
    # 4200/6000 = 70.00 %: gap exactly 15 points -> critical
    a = low_oee_alert(oee_fact(4200), T0 + minutes(100), RULES)
    assert a is not None and a.severity == Severity.CRITICAL
    # 4201/6000 = 70.0167 %: gap 14.98 -> warning
    b = low_oee_alert(oee_fact(4201), T0 + minutes(100), RULES)
    assert b is not None and b.severity == Severity.WARNING
    assert a.key == b.key  # same condition, same key whatever the value


def test_low_oee_needs_enough_planned_time() -> None:
    # default oee_min_planned_minutes = 60: 59 planned minutes are not judged, 60 are
    assert low_oee_alert(oee_fact(0, planned=59), T0 + minutes(59), RULES) is None
    a = low_oee_alert(oee_fact(0, planned=60), T0 + minutes(60), RULES)
    assert a is not None and a.severity == Severity.CRITICAL


def test_no_oee_alert_without_planned_time() -> None:
    rules = AlertRules(oee_min_planned_minutes=0)
    assert low_oee_alert(oee_fact(0, planned=0), T0, rules) is None


def test_low_oee_of_a_finished_shift_is_resolved_at_its_end() -> None:
    end = T0 + timedelta(hours=8)
    fact = oee_fact(3000, end=end)
    assert low_oee_alert(fact, end - minutes(1), RULES).resolved_at is None  # type: ignore[union-attr]
    a = low_oee_alert(fact, end, RULES)
    assert a is not None and a.resolved_at == end


def test_low_oee_uses_the_rows_target() -> None:
    # 60 % against a 50 % target: fine; against 65 %: warning (gap 5)
    assert low_oee_alert(oee_fact(3600, target="50"), T0, RULES) is None
    assert low_oee_alert(oee_fact(3600, target="59"), T0, RULES).holds_only  # type: ignore[union-attr]
    a = low_oee_alert(oee_fact(3600, target="65"), T0, RULES)
    assert a is not None and a.severity == Severity.WARNING


# ---------------------------------------------------------------------------------------------
# High scrap


def test_no_scrap_alert_when_nothing_produced() -> None:
    rules = AlertRules(scrap_min_pieces=1)
    assert high_scrap_alert(scrap_fact(0, 0), T0, rules) is None
    assert high_scrap_alert(scrap_fact(0, 0), T0, RULES) is None


def test_scrap_needs_minimum_pieces() -> None:
    # 99 produced with 50 % scrap: below scrap_min_pieces (100)
    assert high_scrap_alert(scrap_fact(50, 49), T0, RULES) is None


def test_scrap_thresholds_are_inclusive() -> None:
    # 100 produced: 3 % none, 4 % only holds a firing alert (the 1-point band), 5 % warning
    # (exactly at threshold), 9 % warning, 10 % critical
    assert high_scrap_alert(scrap_fact(97, 3), T0, RULES) is None
    held = high_scrap_alert(scrap_fact(96, 4), T0, RULES)
    assert held is not None and held.holds_only
    w = high_scrap_alert(scrap_fact(95, 5), T0, RULES)
    assert w is not None and w.severity == Severity.WARNING and not w.holds_only
    assert w.key == f"HIGH_SCRAP:{RUN}"
    assert w.detail == HighScrapDetail(
        production_run_number="RUN-0001",
        scrap_pct=D(5),
        scrap=5,
        produced=100,
        resolve_below_pct=D(4),
    )
    assert (w.value, w.threshold) == (D(5), D(5))
    assert high_scrap_alert(scrap_fact(91, 9), T0, RULES).severity == Severity.WARNING  # type: ignore[union-attr]
    c = high_scrap_alert(scrap_fact(90, 10), T0, RULES)
    assert c is not None and c.severity == Severity.CRITICAL
    assert c.key == w.key


def test_rework_counts_in_produced() -> None:
    # good 85 + scrap 5 + rework 10 = 100 produced; scrap 5 % -> warning
    a = high_scrap_alert(scrap_fact(85, 5, 10), T0, RULES)
    assert a is not None and a.severity == Severity.WARNING
    # without rework it would be 5/90 = 5.6 %: still warning; with 100 rework, 5/190 = 2.6 %
    assert high_scrap_alert(scrap_fact(85, 5, 100), T0, RULES) is None


def test_scrap_alert_resolves_when_run_completes() -> None:
    end = T0 + timedelta(hours=2)
    open_ = high_scrap_alert(scrap_fact(80, 20), T0 + timedelta(hours=1), RULES)
    done = high_scrap_alert(
        scrap_fact(80, 20, status=RunStatus.COMPLETED, end=end), end + minutes(5), RULES
    )
    assert open_ is not None and done is not None
    assert open_.resolved_at is None and done.resolved_at == end
    assert open_.started_at == done.started_at == T0
    assert open_.key == done.key


def test_scrap_thresholds_are_configurable() -> None:
    rules = AlertRules(scrap_warning_pct=2, scrap_critical_pct=3, scrap_min_pieces=10)
    a = high_scrap_alert(scrap_fact(17, 3), T0, rules)  # 3 of 20 = 15 %
    assert a is not None and a.severity == Severity.CRITICAL
    assert high_scrap_alert(scrap_fact(98, 2), T0, rules).severity == Severity.WARNING  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------
# evaluate: all rules, order, stable keys


def test_evaluate_orders_active_first_then_newest() -> None:
    now = T0 + timedelta(hours=9)
    old_down = DownFact(
        log_id=uuid.UUID(int=1), work_center_id=WC, work_center_code="PRESS-01",
        status=EquipmentState.BREAKDOWN, status_start=T0, status_end=T0 + minutes(30),
    )  # fmt: skip
    new_down = DownFact(
        log_id=uuid.UUID(int=2), work_center_id=WC, work_center_code="PRESS-01",
        status=EquipmentState.BREAKDOWN, status_start=T0 + timedelta(hours=8),
        status_end=None,
    )  # fmt: skip
    shift = oee_fact(3000)  # T0 .. T0+8h, over at now -> resolved
    run = scrap_fact(80, 20)  # active since T0
    alerts = evaluate(down=[old_down, new_down], oee=[shift], scrap=[run], now=now, rules=RULES)
    assert [a.key for a in alerts] == [
        f"EQUIPMENT_DOWN:{uuid.UUID(int=2)}",  # active, started T0+8h
        f"HIGH_SCRAP:{RUN}",  # active, started T0
        f"EQUIPMENT_DOWN:{uuid.UUID(int=1)}",  # resolved, started T0
        f"LOW_OEE:{WC}:2025-03-10:A",  # resolved, started T0: same start, ordered by key
    ]
    assert [a.active for a in alerts] == [True, True, False, False]


def test_evaluate_with_nothing_is_empty() -> None:
    assert evaluate(down=[], oee=[], scrap=[], now=T0, rules=RULES) == []


def test_rules_reject_unknown_keys() -> None:
    with pytest.raises(ValueError):
        AlertRules(scrap_warnin_pct=5)  # type: ignore[call-arg]


# ---------------------------------------------------------------------------------------------
# Properties


@given(
    good=st.integers(0, 5000),
    scrap=st.integers(0, 5000),
    rework=st.integers(0, 5000),
    later=st.integers(0, 10_000),
)
def test_scrap_severity_follows_the_rate(good: int, scrap: int, rework: int, later: int) -> None:
    fact = scrap_fact(good, scrap, rework)
    a = high_scrap_alert(fact, T0 + minutes(later), RULES)
    produced = good + scrap + rework
    if produced < 100 or scrap * 100 < 4 * produced:
        assert a is None
        return
    assert a is not None
    assert a.holds_only == (scrap * 100 < 5 * produced)
    assert a.key == f"HIGH_SCRAP:{RUN}"  # never depends on values or time
    expected = Severity.CRITICAL if scrap * 100 >= 10 * produced else Severity.WARNING
    assert a.severity == expected


@given(good=st.integers(0, 6000), later=st.integers(0, 1000), target=st.integers(0, 100))
def test_oee_severity_follows_the_gap(good: int, later: int, target: int) -> None:
    # OEE % = good / 60 (100 planned minutes, ICT 1 s); compare in integers: 60 * points
    a = low_oee_alert(oee_fact(good, target=str(target)), T0 + minutes(later), RULES)
    if good > 60 * (target + 2):
        assert a is None
        return
    assert a is not None
    assert a.holds_only == (good >= 60 * target)
    assert a.key == f"LOW_OEE:{WC}:2025-03-10:A"
    gap_times_60 = 60 * target - good
    expected = Severity.CRITICAL if gap_times_60 >= 60 * 15 else Severity.WARNING
    assert a.severity == expected


def test_down_alert_is_as_of_now() -> None:
    """Replaying an earlier `now`: a breakdown that ends later is still active then, and a wait
    is judged by the minutes up to `now` (as low-OEE alerts already are by period end)."""
    fact = down(EquipmentState.BREAKDOWN, end=T0 + minutes(60))
    during = down_alert(fact, T0 + minutes(30), RULES)
    assert during is not None and during.active
    after = down_alert(fact, T0 + minutes(60), RULES)
    assert after is not None and after.resolved_at == T0 + minutes(60)
    wait = down(EquipmentState.NO_OPERATOR, end=T0 + minutes(40))
    pending = down_alert(wait, T0 + minutes(10), RULES)  # 10 min so far
    assert pending is not None and pending.pending_at(T0 + minutes(10))
    early = down_alert(wait, T0 + minutes(20), RULES)
    assert early is not None and early.active  # 20 min so far, still waiting


def test_scrap_alert_of_a_run_completed_after_now_is_still_active() -> None:
    end = T0 + timedelta(hours=2)
    fact = scrap_fact(80, 20, status=RunStatus.COMPLETED, end=end)
    during = high_scrap_alert(fact, end - minutes(1), RULES)
    assert during is not None and during.active
    assert high_scrap_alert(fact, end, RULES).resolved_at == end  # type: ignore[union-attr]


def test_the_band_and_the_alert_read_the_same_configured_critical_gap() -> None:
    """[alerts] oee_critical_gap_pct = 10: an OEE 12 points under its target is critical on
    screen (its band, hence its colour) and in the alert log; with the default 15 it is below
    target but not critical in both."""
    # 4380 good in 100 planned minutes at an ideal 1 s each: OEE = 4380 / 6000 = 73 %, 12 under 85
    fact = oee_fact(4380)
    oee, target = fact.totals.oee, fact.target_oee_percentage
    assert oee == Decimal("0.73") and target == Decimal(85)
    tight = AlertRules(oee_critical_gap_pct=10)
    assert oee_band(oee, target, tight.oee_critical_gap_pct) is OeeBand.CRITICAL
    assert oee_look(oee, target, tight.oee_critical_gap_pct) == "band--critical"
    alert = low_oee_alert(fact, T0 + minutes(100), tight)
    assert alert is not None and alert.severity == Severity.CRITICAL

    assert oee_band(oee, target, RULES.oee_critical_gap_pct) is OeeBand.BELOW
    assert oee_look(oee, target, RULES.oee_critical_gap_pct) == "band--warning"
    alert = low_oee_alert(fact, T0 + minutes(100), RULES)
    assert alert is not None and alert.severity == Severity.WARNING


def test_the_band_edges_are_the_alerts_edges() -> None:
    # exactly 15 points under (70 % against 85) is critical, as the alert says; at the target
    # it is on target (no alert); 0.01 point under it is below
    assert oee_band(Decimal("0.70"), Decimal(85), 15) is OeeBand.CRITICAL
    assert oee_band(Decimal("0.7001"), Decimal(85), 15) is OeeBand.BELOW
    assert oee_band(Decimal("0.85"), Decimal(85), 15) is OeeBand.ON_TARGET
    assert oee_band(Decimal("0.8499"), Decimal(85), 15) is OeeBand.BELOW
    assert oee_band(None, Decimal(85), 15) is None
    assert oee_band(Decimal("0.5"), None, 15) is None
