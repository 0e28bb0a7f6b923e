"""Alerts for scripts (#12 item 6): one alert as a JSON object and as a line of text, the
document `floorwatch alerts --json` prints, its table, and its exit code. Pure: no IO, no
Textual (ui/alert_text.py words the message and imports no Textual either).

The same object is what `alerts --json --watch` prints per event and what the alert command
reads on stdin (floorwatch/alert_action.py), so one shape serves all three (README: Alerts for
scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from floorwatch import exit_codes
from floorwatch.domain.alert_log import AlertLogState, AlertStatus
from floorwatch.domain.models import Alert, AlertKind, Scope, Severity
from floorwatch.domain.plant_time import zone
from floorwatch.text import clean
from floorwatch.ui.alert_text import alert_text

# the unit of each rule's value and threshold (a kind not listed here has none: null)
UNITS: dict[str, str] = {
    AlertKind.EQUIPMENT_DOWN: "min",
    AlertKind.LOW_OEE: "%",
    AlertKind.HIGH_SCRAP: "%",
    AlertKind.LATE_START: "min",
    AlertKind.BEHIND_SCHEDULE: "min",
    AlertKind.STALLED: "min",
    AlertKind.NO_OUTPUT: "pieces",
    AlertKind.LONG_SETUP: "min",
    AlertKind.TREND: "%",
}

# what `floorwatch alerts` lists: the firing alerts, acknowledged or not; `--all` adds the
# pending ones and those of muted work centers. Resolved alerts are never listed.
FIRING = (AlertStatus.FIRING, AlertStatus.ACKNOWLEDGED)
ALL = (*FIRING, AlertStatus.PENDING, AlertStatus.MUTED)


def local_time(moment: datetime, scope: Scope) -> str:
    """ISO 8601, plant-local, with its offset, to the second."""
    return moment.astimezone(zone(scope.timezone)).isoformat(timespec="seconds")


def number(value: Decimal | None) -> int | float | None:
    """A JSON number: whole numbers as integers, others as the decimal they are (72.4)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def alert_json(alert: Alert, status: AlertStatus, scope: Scope) -> dict[str, Any]:
    """One alert as data. `since` is when it started firing (the rule's `for` after its start,
    from the rows); `started_at` when its condition began."""
    return {
        "key": alert.key,
        "kind": str(alert.kind),
        "severity": str(alert.severity),
        "status": str(status),
        "work_center": clean(alert.work_center_code),
        "work_center_id": str(alert.work_center_id),
        "since": local_time(alert.firing_from, scope),
        "started_at": local_time(alert.started_at, scope),
        "value": number(alert.value),
        "threshold": number(alert.threshold),
        "unit": UNITS.get(alert.kind),
        "escalated": alert.escalated,
        "reopened": alert.reopened,
        "message": clean(alert_text(alert)),
    }


def listed(state: AlertLogState, statuses: Sequence[AlertStatus] = FIRING) -> list[Alert]:
    """The alerts of `state` with one of `statuses`, in the alert log's reading order."""
    return [a for a in state.alerts if state.status(a) in statuses]


def exit_code(state: AlertLogState) -> int:
    """3 when a firing alert (acknowledged or not) is critical, else 1 when one is a warning,
    else 0. Pending and muted alerts never count."""
    firing = listed(state, FIRING)
    if any(a.severity is Severity.CRITICAL for a in firing):
        return exit_codes.ALERTS_CRITICAL
    if firing:
        return exit_codes.ALERTS_WARNING
    return exit_codes.OK


def _counts(alerts: Iterable[Alert]) -> dict[str, int]:
    alerts = list(alerts)
    return {
        "critical": sum(1 for a in alerts if a.severity is Severity.CRITICAL),
        "warning": sum(1 for a in alerts if a.severity is Severity.WARNING),
    }


def document(
    state: AlertLogState, scope: Scope, now: datetime, statuses: Sequence[AlertStatus] = FIRING
) -> dict[str, Any]:
    """What `floorwatch alerts --json` prints."""
    return {
        "tenant": clean(scope.tenant_code),
        "facility": clean(scope.facility_code),
        "facility_name": clean(scope.facility_name),
        "as_of": local_time(now, scope),
        "firing": _counts(listed(state, FIRING)),
        "exit_code": exit_code(state),
        "alerts": [alert_json(a, state.status(a), scope) for a in listed(state, statuses)],
    }


def _amount(value: Decimal | None, unit: str | None) -> str:
    shown = number(value)
    if shown is None:
        return "-"
    return f"{shown} {unit}" if unit else str(shown)


def _short_time(moment: datetime, scope: Scope) -> str:
    return moment.astimezone(zone(scope.timezone)).strftime("%Y-%m-%d %H:%M")


COLUMNS = ("SEVERITY", "STATUS", "WORK CENTER", "KIND", "SINCE", "VALUE", "THRESHOLD", "KEY")


def table(
    state: AlertLogState, scope: Scope, now: datetime, statuses: Sequence[AlertStatus] = FIRING
) -> list[str]:
    """What `floorwatch alerts` prints: a title line, then one line per alert, aligned."""
    firing = _counts(listed(state, FIRING))
    title = (
        f"{clean(scope.tenant_code)} / {clean(scope.facility_code)} "
        f"as of {_short_time(now, scope)}: "
        f"{firing['critical']} critical, {firing['warning']} warning firing"
    )
    rows = [
        (
            str(a.severity),
            str(state.status(a)),
            clean(a.work_center_code),
            str(a.kind),
            _short_time(a.firing_from, scope),
            _amount(a.value, UNITS.get(a.kind)),
            _amount(a.threshold, UNITS.get(a.kind)),
            clean(a.key),
        )
        for a in listed(state, statuses)
    ]
    if not rows:
        return [title]
    widths = [max(len(r[i]) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    return [title] + [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in (COLUMNS, *rows)
    ]


# --- changes, for `alerts --watch` and the alert command ---


def event_json(
    event: str, alert: Alert, status: AlertStatus, scope: Scope, now: datetime
) -> dict[str, Any]:
    """One change: `event` is firing, escalated or resolved; the alert's object of
    `alerts --json` with the event, its moment and the facility."""
    return {
        "event": event,
        "at": local_time(now, scope),
        "tenant": clean(scope.tenant_code),
        "facility": clean(scope.facility_code),
        **alert_json(alert, status, scope),
    }


def event_line(event: str, alert: Alert, scope: Scope, now: datetime) -> str:
    """One change as a line of text."""
    unit = UNITS.get(alert.kind)
    return "  ".join(
        (
            _short_time(now, scope),
            event.upper().ljust(9),
            str(alert.severity).ljust(8),
            clean(alert.work_center_code),
            str(alert.kind),
            f"since {_short_time(alert.firing_from, scope)}",
            f"{_amount(alert.value, unit)} (threshold {_amount(alert.threshold, unit)})",
            clean(alert_text(alert)),
            clean(alert.key),
        )
    )
