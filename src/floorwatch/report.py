"""`floorwatch report`: the handover report of one shift as JSON, Markdown or plain text.

The figures are domain/shift_report.py's (README: Numbers), rounded only here: minutes and
pieces to two decimals, ratios (efficiency, OEE, A, P, Q, shares) to four (0.835 is 83.5 %).
Text from the database is cleaned of control characters by the models; in Markdown a `|` or
a backtick in a code or reason is escaped so it cannot break the table."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from floorwatch.domain.losses import LOSS_WORDS, LossKind, ParetoEntry, reason_label
from floorwatch.domain.models import Scope
from floorwatch.domain.plant_time import zone
from floorwatch.domain.shift_report import ShiftFigures, ShiftReport

PARETO_LINES = 10  # Markdown and text; the JSON has every reason


def _round(value: Decimal | None, places: int) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def minutes(value: Decimal | None) -> float | None:
    return _round(value, 2)


def ratio(value: Decimal | None) -> float | None:
    return _round(value, 4)


def _pareto_json(entries: list[ParetoEntry]) -> list[dict[str, Any]]:
    return [
        {
            "reason": reason_label(e),
            "reason_code": e.reason_code,
            "description": e.description,
            "minutes": minutes(e.minutes),
            "count": e.count,
            "share": ratio(e.share),
            "cumulative": ratio(e.cumulative),
        }
        for e in entries
    ]


def figures_json(f: ShiftFigures) -> dict[str, Any]:
    top = f.losses.top()
    return {
        "target": minutes(f.target),
        "actual": f.actual,
        "efficiency": ratio(f.efficiency),
        "good": f.good,
        "scrap": f.scrap,
        "rework": f.rework,
        "scrap_rate": ratio(f.scrap_rate),
        "downtime_min": minutes(f.downtime_minutes),
        "planned_min": minutes(f.times.planned),
        "planned_downtime_min": minutes(f.times.planned_down),
        "oee": ratio(f.oee.oee),
        "availability": ratio(f.oee.availability),
        "performance": ratio(f.oee.performance),
        "quality": ratio(f.oee.quality),
        "target_oee_pct": minutes(f.target_oee_percentage),
        "losses": {kind.value: minutes(f.losses.of(kind)) for kind in LossKind},
        "fully_productive_min": minutes(f.losses.fully_productive),
        "top_loss": top.value if top else None,
        "times_from_erp_loss_columns": f.times_from_erp,
        "pareto": _pareto_json(f.pareto),
    }


def _local(moment: datetime, scope: Scope) -> str:
    return moment.astimezone(zone(scope.timezone)).isoformat(timespec="seconds")


def report_json(report: ShiftReport, scope: Scope, small_stop_minutes: float) -> dict[str, Any]:
    return {
        "tenant": scope.tenant_code,
        "facility": scope.facility_code,
        "facility_name": scope.facility_name,
        "shift": report.key,
        "start": _local(report.start, scope),
        "end": _local(report.end, scope),
        "as_of": _local(report.as_of, scope),
        "closed": report.closed,
        "small_stop_minutes": small_stop_minutes,
        "facility_totals": figures_json(report.facility),
        "work_centers": [
            {
                "code": f.work_center_code,
                "name": f.work_center_name,
                **figures_json(f),
            }
            for f in report.work_centers
        ],
    }


# --- Markdown and text: the same tables, one with pipes -------------------------------------


def _num(value: Decimal | int | None, places: int = 0) -> str:
    if value is None:
        return "-"
    return f"{Decimal(value):,.{places}f}"


def _pct(value: Decimal | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _row(f: ShiftFigures, label: str) -> list[str]:
    top = f.losses.top()
    return [
        label,
        _num(f.target),
        _num(f.actual),
        _pct(f.efficiency),
        _num(f.good),
        _pct(f.scrap_rate),
        _num(f.downtime_minutes, 1),
        _pct(f.oee.oee),
        LOSS_WORDS[top] if top else "-",
    ]


SUMMARY_HEAD = ["Work center", "Target", "Actual", "Eff", "Good", "Scrap", "Down min", "OEE",
                "Top loss"]  # fmt: skip


def _tables(report: ShiftReport) -> list[tuple[str, list[str], list[list[str]]]]:
    summary = [_row(f, f.work_center_code or "") for f in report.work_centers]
    summary.append(_row(report.facility, "Facility"))
    f = report.facility
    losses = [[LOSS_WORDS[k], _num(f.losses.of(k), 1)] for k in LossKind]
    losses.append(["fully productive", _num(f.losses.fully_productive, 1)])
    losses.append(["planned time", _num(f.times.planned, 1)])
    losses.append(["planned downtime (not a loss)", _num(f.times.planned_down, 1)])
    pareto = [
        [reason_label(e), e.description or "", _num(e.minutes, 1), _num(e.count),
         _pct(e.share), _pct(e.cumulative)]
        for e in f.pareto[:PARETO_LINES]
    ]  # fmt: skip
    return [
        ("Shift", SUMMARY_HEAD, summary),
        ("Losses (minutes)", ["Loss", "Minutes"], losses),
        ("Downtime by reason", ["Reason", "Description", "Minutes", "Stops", "Share", "Cum"],
         pareto),
    ]  # fmt: skip


def _title(report: ShiftReport, scope: Scope) -> str:
    tz = zone(scope.timezone)
    start = report.start.astimezone(tz)
    end = report.end.astimezone(tz)
    state = "closed" if report.closed else f"running, as of {report.as_of.astimezone(tz):%H:%M}"
    return (
        f"{scope.tenant_code} / {scope.facility_code}: shift {report.key} "
        f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} ({state})"
    )


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def report_markdown(report: ShiftReport, scope: Scope) -> str:
    lines = [f"# {_md_cell(_title(report, scope))}", ""]
    for title, head, rows in _tables(report):
        lines += [f"## {title}", "", "| " + " | ".join(head) + " |"]
        lines.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        if not rows:
            lines.append("| (none) |" + " |" * (len(head) - 1))
        lines.append("")
    return "\n".join(lines)


def report_text(report: ShiftReport, scope: Scope) -> str:
    lines = [_title(report, scope)]
    for title, head, rows in _tables(report):
        widths = [max(len(c) for c in col) for col in zip(head, *rows, strict=True)]
        lines += ["", title]
        for row in [head, *rows]:
            pairs = enumerate(zip(row, widths, strict=True))
            cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs]
            lines.append("  ".join(cells).rstrip())
        if not rows:
            lines.append("(none)")
    return "\n".join(lines)
