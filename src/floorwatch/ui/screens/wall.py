"""The wall screen (`--wall`, `layout = "wall"`): a TV readable from 3 m. Today's facility OEE
and good count against the goal in big digits, an andon tile per work center filling the
screen, the newest unacknowledged alerts in bold; the status line, banner and key footer of
every monitor screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize

from floorwatch.ui.screens.base import MonitorScreen
from floorwatch.ui.wall.alerts import SHORT_SCREEN, WallAlerts
from floorwatch.ui.wall.andon import AndonBoard
from floorwatch.ui.wall.facility import FacilityTile


class WallScreen(MonitorScreen):
    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield FacilityTile()
        yield AndonBoard()
        yield WallAlerts()
        yield from self.compose_footer()

    def on_resize(self, event: Resize) -> None:
        # a short screen drops the captions under the big figures, for the tiles' sake
        self.set_class(event.size.height < SHORT_SCREEN, "-short")
        for alerts in self.query(WallAlerts):
            alerts.draw_alerts()
