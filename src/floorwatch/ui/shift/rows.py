"""One shift as a table: per work center and for the facility (`ALL`), the handover figures of
README's Numbers: target, actual, pace (efficiency), good, scrap rate, downtime, OEE, top loss."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text

from floorwatch.domain.losses import LOSS_SHORT_WORDS
from floorwatch.domain.shift_report import ShiftFigures, ShiftReport
from floorwatch.ui.format import NONE, Look, count, dot, downtime, oee_look, pace_look, pct
from floorwatch.ui.summary import pieces
from floorwatch.ui.table import Cell, Column

FACILITY_KEY = "facility"
COLUMNS = [
    Column("wc", "WC", code=True),
    Column("name", "Name", flex=True, min_width=10, from_width=100),
    Column("target", "Target", figure=True, max_width=11),
    Column("actual", "Actual", figure=True, max_width=11),
    Column("pace", "Pace", 4, figure=True),
    Column("good", "Good", figure=True, max_width=11),
    Column("scrap", "Scrap", 5, figure=True),
    Column("down", "Down", 5, figure=True),
    Column("oee", "OEE", 4, figure=True),
    Column("top", "Top loss", 11, from_width=60),
]


def _row(
    f: ShiftFigures, label: str, name: str, *, critical_gap_pct: float, look: Look
) -> dict[str, Cell]:
    top = f.losses.top()
    band = pace_look(f.efficiency, f.target_oee_percentage, critical_gap_pct)
    oee = f.oee.oee
    return {
        "wc": label,
        "name": name,
        "target": pieces(f.target),
        "actual": count(f.actual),
        "pace": Text(pct(f.efficiency, 0), style=look(band)),
        "good": count(f.good),
        "scrap": pct(f.scrap_rate),
        "down": downtime(f.downtime_minutes),
        "oee": Text(
            pct(oee, 0), style=look(oee_look(oee, f.target_oee_percentage, critical_gap_pct))
        ),
        "top": LOSS_SHORT_WORDS[top] if top else NONE,
    }


def shift_rows(
    report: ShiftReport, *, critical_gap_pct: float, look: Look
) -> list[tuple[str, dict[str, Cell]]]:
    """The work centers by code, then the facility's sums."""
    rows = [
        (
            str(f.work_center_id),
            _row(
                f,
                f.work_center_code or "",
                f.work_center_name or "",
                critical_gap_pct=critical_gap_pct,
                look=look,
            ),
        )
        for f in sorted(report.work_centers, key=lambda f: f.work_center_code or "")
    ]
    rows.append(
        (
            FACILITY_KEY,
            _row(report.facility, "ALL", "facility", critical_gap_pct=critical_gap_pct, look=look),
        )
    )
    return rows


def shift_caption(report: ShiftReport, tz: ZoneInfo, *, ascii_only: bool) -> Text:
    """`Shift 2026-11-02/1 06:00-14:00 · as of 10:30 · good 202,832 / goal 437,960`."""
    d = dot(ascii_only)
    start, end = report.start.astimezone(tz), report.end.astimezone(tz)
    state = "closed" if report.closed else f"as of {report.as_of.astimezone(tz):%H:%M}"
    f = report.facility
    text = Text()
    text.append(f"Shift {report.key}", style="bold")
    text.append(f" {start:%H:%M}-{end:%H:%M}{d}{state}")
    goal = f" / goal {pieces(f.goal)}" if f.goal else ""
    text.append(f"{d}good {count(f.good)}{goal}")
    return text
