"""The main screen: facility summary, then two columns: the work-center grid (as tall as its
rows, up to most of the column) over the OEE trends, and the run list over the alert log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.run_list import RunList
from floorwatch.ui.screens.base import MonitorScreen
from floorwatch.ui.summary import SummaryPanel
from floorwatch.ui.trends import TrendsPanel
from floorwatch.ui.work_center_grid import WorkCenterGrid


class MainScreen(MonitorScreen):
    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield SummaryPanel()
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield WorkCenterGrid()
                yield TrendsPanel()
            with Vertical(id="right"):
                yield RunList()
                yield AlertPanel()
        yield from self.compose_footer()
