"""MonitorScreen: a screen with the status line and banner on top and the key footer below;
when it becomes visible again its waiting polls are woken."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from floorwatch.ui.chrome import Banner, StatusLine
from floorwatch.ui.host import host

# narrower than this, the footer is compact and leaves the palette's key (ctrl+p) to the help
# screen, so the main screen's keys fit 80 columns
COMPACT_FOOTER_BELOW = 100


class MonitorScreen(Screen[None]):
    def on_resize(self, event: Resize) -> None:
        for footer in self.query(Footer):
            footer.compact = event.size.width < COMPACT_FOOTER_BELOW
            footer.show_command_palette = not footer.compact

    def compose_chrome(self) -> ComposeResult:
        yield StatusLine(id="status-line")
        yield Banner(id="banner")

    def compose_footer(self) -> ComposeResult:
        yield Footer()

    def on_screen_resume(self) -> None:
        monitor = host(self)
        monitor.refresh_chrome()
        monitor.wake_polls()
