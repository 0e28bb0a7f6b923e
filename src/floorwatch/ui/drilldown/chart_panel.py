"""Panel around the OEE chart; its title says what the chart shows (the metric, per shift or
per day, and the window), and `c` on the drill-down cycles OEE, availability, performance,
quality."""

from __future__ import annotations

import uuid

from textual.app import ComposeResult

from floorwatch.domain.models import OeePoint
from floorwatch.domain.plant_time import local_day
from floorwatch.panels import CHART, CHART_DAYS
from floorwatch.ui.drilldown.chart import Metric, OeeChart
from floorwatch.ui.panel import Panel


def chart_title(metric: Metric, *, per_shift: bool, days: int = CHART_DAYS) -> str:
    return f"{metric.value} per {'shift' if per_shift else 'day'}, last {days} days"


class ChartPanel(Panel):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__(chart_title(Metric.OEE, per_shift=True), id="chart")
        self.work_center_id = work_center_id

    def compose(self) -> ComposeResult:
        yield OeeChart(id="oee-chart")

    @property
    def chart(self) -> OeeChart:
        return self.query_one(OeeChart)

    def on_mount(self) -> None:
        self.add_drill_down_poll(CHART, self.work_center_id, self._show)

    def _show(self, points: list[OeePoint]) -> None:
        monitor = self.monitor
        # the same window the poll fetched: the plant-local day of `now` and the days before
        today = local_day(monitor.now(), monitor.source.scope.timezone).local_date
        self.chart.show(points, today, CHART_DAYS)
        self._retitle()

    def next_metric(self) -> None:
        self.chart.next_metric()
        self._retitle()

    def _retitle(self) -> None:
        chart = self.chart
        self.border_title = chart_title(chart.metric, per_shift=chart.per_shift)

    def on_resize(self) -> None:
        self.call_after_refresh(self._retitle)
