"""Work-center grid: one row per work center with its state (symbol, word and colour), time in
state, current run and progress, the shift's pace, utilization and OEE today against target.

Three polls feed it: utilization (state, run; every 10 s by default), work-center summaries
(OEE today; every 30 s) and the current shift (pace: actual / target; every 30 s). A work
center with a new alert has a `!` by its code: the grid watches the app's alert log (`alerts`).
Codes are never cut: the code column is as wide as the longest code of the facility and its
mark; on a narrow table the optional columns give way."""

from __future__ import annotations

import uuid
from contextlib import suppress
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.events import Resize
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from floorwatch.domain.alert_log import AlertLogState
from floorwatch.domain.models import CurrentRun, WorkCenterSummary, WorkCenterUtilization
from floorwatch.domain.shift_report import ShiftFigures, ShiftReport
from floorwatch.panels import UTILIZATION, WORK_CENTERS
from floorwatch.ui.export import WORK_CENTER_FIELDS, CsvRows, as_csv, work_center_records
from floorwatch.ui.format import (
    NEW_MARK,
    NONE,
    Look,
    finish_text,
    oee_look,
    pace_look,
    pct,
    since,
    work_center_state_text,
)
from floorwatch.ui.looks import Looks
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import Cell, Column, Table, fill, fit_columns, selected_key

COLUMNS = [
    Column("state", "State", 8),
    Column("code", "WC", code=True),
    Column("name", "Name", flex=True, min_width=12, from_width=72),  # gives way to Run
    Column("for", "For", 4, figure=True),
    Column("run", "Run", code=True, from_width=70),
    Column("progress", "Prog", 4, figure=True, from_width=2),  # also in the run list
    Column("pace", "Pace", 4, figure=True, from_width=1),
    Column("util", "Util", 4, from_width=44, figure=True),
    Column("oee", "OEE", 4, figure=True),
    Column("target", "Tgt", 4, from_width=50, figure=True),
]


def code_cell(code: str, flagged: bool, *, ascii_only: bool = False) -> Cell:
    """The work center's code, whole, with a blinking `!` while it has a new alert (the
    column always has room for the mark)."""
    if not flagged:
        return code
    return Text.assemble(code, Text("!", style=NEW_MARK))


def run_cell(run: CurrentRun | None, tz: ZoneInfo, now: datetime, look: Look) -> Cell:
    """The current run's number, whole, and its time to finish: `R-1042 ~14:20`,
    `R-1042 late` (README: Numbers)."""
    if run is None:
        return NONE
    text, finish_look = finish_text(run.finish, tz, now)
    if text == NONE:
        return run.production_run_number
    return Text.assemble(run.production_run_number, " ", Text(text, style=look(finish_look)))


GridMemo = dict[str, dict[uuid.UUID, tuple[tuple[object, ...], dict[str, Cell]]]]


def _part(
    memo: GridMemo | None, part: str, wc_id: uuid.UUID, given: tuple[object, ...], make: Any
) -> dict[str, Cell]:
    """The cells of one part of a row, from `memo` when made from equal inputs before."""
    if memo is None:
        return make()
    kept = memo.setdefault(part, {}).get(wc_id)
    if kept is not None and kept[0] == given:
        return kept[1]
    cells = make()
    memo[part][wc_id] = (given, cells)
    return cells


def grid_rows(
    utilization: list[WorkCenterUtilization],
    summaries: dict[uuid.UUID, WorkCenterSummary],
    pace: dict[uuid.UUID, ShiftFigures],
    flagged: set[uuid.UUID],
    now: datetime,
    *,
    critical_gap_pct: float,
    look: Look,
    ascii_only: bool,
    tz: ZoneInfo,
    memo: GridMemo | None = None,
) -> list[tuple[str, dict[str, Cell]]]:
    """The grid's rows. With `memo` (kept by the caller, for one look, tz and threshold), the
    cells of a row made from the same state, the same summary or the same shift figures as
    before are the same objects as before: three polls feed the grid, each changes one part."""
    rows = []
    for u in sorted(utilization, key=lambda u: u.work_center_code):
        wc = summaries.get(u.work_center_id)
        shift = pace.get(u.work_center_id)
        is_flagged = u.work_center_id in flagged

        def state(u: WorkCenterUtilization = u, is_flagged: bool = is_flagged) -> dict[str, Cell]:
            label, state_look = work_center_state_text(
                u.state, active=u.is_active, ascii_only=ascii_only
            )
            run = u.current_run
            return {
                "state": Text(label, style=look(state_look)),
                "code": code_cell(u.work_center_code, is_flagged, ascii_only=ascii_only),
                "name": u.work_center_name,
                "progress": pct(run.progress, 0) if run else "-",
                "util": pct(u.utilization, 0) if u.is_active else "-",
            }

        def clock(u: WorkCenterUtilization = u) -> dict[str, Cell]:
            return {
                "for": since(u.state_since, now),
                "run": run_cell(u.current_run, tz, now, look),
            }

        def figures(wc: WorkCenterSummary | None = wc) -> dict[str, Cell]:
            oee = wc.oee_today.oee if wc else None
            target = wc.target_oee_percentage if wc else None
            return {
                "oee": Text(pct(oee, 0), style=look(oee_look(oee, target, critical_gap_pct))),
                "target": f"{target:.0f}%" if target is not None else "-",
            }

        def paced(shift: ShiftFigures | None = shift) -> dict[str, Cell]:
            efficiency = shift.efficiency if shift else None
            band = (
                pace_look(efficiency, shift.target_oee_percentage, critical_gap_pct)
                if shift
                else None
            )
            return {"pace": Text(pct(efficiency, 0), style=look(band))}

        wc_id = u.work_center_id
        run = u.current_run
        # the clock's cells change with the minute (time in state, the run's finish)
        ticks = (
            since(u.state_since, now),
            run and run.production_run_number,
            run and finish_text(run.finish, tz, now),
        )
        parts = (
            _part(memo, "state", wc_id, (u, is_flagged), state),
            _part(memo, "clock", wc_id, ticks, clock),
            _part(memo, "figures", wc_id, (wc,), figures),
            _part(memo, "pace", wc_id, (shift,), paced),
        )
        kept = memo.setdefault("row", {}).get(wc_id) if memo is not None else None
        if kept is not None and all(a is b for a, b in zip(kept[0], parts, strict=True)):
            cells = kept[1]  # the same dict: the table knows it is unchanged
        else:
            cells = {k: v for part in parts for k, v in part.items()}
            if memo is not None:
                memo["row"][wc_id] = (parts, cells)
        rows.append((str(wc_id), cells))
    return rows


class WorkCenterGrid(Panel, Looks):
    def __init__(self) -> None:
        super().__init__("Work centers", id="work-centers")
        self.utilization: list[WorkCenterUtilization] = []
        self.summaries: dict[uuid.UUID, WorkCenterSummary] = {}
        self.pace: dict[uuid.UUID, ShiftFigures] = {}
        self.columns: list[Column] = []
        self.flagged: frozenset[uuid.UUID] = frozenset()  # the `!` marks drawn
        self.memo: GridMemo = {}  # cells made before, for the current looks and settings
        self._memo_for: tuple[object, ...] = ()
        self.marked: dict[str, Cell] = {}  # each code with its mark, to measure the column
        self._render_due = False  # data arrived: render_rows comes before the next update

    def compose(self) -> ComposeResult:
        yield Table(cursor_type="row", id="work-center-table")

    @property
    def table(self) -> DataTable[Cell]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.add_poll(UTILIZATION, self._show_state)
        self.add_poll(WORK_CENTERS, self._show_oee)
        self.watch(self.app, "shift", self._show_pace)
        self.watch(self.app, "alerts", self._alerts_changed)

    def on_resize(self, event: Resize) -> None:
        with suppress(NoMatches):  # the table is gone while the app closes
            self.render_rows()

    def _show_state(self, rows: list[WorkCenterUtilization]) -> None:
        self.utilization = rows
        self._render_soon()

    def _show_oee(self, rows: list[WorkCenterSummary]) -> None:
        self.summaries = {wc.work_center_id: wc for wc in rows}
        self._render_soon()

    def _show_pace(self, report: ShiftReport | None) -> None:
        figures = report.work_centers if report else []
        self.pace = {f.work_center_id: f for f in figures if f.work_center_id is not None}
        self._render_soon()

    def _render_soon(self) -> None:
        """Three polls feed the grid, and a full refresh (push, a facility switch, resume)
        brings them together: the grid is filled once for all that arrived before the
        screen's next update, not once for each."""
        if not self._render_due:
            self._render_due = True
            self.call_later(self._render_if_due)

    def _render_if_due(self) -> None:
        if self._render_due:
            with suppress(NoMatches):  # the table is gone while the app closes
                self.render_rows()

    def _rows(self, flagged: set[uuid.UUID]) -> list[tuple[str, dict[str, Cell]]]:
        monitor = self.monitor
        settings = (monitor.config.alerts.oee_critical_gap_pct, monitor.ascii, monitor.tz)
        if settings != self._memo_for or sum(map(len, self.memo.values())) > 10 * max(
            len(self.utilization), 50
        ):
            self.memo, self._memo_for, self.marked = {}, settings, {}
        return grid_rows(
            self.utilization,
            self.summaries,
            self.pace,
            flagged,
            monitor.now(),
            critical_gap_pct=monitor.config.alerts.oee_critical_gap_pct,
            look=self.look,
            ascii_only=monitor.ascii,
            tz=monitor.tz,
            memo=self.memo,
        )

    def render_rows(self) -> None:
        self._render_due = False
        monitor = self.monitor
        flagged = monitor.alerts.new_work_centers()
        rows = self._rows(set(flagged))
        # measured with every work center flagged: the code column keeps room for the mark
        codes = {str(u.work_center_id): u.work_center_code for u in self.utilization}
        marked = self.marked
        measured = [
            (
                key,
                {
                    **cells,
                    "code": marked.get(codes[key])
                    or marked.setdefault(
                        codes[key], code_cell(codes[key], True, ascii_only=monitor.ascii)
                    ),
                },
            )
            for key, cells in rows
        ]
        width = self.size.width - 1  # the scrollbar
        self.columns = fit_columns(COLUMNS, measured, width)
        fill(self.table, self.columns, rows, ascii_only=monitor.ascii)
        self.flagged = flagged

    def export_rows(self) -> CsvRows:
        monitor = self.monitor
        records = work_center_records(
            self.utilization,
            self.summaries,
            monitor.alerts.new_work_centers(),
            monitor.now(),
            monitor.tz,
            self.pace,
        )
        return as_csv(records, WORK_CENTER_FIELDS)

    def restyle(self) -> None:
        self.memo, self.marked = {}, {}
        self.render_rows()

    def _alerts_changed(self, alerts: AlertLogState) -> None:
        # the app may publish while it closes, when this grid's table is already gone
        with suppress(NoMatches):
            self.render_flags(alerts.new_work_centers())

    def render_flags(self, flagged: frozenset[uuid.UUID]) -> None:
        """Only the code cells change: of the work centers flagged now and of those flagged
        before (an alert came, was acknowledged or resolved)."""
        monitor = self.monitor
        previously, self.flagged = self.flagged, flagged
        table = self.table
        for u in self.utilization:
            if u.work_center_id in flagged or u.work_center_id in previously:
                key = str(u.work_center_id)
                is_flagged = u.work_center_id in flagged
                cell = code_cell(u.work_center_code, is_flagged, ascii_only=monitor.ascii)
                with suppress(CellDoesNotExist, KeyError):
                    # unchanged marks are left alone: each update_cell repaints the whole
                    # table, and this runs on every alert poll
                    if table.get_cell(key, "code") != cell:
                        table.update_cell(key, "code", cell)

    def clear_data(self) -> None:
        self.utilization, self.summaries, self.pace = [], {}, {}
        self.table.clear()

    def selected_work_center(self) -> uuid.UUID | None:
        key = selected_key(self.table)
        return uuid.UUID(key) if key else None

    def code_of(self, work_center_id: uuid.UUID) -> str | None:
        return next(
            (u.work_center_code for u in self.utilization if u.work_center_id == work_center_id),
            None,
        )

    def worst_work_center(self) -> uuid.UUID | None:
        """Lowest OEE today among work centers with planned time, else (early in the day)
        lowest utilization: the one kiosk mode shows."""
        scored = [
            (wc.oee_today.oee, wc.work_center_id)
            for wc in self.summaries.values()
            if wc.oee_today.oee is not None
        ]
        if not scored:
            scored = [
                (u.utilization, u.work_center_id)
                for u in self.utilization
                if u.utilization is not None
            ]
        return min(scored)[1] if scored else None

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(OpenWorkCenter(uuid.UUID(event.row_key.value)))

    def action_open(self) -> None:
        wc = self.selected_work_center()
        if wc:
            self.post_message(OpenWorkCenter(wc))
