"""The alert lifecycle (domain/alert_log.py over domain/alerts.py): pending until `for`,
hysteresis, re-opening, escalation, mutes, and the reading order."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from floorwatch.domain.alert_log import (
    Ack,
    AlertLog,
    AlertStatus,
    Mute,
    Transition,
)
from floorwatch.domain.alerts import (
    AlertRules,
    DownFact,
    OeeFact,
    ScrapFact,
    evaluate,
)
from floorwatch.domain.models import EquipmentState, Quantities, RunStatus, Severity
from floorwatch.domain.oee import OeeTotals

T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
WC = uuid.UUID(int=0xC1)
OTHER_WC = uuid.UUID(int=0xC2)
RULES = AlertRules()


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def down(
    log: int,
    state: EquipmentState,
    start: float,
    end: float | None = None,
    wc: uuid.UUID = WC,
) -> DownFact:
    return DownFact(
        log_id=uuid.UUID(int=log),
        work_center_id=wc,
        work_center_code="OFF-01",
        status=state,
        status_start=at(start),
        status_end=None if end is None else at(end),
    )


def oee(good: int) -> OeeFact:
    """100 planned minutes, ICT 1 s, nothing lost: OEE = good / 6000; target 85 %."""
    return OeeFact(
        work_center_id=WC,
        work_center_code="OFF-01",
        calculation_date=date(2026, 11, 2),
        shift="1",
        period_start=T0,
        period_end=at(480),
        totals=OeeTotals.of_period(
            planned_minutes=100,
            downtime_minutes=0,
            produced=good,
            good=good,
            ideal_cycle_time_seconds=1,
        ),
        target_oee_percentage=Decimal(85),
    )


def scrap(scrapped: int, of: int = 1000) -> ScrapFact:
    return ScrapFact(
        run_id=uuid.UUID(int=0xB1),
        production_run_number="RUN-1",
        work_center_id=WC,
        work_center_code="OFF-01",
        status=RunStatus.IN_PROGRESS,
        actual_start=T0,
        actual_end=None,
        quantities=Quantities(good=of - scrapped, scrap=scrapped, rework=0),
    )


def poll(
    log: AlertLog,
    now: datetime,
    *,
    down_facts: list[DownFact] = (),  # type: ignore[assignment]
    oee_facts: list[OeeFact] = (),  # type: ignore[assignment]
    scrap_facts: list[ScrapFact] = (),  # type: ignore[assignment]
    rules: AlertRules = RULES,
) -> list[Transition]:
    alerts = evaluate(
        down=list(down_facts), oee=list(oee_facts), scrap=list(scrap_facts), now=now, rules=rules
    )
    return [e.transition for e in log.update(alerts, now)]


def statuses(log: AlertLog) -> list[tuple[str, AlertStatus]]:
    return [(a.key, log.status(a)) for a in log.entries()]


# --- hysteresis -------------------------------------------------------------------------------


# 84 % .. 87 %: crossing the firing threshold (85 %) and staying up to the resolve threshold
@given(st.lists(st.integers(84 * 60, 87 * 60), min_size=1, max_size=30))
def test_oee_oscillating_inside_the_band_gives_one_alert(goods: list[int]) -> None:
    log = AlertLog()
    started = 0
    for i, good in enumerate([84 * 60, *goods]):  # it first goes below the target
        transitions = poll(log, at(100 + i), oee_facts=[oee(good)])
        started += transitions.count(Transition.FIRING)
        [entry] = log.entries()
        assert log.status(entry) is AlertStatus.FIRING  # never resolved inside the band
        assert entry.reopened == 0
    assert started == 1


@given(st.lists(st.integers(85 * 60, 87 * 60), min_size=1, max_size=30))
def test_inside_the_band_from_the_start_is_no_alert(goods: list[int]) -> None:
    log = AlertLog()
    for i, good in enumerate(goods):
        assert poll(log, at(100 + i), oee_facts=[oee(good)]) == []
    assert log.entries() == []


def test_oee_resolves_above_the_band_and_reopens_the_same_alert() -> None:
    log = AlertLog()
    assert poll(log, at(100), oee_facts=[oee(5000)]) == [Transition.FIRING]  # 83.3 %
    assert poll(log, at(101), oee_facts=[oee(5221)]) == []  # 87.02 %: above the band
    [resolved] = log.entries()
    assert log.status(resolved) is AlertStatus.RESOLVED and resolved.resolved_at == at(101)
    assert poll(log, at(102), oee_facts=[oee(5200)]) == []  # 86.7 %: in the band, stays resolved
    assert poll(log, at(103), oee_facts=[oee(5090)]) == [Transition.FIRING]  # 84.8 %
    [again] = log.entries()
    assert again.key == resolved.key and again.reopened == 1 and again.started_at == T0


def test_scrap_hysteresis() -> None:
    log = AlertLog()
    poll(log, at(10), scrap_facts=[scrap(50)])  # 5 %: fires
    poll(log, at(11), scrap_facts=[scrap(41)])  # 4.1 %: held (resolves below 4 %)
    assert [s for _, s in statuses(log)] == [AlertStatus.FIRING]
    [held] = log.entries()
    assert held.value == Decimal("4.1") and held.holds_only
    poll(log, at(12), scrap_facts=[scrap(39)])  # 3.9 %: resolved
    assert [s for _, s in statuses(log)] == [AlertStatus.RESOLVED]


# --- for --------------------------------------------------------------------------------------


@given(
    wait_for=st.integers(0, 60),
    start=st.integers(0, 120),
    polls=st.lists(st.integers(0, 240), min_size=1, max_size=20),
    end=st.one_of(st.none(), st.integers(0, 240)),
)
def test_nothing_fires_before_its_for(
    wait_for: int, start: int, polls: list[int], end: int | None
) -> None:
    rules = AlertRules(wait_warning_minutes=wait_for)
    log = AlertLog(rules=rules)
    end_at = None if end is None else start + end
    fact = down(1, EquipmentState.NO_OPERATOR, start, end_at)
    for minute in sorted(polls):
        if minute < start:
            continue  # the row is not there yet
        now = at(minute)
        transitions = poll(log, now, down_facts=[fact], rules=rules)
        for entry in log.entries():
            if log.status(entry) is AlertStatus.FIRING:
                assert now >= at(start + wait_for)
        if Transition.FIRING in transitions:
            assert now >= at(start + wait_for)


def test_a_wait_is_pending_then_firing() -> None:
    log = AlertLog()
    fact = down(1, EquipmentState.NO_MATERIAL, 0)
    assert poll(log, at(14), down_facts=[fact]) == []
    [entry] = log.entries()
    assert log.status(entry) is AlertStatus.PENDING and log.new() == []
    assert log.state().active() == 0
    assert poll(log, at(15), down_facts=[fact]) == [Transition.FIRING]
    assert [s for _, s in statuses(log)] == [AlertStatus.FIRING]


# --- re-opening -------------------------------------------------------------------------------


def test_a_breakdown_again_within_the_window_reopens_the_first() -> None:
    # 10:00-10:20 down, 10:29 down again (9 min later), then 10:50 (21 min after 10:29 ended)
    facts = [
        down(1, EquipmentState.BREAKDOWN, 0, 20),
        down(2, EquipmentState.BREAKDOWN, 29, 30),
        down(3, EquipmentState.BREAKDOWN, 51),
    ]
    log = AlertLog()
    poll(log, at(60), down_facts=facts)
    by_key = {a.key: a for a in log.entries()}
    first = by_key[f"EQUIPMENT_DOWN:{uuid.UUID(int=1)}"]
    assert first.reopened == 1 and first.started_at == at(0) and first.resolved_at == at(30)
    assert set(by_key) == {first.key, f"EQUIPMENT_DOWN:{uuid.UUID(int=3)}"}
    assert by_key[f"EQUIPMENT_DOWN:{uuid.UUID(int=3)}"].active


def test_only_the_same_state_and_work_center_reopen() -> None:
    facts = [
        down(1, EquipmentState.BREAKDOWN, 0, 20),
        down(2, EquipmentState.NO_OPERATOR, 25, 50),
        down(3, EquipmentState.BREAKDOWN, 21, wc=OTHER_WC),
    ]
    log = AlertLog()
    poll(log, at(60), down_facts=facts)
    assert len(log.entries()) == 3 and all(a.reopened == 0 for a in log.entries())


def test_a_wait_that_never_fired_is_not_reopened() -> None:
    # a 10-minute wait (never fired: for is 15) then another: two rows, the first no alert
    facts = [down(1, EquipmentState.NO_OPERATOR, 0, 10), down(2, EquipmentState.NO_OPERATOR, 12)]
    log = AlertLog()
    poll(log, at(20), down_facts=facts)
    [entry] = log.entries()
    assert entry.key.endswith(str(uuid.UUID(int=2))) and log.status(entry) is AlertStatus.PENDING


def test_a_wait_after_a_fired_wait_fires_at_once() -> None:
    facts = [down(1, EquipmentState.NO_OPERATOR, 0, 20), down(2, EquipmentState.NO_OPERATOR, 25)]
    log = AlertLog()
    poll(log, at(26), down_facts=facts)
    [entry] = log.entries()
    assert entry.reopened == 1 and log.status(entry) is AlertStatus.FIRING


# --- escalation, acknowledgement, mutes ---------------------------------------------------------


def test_an_unacknowledged_warning_escalates_once() -> None:
    log = AlertLog()
    fact = down(1, EquipmentState.NO_OPERATOR, 0)  # fires at 15, escalates at 15 + 60
    assert poll(log, at(15), down_facts=[fact]) == [Transition.FIRING]
    assert poll(log, at(74), down_facts=[fact]) == []
    assert log.entries()[0].severity is Severity.WARNING
    assert poll(log, at(75), down_facts=[fact]) == [Transition.ESCALATED]
    [entry] = log.entries()
    assert entry.severity is Severity.CRITICAL and entry.escalated
    assert poll(log, at(76), down_facts=[fact]) == []  # once
    log.acknowledge([entry.key], Ack(at=at(77), by="anna"))
    poll(log, at(78), down_facts=[fact])
    assert log.entries()[0].severity is Severity.CRITICAL  # stays escalated


def test_an_acknowledged_warning_does_not_escalate() -> None:
    fact = down(1, EquipmentState.NO_OPERATOR, 0)
    log = AlertLog({f"EQUIPMENT_DOWN:{uuid.UUID(int=1)}": Ack(at=at(16), by="anna")})
    assert poll(log, at(16), down_facts=[fact]) == []  # acknowledged: no news
    assert poll(log, at(120), down_facts=[fact]) == []
    [entry] = log.entries()
    assert entry.severity is Severity.WARNING and log.status(entry) is AlertStatus.ACKNOWLEDGED
    assert log.state().acks[entry.key].by == "anna"


def test_escalation_can_be_turned_off() -> None:
    rules = AlertRules(escalate_minutes=0)
    log = AlertLog(rules=rules)
    fact = down(1, EquipmentState.NO_OPERATOR, 0)
    poll(log, at(15), down_facts=[fact], rules=rules)
    assert poll(log, at(600), down_facts=[fact], rules=rules) == []
    assert log.entries()[0].severity is Severity.WARNING


def test_a_muted_work_center_shows_no_new_alert_until_the_mute_ends() -> None:
    log = AlertLog(mutes={WC: Mute(until=at(30), by="anna", at=at(0))})
    facts = [
        down(1, EquipmentState.BREAKDOWN, 5),
        down(2, EquipmentState.BREAKDOWN, 5, wc=OTHER_WC),
    ]
    assert poll(log, at(10), down_facts=facts) == [Transition.FIRING]  # the other one only
    assert {a.work_center_id: log.status(a) for a in log.entries()} == {
        WC: AlertStatus.MUTED,
        OTHER_WC: AlertStatus.FIRING,
    }
    assert log.new_work_centers() == {OTHER_WC}
    assert poll(log, at(29), down_facts=facts) == []
    assert poll(log, at(30), down_facts=facts) == [Transition.FIRING]  # the mute has ended
    assert log.new_work_centers() == {WC, OTHER_WC}


def test_reading_order_firing_pending_muted_resolved() -> None:
    log = AlertLog(mutes={OTHER_WC: Mute(until=at(999), by="", at=at(0))})
    facts = [
        down(1, EquipmentState.BREAKDOWN, 0, 5),  # resolved
        down(2, EquipmentState.NO_OPERATOR, 20),  # pending at 30 (fires at 35)
        down(3, EquipmentState.BREAKDOWN, 16),  # firing (16 min after 1 ended: not re-opened)
        down(4, EquipmentState.BREAKDOWN, 25, wc=OTHER_WC),  # muted
        down(5, EquipmentState.NO_MATERIAL, 1),  # firing since 16, older
    ]
    poll(log, at(30), down_facts=facts)
    assert [(a.key[-1], s) for a, (_, s) in zip(log.entries(), statuses(log), strict=True)] == [
        ("3", AlertStatus.FIRING),
        ("5", AlertStatus.FIRING),
        ("2", AlertStatus.PENDING),
        ("4", AlertStatus.MUTED),
        ("1", AlertStatus.RESOLVED),
    ]
    assert log.state().active() == 2
