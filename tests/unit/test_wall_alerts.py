"""The wall's alert lines: the newest new alerts first, acknowledged ones left out, what does
not fit counted, database text shown as typed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from floorwatch.domain.alert_log import AlertLog
from floorwatch.domain.models import Alert, DownDetail, EquipmentState, Severity
from floorwatch.ui.format import by_name
from floorwatch.ui.wall.alerts import alert_lines_for, wall_alert_lines

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _down(key: str, code: str, minutes_ago: int, reason: str = "") -> Alert:
    return Alert(
        key=key,
        severity=Severity.CRITICAL,
        work_center_id=uuid.uuid4(),
        work_center_code=code,
        detail=DownDetail(state=EquipmentState.BREAKDOWN, reason=reason or None),
        started_at=NOW - timedelta(minutes=minutes_ago),
    )


def _log(*alerts: Alert, acknowledged: tuple[str, ...] = ()) -> AlertLog:
    log = AlertLog(acknowledged)
    log.update(alerts, NOW)
    return log


def test_newest_new_alerts_first_and_the_rest_counted() -> None:
    log = _log(
        _down("a", "OLD-01", 50),
        _down("b", "NEW-01", 5, reason="[bold red]web[/] break"),
        _down("c", "MID-01", 20),
        _down("d", "ACK-01", 1),
        acknowledged=("d",),
    )
    text = wall_alert_lines(log.state(), NOW, width=100, lines=2, look=by_name)
    lines = text.plain.splitlines()
    # three new (a, b, c), two lines: the newest, then how many more
    assert lines[0] == " CRIT  NEW-01 down, breakdown: [bold red]web[/] break  5m"
    assert lines[1] == "+2 more new · 4 active"
    text = wall_alert_lines(log.state(), NOW, width=100, lines=5, look=by_name)
    codes = [line.split()[1] for line in text.plain.splitlines()]
    assert codes == ["NEW-01", "MID-01", "OLD-01"]  # 5, 20, 50 minutes ago; ACK-01 is not new


def test_no_new_alerts_and_no_poll_yet() -> None:
    log = _log(_down("a", "PRESS-01", 5), acknowledged=("a",))
    assert wall_alert_lines(log.state(), NOW, width=80, lines=3, look=by_name).plain == (
        "no new alerts · 1 active"
    )
    waiting = wall_alert_lines(AlertLog().state(), NOW, width=80, lines=3, look=by_name)
    assert waiting.plain.startswith("waiting for data")


def test_room_for_alerts_follows_the_screen() -> None:
    assert alert_lines_for(24) == 2
    assert alert_lines_for(40) == 5
    assert alert_lines_for(60) == 7
