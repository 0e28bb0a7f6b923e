"""The wall's alerts: the newest unacknowledged alerts, one a line, bold and in their severity's
colour, readable across the room; drawn from the app's alert log (`alerts`)."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.widgets import Static

from floorwatch.domain.alert_log import AlertLogState
from floorwatch.domain.models import Alert
from floorwatch.ui.alert_text import alert_text
from floorwatch.ui.format import SEVERITY_LOOKS, Look, clip_words, dot, since, waiting
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel

SHORT_SCREEN = 32  # rows: below this the wall is compact (screens/wall.py)


def alert_lines_for(screen_height: int) -> int:
    """Lines of alerts the wall gives room to: 2 on a short screen, up to 7 on a 60-row TV."""
    return 2 if screen_height < SHORT_SCREEN else max(3, min(7, screen_height // 8))


def wall_alert_lines(
    log: AlertLogState,
    now: datetime,
    *,
    width: int,
    lines: int,
    look: Look,
    ascii_only: bool = False,
) -> Text:
    """Up to `lines` lines: the newest new alerts first (severity, work center, what, since
    when); the last line counts the new ones that did not fit. Text from the database is
    plain Text, never markup."""
    if log.polled_at is None:
        return Text(waiting(ascii_only), style="dim")
    new = sorted(log.new(), key=lambda a: a.started_at, reverse=True)
    if not new:
        return Text(f"no new alerts{dot(ascii_only)}{log.active()} active", style="dim")
    room = max(1, lines)
    shown = new if len(new) <= room else new[: room - 1]
    text = Text(no_wrap=True, overflow="crop")
    for i, alert in enumerate(shown):
        if i:
            text.append("\n")
        text.append_text(_line(alert, now, width, look, ascii_only))
    if len(shown) < len(new):
        more = len(new) - len(shown)
        text.append(f"\n+{more} more new{dot(ascii_only)}{log.active()} active", style="bold")
    return text


def _line(alert: Alert, now: datetime, width: int, look: Look, ascii_only: bool) -> Text:
    label, severity_look = SEVERITY_LOOKS[alert.severity]
    ago = since(alert.started_at, now)
    head = f" {label} "
    code = f" {alert.work_center_code} "
    room = width - cell_len(head) - cell_len(code) - len(ago) - 3
    what = clip_words(alert_text(alert), max(8, room), ascii_only=ascii_only)
    line = Text(style="bold")
    line.append(head, style=look(severity_look))
    line.append(code)
    line.append(what)
    line.append(f"  {ago}")
    return line


class WallAlerts(Panel, Looks):
    def __init__(self) -> None:
        super().__init__("New alerts", id="wall-alerts")

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="wall-alert-lines")

    def on_mount(self) -> None:
        self.watch(self.app, "alerts", self._alerts_changed)

    def _alerts_changed(self) -> None:
        with suppress(NoMatches):  # the app may publish while it closes
            self.draw_alerts()

    def on_resize(self) -> None:
        self.draw_alerts()

    def draw_alerts(self) -> None:
        monitor = self.monitor
        log = monitor.alerts
        body = wall_alert_lines(
            log,
            monitor.now(),
            width=self.content_size.width,
            lines=alert_lines_for(self.screen.size.height),
            look=self.look,
            ascii_only=monitor.ascii,
        )
        self.query_one("#wall-alert-lines", Static).update(body)
        self.set_class(bool(log.new_keys), "-new")

    def restyle(self) -> None:
        self.draw_alerts()
