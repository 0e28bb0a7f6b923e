"""Recent runs of one work center (the run list's rows, filtered by the data layer)."""

from __future__ import annotations

import uuid

from textual.app import ComposeResult
from textual.widgets import DataTable

from floorwatch.domain.models import RunSummary
from floorwatch.panels import RECENT_RUNS
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel
from floorwatch.ui.run_list import COLUMNS, run_rows
from floorwatch.ui.table import Table, fill, set_columns


class RecentRuns(Panel, Looks):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__("Runs on this work center", id="recent-runs")
        self.work_center_id = work_center_id
        self.runs: list[RunSummary] = []

    def compose(self) -> ComposeResult:
        yield Table(cursor_type="row", id="recent-run-table")

    def on_mount(self) -> None:
        self.columns = set_columns(self.query_one(DataTable), COLUMNS, width=1000)
        self.add_drill_down_poll(RECENT_RUNS, self.work_center_id, self._show)

    def _show(self, runs: list[RunSummary]) -> None:
        self.runs = runs
        rows = run_rows(runs, self.monitor.tz, self.monitor.now(), self.look)
        fill(self.query_one(DataTable), self.columns, rows, ascii_only=self.monitor.ascii)

    def restyle(self) -> None:
        self._show(self.runs)
