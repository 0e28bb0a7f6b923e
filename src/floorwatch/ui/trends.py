"""OEE trends: one sparkline per work center over the recent shifts, with the last shift's and
the whole period's OEE (summed times and counts, not an average of the shifts' percentages)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from itertools import groupby

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable

from floorwatch.db.plant import PlantData
from floorwatch.domain.models import TrendLine
from floorwatch.domain.oee import band_edges, oee_band
from floorwatch.domain.sparkline import UNICODE_LEVELS, sparkline
from floorwatch.panels import TREND_DAYS, TRENDS
from floorwatch.ui.format import Look, band_look, oee_look, pct
from floorwatch.ui.looks import Looks
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import Cell, Column, Table, fill, set_columns

COLUMNS = [
    Column("wc", "WC", 8),
    Column("spark", "OEE by shift", 21),
    Column("last", "Last", 4, figure=True),
    Column("period", f"{TREND_DAYS}d", 4, figure=True),
]
FACILITY_KEY = "facility"


@dataclass(frozen=True)
class Shading:
    """How a row's OEE figures are coloured: the critical gap, the looks, ASCII or not."""

    critical_gap_pct: float
    look: Look
    ascii_only: bool


LEVELS = len(UNICODE_LEVELS) - 1  # a bar's height steps at (k + 0.5) / LEVELS
EDGE = 1e-9  # a float ratio this close to a height or colour step is not trusted


def near_edge(
    ratio: Decimal | float | None, target: Decimal | None, critical_gap_pct: float
) -> bool:
    """True when a float bar (about 1e-15 off the exact ratio) might land on the other side
    of a height step or a colour band edge than the exact Decimal OEE would."""
    if ratio is None or isinstance(ratio, Decimal):
        return False
    x = min(max(ratio, 0.0), 1.0) * LEVELS
    if abs(x - math.floor(x) - 0.5) < EDGE * LEVELS:
        return True
    if target is None:
        return False
    percent = ratio * 100
    edges = band_edges(critical_gap_pct)
    return any(abs(percent - float(target - gap)) < EDGE * 100 for gap in edges)


async def fetch_trends(data: PlantData, now: datetime, critical_gap_pct: float) -> list[TrendLine]:
    """The registry's trends fetch, made exact when a bar lies near a band edge."""
    lines = await TRENDS.fetch(data, now)
    if any(
        near_edge(r, line.target_oee_percentage, critical_gap_pct)
        for line in lines
        for r in line.ratios
    ):
        # rare: recompute the bars exactly from the shift rows, as Decimals
        lines = await data.trend_lines(now, shifts=3 * TREND_DAYS, days=TREND_DAYS, exact=True)
    return lines


def trend_rows(
    lines: list[TrendLine],
    *,
    critical_gap_pct: float,
    look: Look,
    ascii_only: bool,
    width: int = 21,
    cells: int = 1,
    sparks: dict[tuple[object, ...], Text] | None = None,
) -> list[tuple[str, dict[str, Cell]]]:
    """One row per work center (and ALL) over the same last `width` shifts of the facility, so
    the bars line up in time; a shift without a row for a work center is a blank. Each bar is
    `cells` characters wide (a wide screen draws all the shifts fetched, wider). `sparks`
    keeps the bars drawn before (most shifts are closed and never change): the same bars are
    the same Text, which the table neither compares nor repaints again."""
    rows: list[tuple[str, dict[str, Cell]]] = []
    for line in lines:
        facility = line.work_center_id is None
        # the latest row within the shown shifts (the facility has one in every period)
        last = line.last.oee if line.last_age < width else None
        rows.append(
            _row(
                FACILITY_KEY if facility else str(line.work_center_id),
                "ALL" if facility else line.work_center_code or "",
                line.ratios[-width:],
                last,
                line.period.oee,
                line.target_oee_percentage,
                Shading(critical_gap_pct, look, ascii_only),
                cells,
                sparks,
            )
        )
    return rows


def _row(
    key: str,
    label: str,
    recent: list[Decimal | float | None],
    last: Decimal | None,
    period: Decimal | None,
    target: Decimal | None,
    shading: Shading,
    cells: int = 1,
    sparks: dict[tuple[object, ...], Text] | None = None,
) -> tuple[str, dict[str, Cell]]:
    gap, look = shading.critical_gap_pct, shading.look
    if sparks is None:
        spark = _coloured_spark(recent, target, shading, cells)
    else:
        drawn = (tuple(recent), target, shading.critical_gap_pct, shading.ascii_only, cells)
        spark = sparks.get(drawn) or sparks.setdefault(
            drawn, _coloured_spark(recent, target, shading, cells)
        )
    return (
        key,
        {
            "wc": Text(label, style="bold") if key == FACILITY_KEY else label,
            "spark": spark,
            "last": Text(pct(last, 0), style=look(oee_look(last, target, gap))),
            "period": Text(pct(period, 0), style=look(oee_look(period, target, gap))),
        },
    )


@lru_cache(maxsize=2048)  # a screenful is at most a few hundred bars; the live shifts' change
def _bar(
    ratio: Decimal | float | None, target: Decimal | None, gap: float, ascii_only: bool
) -> tuple[str, int | None]:
    """(character, OEE band) of one shift's bar; cached, as most bars repeat from poll to poll."""
    oee = None if ratio is None else Decimal(ratio)
    return sparkline([oee], ascii_only=ascii_only), oee_band(oee, target, gap)


def _coloured_spark(
    ratios: list[Decimal | float | None], target: Decimal | None, shading: Shading, cells: int = 1
) -> Text:
    """Each shift's bar coloured against the target (the same bands as the OEE figures)."""
    gap, ascii_only = shading.critical_gap_pct, shading.ascii_only
    bars = [_bar(ratio, target, gap, ascii_only) for ratio in ratios]
    text = Text()
    for band, run in groupby(bars, key=lambda bar: bar[1]):  # one span per run of a colour
        text.append("".join(char * cells for char, _ in run), style=shading.look(band_look(band)))
    return text


SHIFTS_FETCHED = 3 * TREND_DAYS  # three shifts a day (the showcase's and the default pattern)
MAX_BAR_CELLS = 3


class TrendsPanel(Panel, Looks):
    def __init__(self) -> None:
        super().__init__("OEE trends", id="trends")
        self.lines: list[TrendLine] = []
        self.bar_cells = 1
        self.sparks: dict[tuple[object, ...], Text] = {}  # bars drawn in the current looks

    def compose(self) -> ComposeResult:
        yield Table(cursor_type="row", id="trend-table")

    @property
    def table(self) -> DataTable[Cell]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.columns = set_columns(self.table, COLUMNS, width=1000)
        gap = self.monitor.config.alerts.oee_critical_gap_pct
        self.add_poll(TRENDS, self._show, fetch=lambda data, now: fetch_trends(data, now, gap))

    def _spark_shape(self) -> tuple[int, int]:
        """(shifts, cells a bar): as many recent shifts as fit beside the other columns, up to
        all those fetched; with room to spare, each bar is up to 3 cells wide."""
        fixed = sum((c.width or 0) + 2 for c in self.columns if c.key != "spark") + 2 + 1
        room = self.size.width - fixed - 2
        shifts = max(6, min(SHIFTS_FETCHED, room))
        return shifts, max(1, min(MAX_BAR_CELLS, room // shifts))

    def on_resize(self) -> None:
        shifts, self.bar_cells = self._spark_shape()
        width = shifts * self.bar_cells
        columns = [
            Column("spark", "OEE by shift" if width >= 12 else "Shifts", width)
            if c.key == "spark"
            else c
            for c in COLUMNS
        ]
        if [c.width for c in columns] != [c.width for c in self.columns]:
            self.columns = set_columns(self.table, columns, width=1000)
            self._show(self.lines)

    def _show(self, lines: list[TrendLine]) -> None:
        self.lines = lines
        spark = (next(c.width for c in self.columns if c.key == "spark") or 21) // self.bar_cells
        monitor = self.monitor
        if len(self.sparks) > 4 * len(lines) + 16:
            self.sparks.clear()  # bars of shifts long gone
        rows = trend_rows(
            lines,
            critical_gap_pct=monitor.config.alerts.oee_critical_gap_pct,
            look=self.look,
            ascii_only=monitor.ascii,
            width=spark,
            cells=self.bar_cells,
            sparks=self.sparks,
        )
        fill(self.table, self.columns, rows, ascii_only=monitor.ascii)

    def restyle(self) -> None:
        self.sparks.clear()
        self._show(self.lines)

    def clear_data(self) -> None:
        self.lines = []
        self.table.clear()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key and key != FACILITY_KEY:
            self.post_message(OpenWorkCenter(uuid.UUID(key)))
