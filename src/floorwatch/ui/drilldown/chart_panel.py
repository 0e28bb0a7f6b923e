"""Panel around the OEE chart."""

from __future__ import annotations

import uuid

from textual.app import ComposeResult

from floorwatch.domain.models import OeePoint
from floorwatch.panels import CHART, CHART_DAYS
from floorwatch.ui.drilldown.chart import OeeChart
from floorwatch.ui.panel import Panel


class ChartPanel(Panel):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__(f"OEE per shift, last {CHART_DAYS} days", id="chart")
        self.work_center_id = work_center_id

    def compose(self) -> ComposeResult:
        yield OeeChart(id="oee-chart")

    def on_mount(self) -> None:
        self.add_drill_down_poll(CHART, self.work_center_id, self._show)

    def _show(self, points: list[OeePoint]) -> None:
        self.query_one(OeeChart).show(points, ascii_only=self.monitor.ascii)
