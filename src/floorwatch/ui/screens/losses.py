"""The losses screen (`l`): the facility's six losses for the shift, today and the last 7
days, and the downtime Pareto of one of those windows (README: Numbers)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from floorwatch.ui.losses.panel import LossesPanel
from floorwatch.ui.screens.base import MonitorScreen


class LossesScreen(MonitorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
        Binding("l", "back", "Back", show=False),
        Binding("w", "pareto_window", "Window"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield LossesPanel()
        yield from self.compose_footer()

    def action_pareto_window(self) -> None:
        self.query_one(LossesPanel).next_window()

    def action_back(self) -> None:
        self.dismiss()
