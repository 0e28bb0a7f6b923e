"""AlertLog.next_change: the earliest moment after now at which the log changes by the clock
alone (a pending alert starts firing, an unacknowledged warning escalates, a mute ends), worked
out by hand from the alerts' times."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from floorwatch.domain.alert_log import Ack, AlertLog, AlertStatus, Mute
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import Alert, DownDetail, EquipmentState, Severity

WC = uuid.UUID(int=0xA1)
OTHER_WC = uuid.UUID(int=0xA2)


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 11, 2, hh, mm, ss, tzinfo=UTC)


def wait(
    key: str,
    started: datetime,
    fires: datetime | None,
    *,
    wc: uuid.UUID = WC,
    resolved: datetime | None = None,
) -> Alert:
    """A no-operator wait: a warning, pending until `fires`."""
    return Alert(
        key=key,
        severity=Severity.WARNING,
        work_center_id=wc,
        work_center_code="OFF-01",
        detail=DownDetail(state=EquipmentState.NO_OPERATOR),
        started_at=started,
        fires_at=fires,
        resolved_at=resolved,
    )


def breakdown(key: str, started: datetime, fires: datetime | None = None) -> Alert:
    """A critical alert: it never escalates."""
    return wait(key, started, fires).model_copy(update={"severity": Severity.CRITICAL})


def test_the_earliest_pending_alert_to_fire() -> None:
    log = AlertLog(rules=AlertRules(escalate_minutes=0))
    now = at(10, 0)
    log.update(
        [
            breakdown("late", at(9, 57), fires=at(10, 12)),
            breakdown("early", at(9, 52), fires=at(10, 7)),
        ],
        now,
    )
    assert [log.status(a) for a in log.entries()] == [AlertStatus.PENDING] * 2
    assert log.next_change(now) == at(10, 7)
    # once 10:07 has passed (polled then), the other one is next
    log.update(
        [
            breakdown("late", at(9, 57), fires=at(10, 12)),
            breakdown("early", at(9, 52), fires=at(10, 7)),
        ],
        at(10, 7, 1),
    )
    assert log.next_change(at(10, 7, 1)) == at(10, 12)


def test_a_firing_unacknowledged_warning_escalates_at_its_moment() -> None:
    # fired at 10:00 (started 9:45, `for` 15 min), escalate_minutes 60: critical at 11:00
    log = AlertLog(rules=AlertRules(escalate_minutes=60))
    alert = wait("w", at(9, 45), fires=at(10, 0))
    now = at(10, 20)
    log.update([alert], now)
    assert log.status(alert) is AlertStatus.FIRING
    assert log.next_change(now) == at(11, 0)
    # polled at 11:00 it has escalated; nothing else is due
    log.update([alert], at(11, 0))
    [entry] = log.entries()
    assert entry.escalated and entry.severity is Severity.CRITICAL
    assert log.next_change(at(11, 0)) is None


def test_a_pending_warning_fires_before_it_can_escalate() -> None:
    log = AlertLog(rules=AlertRules(escalate_minutes=60))
    now = at(10, 0)
    log.update([wait("w", at(9, 50), fires=at(10, 5))], now)
    assert log.next_change(now) == at(10, 5)
    log.update([wait("w", at(9, 50), fires=at(10, 5))], at(10, 6))
    assert log.next_change(at(10, 6)) == at(11, 5)  # 60 min after it started firing


def test_an_acknowledged_warning_never_escalates() -> None:
    log = AlertLog(acknowledged={"w": Ack(at=at(10, 1), by="kim")})
    now = at(10, 20)
    log.update([wait("w", at(9, 45), fires=at(10, 0))], now)
    assert log.next_change(now) is None


def test_a_mute_ends_and_only_then_can_its_warning_escalate() -> None:
    log = AlertLog(
        mutes={WC: Mute(until=at(10, 40), by="kim", at=at(10, 10))},
        rules=AlertRules(escalate_minutes=15),
    )
    alert = wait("w", at(9, 45), fires=at(10, 0))  # would escalate at 10:15, but muted
    now = at(10, 20)
    log.update([alert], now)
    assert log.status(alert) is AlertStatus.MUTED
    assert log.next_change(now) == at(10, 40)
    # the mute over (polled at 10:40), the warning escalates with that poll: nothing is due
    log.update([alert], at(10, 40))
    assert log.status(alert) is AlertStatus.FIRING and log.entries()[0].escalated
    assert log.next_change(at(10, 40)) is None


def test_a_mute_ending_counts_for_a_work_center_without_alerts_too() -> None:
    log = AlertLog(mutes={OTHER_WC: Mute(until=at(10, 30), by="kim", at=at(10, 0))})
    log.update([], at(10, 5))
    assert log.next_change(at(10, 5)) == at(10, 30)


def test_nothing_due_is_none() -> None:
    log = AlertLog()
    assert log.next_change(at(10, 0)) is None  # no poll yet
    log.update([breakdown("firing", at(9, 0))], at(10, 0))  # firing critical: nothing to come
    assert log.next_change(at(10, 0)) is None
    # a resolved alert changes nothing by the clock (it is not pending, it cannot escalate)
    log.update([wait("gone", at(8, 0), fires=at(8, 15), resolved=at(9, 0))], at(10, 1))
    assert log.next_change(at(10, 1)) is None


def test_moments_at_or_before_now_are_ignored() -> None:
    log = AlertLog(rules=AlertRules(escalate_minutes=0))
    log.update([breakdown("p", at(9, 55), fires=at(10, 5))], at(10, 0))
    assert log.next_change(at(10, 0)) == at(10, 5)
    # asked later than the poll (the same log): 10:05 is not after now, so not due; nothing is
    assert log.next_change(at(10, 5)) is None
    assert log.next_change(at(10, 6)) is None
    # a mute ending at 10:03: due when asked before it, past after it
    log.mute(WC, Mute(until=at(10, 3), by="kim", at=at(10, 0)))
    assert log.next_change(at(10, 1)) == at(10, 3)
    assert log.next_change(at(10, 3)) == at(10, 5)
    assert log.next_change(at(10, 6)) is None
