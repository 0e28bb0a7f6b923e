"""Panel around the OEE chart."""

from __future__ import annotations

import uuid
from datetime import datetime

from textual.app import ComposeResult

from floorwatch.db.plant import PlantData
from floorwatch.domain.models import OeePoint
from floorwatch.ui.drilldown.chart import CHART_DAYS, OeeChart, fetch_chart
from floorwatch.ui.panel import Panel


class ChartPanel(Panel):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__(f"OEE per shift, last {CHART_DAYS} days", id="chart")
        self.work_center_id = work_center_id

    def compose(self) -> ComposeResult:
        yield OeeChart(id="oee-chart")

    def on_mount(self) -> None:
        self.add_poll("trends", self._fetch, self._show)

    async def _fetch(self, data: PlantData, now: datetime) -> list[OeePoint]:
        return await fetch_chart(data, now, self.work_center_id)

    def _show(self, points: list[OeePoint]) -> None:
        self.query_one(OeeChart).show(points, ascii_only=self.monitor.ascii)
