"""OEE trends: one sparkline per work center over the recent shifts, with the last shift's and
the whole period's OEE (summed times and counts, not an average of the shifts' percentages)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable

from floorwatch.db.plant import PlantData
from floorwatch.domain.models import OeePoint
from floorwatch.domain.oee import OeeTotals, sum_totals
from floorwatch.domain.plant_time import local_day
from floorwatch.domain.sparkline import sparkline
from floorwatch.ui.format import pct
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.panel import Panel
from floorwatch.ui.summary import oee_style
from floorwatch.ui.table import Cell, Column, fill, set_columns

TREND_DAYS = 7
COLUMNS = [
    Column("wc", "WC", 8),
    Column("spark", "OEE by shift", 21),
    Column("last", "Last", 4),
    Column("period", f"{TREND_DAYS}d", 4),
]
FACILITY_KEY = "facility"


async def fetch_trends(data: PlantData, now: datetime) -> list[OeePoint]:
    today = local_day(now, data.scope.timezone).local_date
    return await data.trends(today - timedelta(days=TREND_DAYS - 1), today, per="shift")


def trend_rows(
    points: list[OeePoint], *, ascii_only: bool, width: int = 21
) -> list[tuple[str, dict[str, Cell]]]:
    """One row per work center (and ALL) over the same last `width` shifts of the facility, so
    the bars line up in time; a shift without a row for a work center is a blank."""
    periods = sorted({p.period_start for p in points})
    recent = periods[-width:]
    by_wc: dict[tuple[str, uuid.UUID | None], dict[datetime, OeePoint]] = defaultdict(dict)
    for p in points:
        by_wc[(p.work_center_code or "", p.work_center_id)][p.period_start] = p
    rows: list[tuple[str, dict[str, Cell]]] = []
    if points:
        facility = [sum_totals([s[t].totals for s in by_wc.values() if t in s]) for t in periods]
        totals_by_period = dict(zip(periods, facility, strict=True))
        rows.append(
            _row(
                FACILITY_KEY,
                "ALL",
                [totals_by_period[t] for t in recent],
                facility,
                weighted_target(points),
                ascii_only,
            )
        )
    for (code, wc_id), series in sorted(by_wc.items(), key=lambda item: item[0][0]):
        latest = series[max(series)]
        rows.append(
            _row(
                str(wc_id),
                code,
                [series[t].totals if t in series else None for t in recent],
                [p.totals for p in series.values()],
                latest.target_oee_percentage,
                ascii_only,
            )
        )
    return rows


def weighted_target(points: list[OeePoint]) -> Decimal | None:
    """The facility's target: each row's target weighted by its planned time."""
    weighted = [(p.target_oee_percentage, p.totals.planned_minutes) for p in points]
    planned = sum((m for t, m in weighted if t is not None), Decimal(0))
    if not planned:
        return None
    return sum((t * m for t, m in weighted if t is not None), Decimal(0)) / planned


def _row(
    key: str,
    label: str,
    recent: list[OeeTotals | None],
    whole_period: list[OeeTotals],
    target: Decimal | None,
    ascii_only: bool,
) -> tuple[str, dict[str, Cell]]:
    last = next((t.oee for t in reversed(recent) if t is not None), None)
    period = sum_totals(whole_period).oee
    return (
        key,
        {
            "wc": Text(label, style="bold") if key == FACILITY_KEY else label,
            "spark": _coloured_spark(recent, target, ascii_only),
            "last": Text(pct(last, 0), style=oee_style(last, target)),
            "period": Text(pct(period, 0), style=oee_style(period, target)),
        },
    )


def _coloured_spark(
    totals: list[OeeTotals | None], target: Decimal | None, ascii_only: bool
) -> Text:
    """Each shift's bar coloured against the target (the same bands as the OEE figures)."""
    text = Text()
    for t in totals:
        oee = t.oee if t is not None else None
        text.append(sparkline([oee], ascii_only=ascii_only), style=oee_style(oee, target))
    return text


class TrendsPanel(Panel):
    def __init__(self) -> None:
        super().__init__("OEE trends", id="trends")
        self.points: list[OeePoint] = []

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", id="trend-table")

    @property
    def table(self) -> DataTable[Cell]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.columns = set_columns(self.table, COLUMNS, width=1000)
        self.add_poll("trends", fetch_trends, self._show)

    def _spark_width(self) -> int:
        """As many recent shifts as fit beside the other columns (up to the whole week)."""
        fixed = sum((c.width or 0) + 2 for c in self.columns if c.key != "spark") + 2 + 1
        return max(6, min(3 * TREND_DAYS, self.size.width - fixed - 2))

    def on_resize(self) -> None:
        width = self._spark_width()
        columns = [
            Column("spark", "OEE by shift" if width >= 12 else "Shifts", width)
            if c.key == "spark"
            else c
            for c in COLUMNS
        ]
        if [c.width for c in columns] != [c.width for c in self.columns]:
            self.columns = set_columns(self.table, columns, width=1000)
            self._show(self.points)

    def _show(self, points: list[OeePoint]) -> None:
        self.points = points
        spark = next(c.width for c in self.columns if c.key == "spark") or 21
        rows = trend_rows(points, ascii_only=self.monitor.ascii, width=spark)
        fill(self.table, self.columns, rows)

    def clear_data(self) -> None:
        self.points = []
        self.table.clear()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key and key != FACILITY_KEY:
            self.post_message(OpenWorkCenter(uuid.UUID(key)))
