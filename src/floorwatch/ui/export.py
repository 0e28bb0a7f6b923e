"""CSV export: the rows a table was filled from, as data (every field, whatever the terminal's
width shows), not as drawn. Ratios (OEE, its target, utilization, progress) are plain numbers
between 0 and 1 to four decimals (0.261 is 26.1 %), timestamps ISO 8601 with their UTC offset
in the plant's time zone, counts whole numbers, codes as the ERP holds them (no `!` mark), states,
statuses and severities as words. Nothing here touches the screen."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import DataTable

from floorwatch.domain.alert_log import AlertLogState, AlertStatus
from floorwatch.domain.finish import Finish
from floorwatch.domain.models import (
    RunSummary,
    TrendLine,
    WorkCenterSummary,
    WorkCenterUtilization,
)
from floorwatch.domain.shift_report import ShiftFigures
from floorwatch.ui.alert_text import alert_text
from floorwatch.ui.format import INACTIVE_LABEL, RUN_STATUS_LABELS, STATE_LOOKS

Value = str | int | Decimal | float | datetime | None
Record = dict[str, Value]
CsvRows = list[list[str]]

PLACES = Decimal("0.0001")

# the fields of each table's records, in order (the CSV header, also of an empty table)
WORK_CENTER_FIELDS = (
    "work_center_code",
    "work_center_name",
    "state",
    "erp_state",
    "state_since",
    "seconds_in_state",
    "reason_code",
    "reason",
    "run",
    "run_progress",
    "run_finish",
    "run_late",
    "shift_target",
    "shift_actual",
    "shift_efficiency",
    "shift_downtime_seconds",
    "utilization",
    "oee",
    "target_oee",
    "new_alert",
)
RUN_FIELDS = (
    "run",
    "order",
    "work_center_code",
    "status",
    "erp_status",
    "operator",
    "scheduled_start",
    "scheduled_end",
    "actual_start",
    "actual_end",
    "planned",
    "good",
    "scrap",
    "rework",
    "progress",
    "expected_finish",
    "late",
)
ALERT_FIELDS = (
    "severity",
    "status",
    "work_center_code",
    "kind",
    "message",
    "started_at",
    "resolved_at",
    "lasted_seconds",
    "key",
    "fires_at",
    "acknowledged_at",
    "acknowledged_by",
)
TREND_FIELDS = ("work_center_code", "last_oee", "period_oee", "target_oee")


def ratio(value: Decimal | float | None) -> str:
    """A ratio to four decimals without trailing zeros: 0.2613, 0.75, 1 (empty: none)."""
    if value is None:
        return ""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return format(exact.quantize(PLACES).normalize(), "f")


def hundredths(value: Decimal | None) -> str:
    """Pieces a rate makes in a time, to two decimals: 12600, 11149.33 (empty: none)."""
    if value is None:
        return ""
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


def whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1)))


def percent_as_ratio(value: Decimal | None) -> str:
    """A percentage the ERP stores (a target of 65.00) as the ratio the others are (0.65)."""
    return "" if value is None else ratio(value / 100)


def timestamp(moment: datetime | None, tz: ZoneInfo) -> str:
    return "" if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def seconds(start: datetime | None, end: datetime) -> int | None:
    return None if start is None else max(0, int((end - start).total_seconds()))


def expected_finish(finish: Finish | None, tz: ZoneInfo) -> str:
    """An open run's expected finish (empty: none worked out, README: Numbers)."""
    return timestamp(finish.expected_at if finish else None, tz)


def late(finish: Finish | None) -> str | None:
    """yes / no for an open run, empty for a run that is not open."""
    return None if finish is None else "yes" if finish.late else "no"


def work_center_records(
    utilization: Iterable[WorkCenterUtilization],
    summaries: Mapping[object, WorkCenterSummary],
    flagged: frozenset[object] | set[object],
    now: datetime,
    tz: ZoneInfo,
    pace: Mapping[object, ShiftFigures] | None = None,
) -> list[Record]:
    """`pace`: the current shift's figures by work center (README: Numbers)."""
    records: list[Record] = []
    for u in sorted(utilization, key=lambda u: u.work_center_code):
        wc = summaries.get(u.work_center_id)
        shift = (pace or {}).get(u.work_center_id)
        run = u.current_run
        records.append(
            {
                "work_center_code": u.work_center_code,
                "work_center_name": u.work_center_name,
                "state": STATE_LOOKS[u.state].label if u.is_active else INACTIVE_LABEL,
                "erp_state": u.state.value if u.state else None,
                "state_since": timestamp(u.state_since, tz),
                "seconds_in_state": seconds(u.state_since, now),
                "reason_code": u.reason_code,
                "reason": u.reason_description,
                "run": run.production_run_number if run else None,
                "run_progress": ratio(run.progress) if run else None,
                "run_finish": expected_finish(run.finish, tz) if run else None,
                "run_late": late(run.finish) if run else None,
                "shift_target": hundredths(shift.target) if shift else None,
                "shift_actual": shift.actual if shift else None,
                "shift_efficiency": ratio(shift.efficiency) if shift else None,
                "shift_downtime_seconds": whole(shift.downtime_minutes * 60) if shift else None,
                "utilization": ratio(u.utilization) if u.is_active else None,
                "oee": ratio(wc.oee_today.oee) if wc else None,
                "target_oee": percent_as_ratio(wc.target_oee_percentage) if wc else None,
                "new_alert": "yes" if u.work_center_id in flagged else "no",
            }
        )
    return records


def run_records(runs: Iterable[RunSummary], tz: ZoneInfo) -> list[Record]:
    return [
        {
            "run": r.production_run_number,
            "order": r.production_order_number,
            "work_center_code": r.work_center_code,
            "status": RUN_STATUS_LABELS[r.status][0],
            "erp_status": r.status.value,
            "operator": r.operator_name,
            "scheduled_start": timestamp(r.scheduled_start, tz),
            "scheduled_end": timestamp(r.scheduled_end, tz),
            "actual_start": timestamp(r.actual_start, tz),
            "actual_end": timestamp(r.actual_end, tz),
            "planned": r.quantity_planned,
            "good": r.quantities.good,
            "scrap": r.quantities.scrap,
            "rework": r.quantities.rework,
            "progress": ratio(r.progress),
            "expected_finish": expected_finish(r.finish, tz),
            "late": late(r.finish),
        }
        for r in runs
    ]


def alert_records(log: AlertLogState, tz: ZoneInfo) -> list[Record]:
    """The log in its reading order; status: new (firing, not acknowledged), pending,
    acknowledged, muted, resolved."""
    records: list[Record] = []
    for a in log.alerts:
        status = log.status(a)
        ack = log.acks.get(a.key)
        records.append(
            {
                "severity": a.severity.value,
                "status": "new" if status is AlertStatus.FIRING else status.value,
                "work_center_code": a.work_center_code,
                "kind": a.kind.value,
                "message": alert_text(a),
                "started_at": timestamp(a.started_at, tz),
                "resolved_at": timestamp(a.resolved_at, tz),
                "lasted_seconds": seconds(a.started_at, a.resolved_at) if a.resolved_at else None,
                "key": a.key,
                "fires_at": timestamp(a.firing_from, tz),
                "acknowledged_at": timestamp(ack.at, tz) if ack else None,
                "acknowledged_by": ack.by if ack else None,
            }
        )
    return records


def trend_records(lines: Iterable[TrendLine]) -> list[Record]:
    """One record per line (ALL: the facility), the shifts' OEE oldest first."""
    records: list[Record] = []
    for line in lines:
        record: Record = {
            "work_center_code": line.work_center_code or "ALL",
            "last_oee": ratio(line.last.oee),
            "period_oee": ratio(line.period.oee),
            "target_oee": percent_as_ratio(line.target_oee_percentage),
        }
        for i, value in enumerate(line.ratios, start=1):
            record[f"shift_{i}"] = ratio(value)
        records.append(record)
    return records


def as_csv(records: Sequence[Record], fields: Sequence[str]) -> CsvRows:
    """Header and rows of plain strings (formula-safe); the header is `fields` and any further
    keys of the first record (the trends' shifts)."""
    keys = list(fields) + [k for k in (records[0] if records else {}) if k not in fields]
    return [keys, *([csv_safe(_text(r.get(k))) for k in keys] for r in records)]


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        raise TypeError("timestamps are formatted with their zone first (timestamp())")
    return str(value)


_NUMBER = re.compile(r"-|-?[\d.,]+%?")


def csv_safe(value: str) -> str:
    """A value a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
    apostrophe, so a name typed as `=HYPERLINK(…)` stays text."""
    if value[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def export_rows(table: DataTable[Any]) -> CsvRows:
    """The table's rows as data: from the models of the panel holding it (its export_rows,
    or the trends' lines), else (a table of no known panel) its cells as filled."""
    for node in table.ancestors:
        export = getattr(node, "export_rows", None)
        if callable(export):
            return export()  # type: ignore[no-any-return]
        lines = getattr(node, "lines", None)
        if node.id == "trends" and isinstance(lines, list):
            return as_csv(trend_records(lines), TREND_FIELDS)
    return cells_as_csv(table)


def cells_as_csv(table: DataTable[Any]) -> CsvRows:
    """Header and the cells as plain text (the fallback for a table of no known panel)."""
    header = [str(col.label) for col in table.columns.values()]
    body = [
        [csv_safe(v.plain if isinstance(v, Text) else str(v)) for v in table.get_row(row.key)]
        for row in table.ordered_rows
    ]
    return [header, *body]


def write_atomically(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Write through a temporary file beside `path`: a reader never sees half a file."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            write(handle)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
