"""LossesPanel: the six losses of the shift, today and the last 7 days, and under them the
downtime Pareto of one of those windows (`w` cycles it); for the facility (the losses screen)
or for one work center (its drill-down)."""

from __future__ import annotations

import uuid
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import DataTable, Static

from floorwatch.db.plant import LOSS_WINDOW_LABELS, LossWindows
from floorwatch.domain.shift_report import ShiftFigures, ShiftReport
from floorwatch.panels import LOSSES, WORK_CENTER_LOSSES
from floorwatch.ui.format import waiting
from floorwatch.ui.looks import Looks
from floorwatch.ui.losses.rows import (
    LOSS_COLUMNS,
    PARETO_COLUMNS,
    loss_rows,
    pareto_rows,
)
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import Table, fill, fit_columns


class LossesPanel(Panel, Looks):
    def __init__(self, work_center_id: uuid.UUID | None = None, *, id: str = "losses") -> None:
        super().__init__("Losses (minutes)", id=id)
        self.work_center_id = work_center_id
        self.windows: LossWindows | None = None
        self.pareto_window = 0  # the index in LOSS_WINDOW_LABELS whose Pareto is shown

    def compose(self) -> ComposeResult:
        yield Table(cursor_type="row", classes="loss-table")
        yield Static(waiting(self.monitor.ascii), classes="pareto-caption")
        yield Table(cursor_type="row", classes="pareto-table")

    def on_mount(self) -> None:
        if self.work_center_id is None:
            self.add_poll(LOSSES, self.show)
        else:
            self.add_drill_down_poll(WORK_CENTER_LOSSES, self.work_center_id, self.show)

    def _figures(self, report: ShiftReport) -> ShiftFigures | None:
        if self.work_center_id is None:
            return report.facility
        found = [f for f in report.work_centers if f.work_center_id == self.work_center_id]
        return found[0] if found else None

    def show(self, windows: LossWindows) -> None:
        self.windows = windows
        self.redraw()

    def next_window(self) -> None:
        self.pareto_window = (self.pareto_window + 1) % len(LOSS_WINDOW_LABELS)
        self.redraw()

    def redraw(self) -> None:
        if self.windows is None:
            return
        ascii_only = self.monitor.ascii
        figures = [self._figures(report) for _, report in self.windows.reports()]
        width = self.size.width - 1
        losses: DataTable[Any] = self.query_one(".loss-table", DataTable)
        rows = loss_rows(figures)
        fill(losses, fit_columns(LOSS_COLUMNS, rows, width), rows, ascii_only=ascii_only)
        chosen = figures[self.pareto_window]
        caption = Text("Downtime by reason", style="bold")
        every = " / ".join(LOSS_WINDOW_LABELS)
        caption.append(f" - {LOSS_WINDOW_LABELS[self.pareto_window]} (w: {every})")
        self.query_one(".pareto-caption", Static).update(caption)
        pareto: DataTable[Any] = self.query_one(".pareto-table", DataTable)
        rows = pareto_rows(chosen)
        fill(pareto, fit_columns(PARETO_COLUMNS, rows, width), rows, ascii_only=ascii_only)

    def on_resize(self, event: Resize) -> None:
        self.redraw()

    def restyle(self) -> None:
        self.redraw()

    def clear_data(self) -> None:
        self.windows = None
        for table in self.query(DataTable):
            table.clear()
