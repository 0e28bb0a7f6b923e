"""The main screen: facility summary, work-center grid, run list, OEE trends, alert log."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal

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
        with Horizontal(id="middle"):
            yield WorkCenterGrid()
            yield RunList()
        with Horizontal(id="bottom"):
            yield TrendsPanel()
            yield AlertPanel()
        yield from self.compose_footer()
