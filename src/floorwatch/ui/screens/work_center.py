"""Drill-down into one work center: OEE breakdown, reliability (MTBF, MTTR, TEEP), state
timeline and changes, OEE chart, its losses and downtime by reason, recent runs. Its panels
poll only while it is shown; the main screen's wait meanwhile (the app's alerts poll runs on
every screen, so the status line keeps counting new alerts)."""

from __future__ import annotations

import uuid

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from floorwatch.ui.drilldown.breakdown import BreakdownPanel
from floorwatch.ui.drilldown.chart_panel import ChartPanel
from floorwatch.ui.drilldown.recent_runs import RecentRuns
from floorwatch.ui.drilldown.reliability import ReliabilityPanel
from floorwatch.ui.drilldown.state_history import StateHistory
from floorwatch.ui.losses.panel import LossesPanel
from floorwatch.ui.screens.base import MonitorScreen


class WorkCenterScreen(MonitorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
        Binding("c", "chart_metric", "OEE/A/P/Q"),
        Binding("m", "app.mute", "Mute"),
        Binding("w", "pareto_window", "Window"),
    ]

    def __init__(self, work_center_id: uuid.UUID, title: str) -> None:
        super().__init__()
        self.work_center_id = work_center_id
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Static(Text(self.title_text), id="drill-title")  # names are data, never markup
        with VerticalScroll(id="drill-body"):
            with Horizontal(id="drill-top"):
                with Vertical(id="drill-figures"):
                    yield BreakdownPanel(self.work_center_id)
                    yield ReliabilityPanel(self.work_center_id)
                yield ChartPanel(self.work_center_id)
            yield StateHistory(self.work_center_id)
            yield LossesPanel(self.work_center_id, id="wc-losses")
            yield RecentRuns(self.work_center_id)
        yield from self.compose_footer()

    def action_pareto_window(self) -> None:
        self.query_one(LossesPanel).next_window()

    def action_back(self) -> None:
        self.dismiss()

    def action_chart_metric(self) -> None:
        """The chart shows the next of OEE, availability, performance, quality."""
        self.query_one(ChartPanel).next_metric()
