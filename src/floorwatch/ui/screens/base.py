"""MonitorScreen: a screen with the status line and banner on top and the key footer below;
when it becomes visible again its waiting polls are woken."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from floorwatch.ui.chrome import Banner, StatusLine
from floorwatch.ui.host import host


class MonitorScreen(Screen[None]):
    def compose_chrome(self) -> ComposeResult:
        yield StatusLine(id="status-line")
        yield Banner(id="banner")

    def compose_footer(self) -> ComposeResult:
        yield Footer()

    def on_screen_resume(self) -> None:
        monitor = host(self)
        monitor.refresh_chrome()
        monitor.wake_polls()
