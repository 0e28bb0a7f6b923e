"""ShiftPanel: one shift's handover table under its caption. The screen's first panel owns the
shift screen's poll (both shifts come in one answer); the second shows that poll's age."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import DataTable, Static

from floorwatch.domain.shift_report import ShiftReport
from floorwatch.ui.format import waiting
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel
from floorwatch.ui.poller import Poll
from floorwatch.ui.shift.rows import COLUMNS, shift_caption, shift_rows
from floorwatch.ui.table import Column, Table, fill, fit_columns


class ShiftPanel(Panel, Looks):
    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        self.report: ShiftReport | None = None
        self.columns: list[Column] = []
        self.age_of: Poll[Any] | None = None  # a poll of another panel whose data this shows

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), classes="shift-caption")
        yield Table(cursor_type="row")

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(DataTable)

    def aged_polls(self) -> list[Poll[Any]]:
        return super().aged_polls() + ([self.age_of] if self.age_of else [])

    def show(self, report: ShiftReport) -> None:
        self.report = report
        self.redraw()

    def redraw(self) -> None:
        if self.report is None:
            return
        monitor = self.monitor
        caption = shift_caption(self.report, monitor.tz, ascii_only=monitor.ascii)
        self.query_one(".shift-caption", Static).update(caption)
        rows = shift_rows(
            self.report, critical_gap_pct=monitor.config.alerts.oee_critical_gap_pct, look=self.look
        )
        self.columns = fit_columns(COLUMNS, rows, self.size.width - 1)
        fill(self.table, self.columns, rows, ascii_only=monitor.ascii)

    def loading(self, text: str) -> None:
        self.query_one(".shift-caption", Static).update(Text(text, style="dim"))

    def on_resize(self, event: Resize) -> None:
        self.redraw()

    def restyle(self) -> None:
        self.redraw()

    def clear_data(self) -> None:
        self.report = None
        self.table.clear()
        self.loading(waiting(self.monitor.ascii))
