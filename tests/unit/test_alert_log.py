"""The monitor's alert log: new until acknowledged, resolved when no longer reported, bounded."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from floorwatch.domain.alert_log import KEEP_RESOLVED, MAX_ENTRIES, AlertLog, AlertLogState
from floorwatch.domain.models import Alert, DownDetail, EquipmentState, Severity

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
WC = uuid.UUID(int=1)


def alert(key: str, started: datetime = T0, resolved: datetime | None = None) -> Alert:
    return Alert(
        key=key,
        severity=Severity.CRITICAL,
        work_center_id=WC,
        work_center_code="OFF-01",
        detail=DownDetail(state=EquipmentState.BREAKDOWN),
        started_at=started,
        resolved_at=resolved,
    )


def test_new_until_acknowledged_and_only_once_fresh() -> None:
    log = AlertLog()
    assert [e.alert.key for e in log.update([alert("a")], T0)] == ["a"]
    assert log.update([alert("a")], T0) == []  # seen before: not fresh again
    assert log.new_work_centers() == {WC}
    assert log.acknowledge(["a", "a"]) == ["a"]
    assert log.new() == [] and log.new_work_centers() == set()


def test_acknowledged_keys_from_an_earlier_run_are_not_new() -> None:
    log = AlertLog(acknowledged=["a"])
    fresh = log.update([alert("a"), alert("b")], T0)
    assert [e.alert.key for e in fresh] == [a.key for a in log.new()] == ["b"]


def test_an_alert_no_longer_reported_is_resolved_then_dropped() -> None:
    log = AlertLog()
    log.update([alert("a")], T0)
    later = T0 + timedelta(minutes=5)
    log.update([], later)
    [entry] = log.entries()
    assert entry.resolved_at == later and log.new() == []
    log.update([], later + KEEP_RESOLVED - timedelta(seconds=1))
    assert len(log.entries()) == 1
    log.update([], later + KEEP_RESOLVED + timedelta(seconds=1))
    assert log.entries() == []


def test_active_first_then_newest_first() -> None:
    log = AlertLog()
    old = alert("old", T0 - timedelta(hours=2))
    done = alert("done", T0, resolved=T0 + timedelta(minutes=1))
    recent = alert("recent", T0 - timedelta(hours=1))
    log.update([old, done, recent], T0 + timedelta(minutes=2))
    assert [a.key for a in log.entries()] == ["recent", "old", "done"]


def test_bounded_but_never_drops_a_new_alert() -> None:
    log = AlertLog()
    resolved = [
        alert(f"r{i}", T0 - timedelta(minutes=i), resolved=T0) for i in range(MAX_ENTRIES + 50)
    ]
    log.update([*resolved, alert("live")], T0)
    assert len(log.entries()) == MAX_ENTRIES
    assert [a.key for a in log.new()] == ["live"]


def test_the_state_is_a_snapshot_the_views_share() -> None:
    log = AlertLog(acknowledged=["b"])
    assert log.state().alerts == AlertLogState().alerts and log.state().polled_at is None
    log.update([alert("a"), alert("b")], T0)
    state = log.state()
    assert state.polled_at == T0
    assert [a.key for a in state.entries()] == [a.key for a in log.entries()]
    assert state.new_keys == {"a"} and [a.key for a in state.new()] == ["a"]
    assert state.new_work_centers() == {WC}
    log.acknowledge(["a"])
    assert state.new_keys == {"a"}  # taken before: unchanged by the acknowledgement
    assert log.state().new_keys == frozenset() and log.state() != state
