"""The lines around every screen: a status line (who, where, clock, connection, new alerts)
and a banner that says when the database is unreachable (and for how long) or polling is
paused."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from floorwatch.ui.format import BADGE_LOOK, CONNECTION_LOOKS
from floorwatch.ui.looks import Looks

Part = tuple[int, Text, str | None]  # (priority, text, look)

# The new-alert count in the status line flashes by the terminal's own blink attribute (styled
# in app.tcss), as the alert log's NEW marks do: a wall monitor flashes for hours without
# redrawing, and a picture of it is the same whenever it is taken.
ALERTS_LOOK = "status--alerts"


def new_alerts_text(count: int) -> str:
    return f"{count} new alert{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class ConnectionState:
    connected: bool = True
    attempts: int = 0
    reason: str = ""
    connecting: bool = True  # nothing fetched yet


def status_parts(
    *,
    scope_label: str,
    where: str,
    demo: bool,
    clock: str,
    state: ConnectionState,
    paused: bool,
    ascii_only: bool,
    new_alerts: int = 0,
    push: bool = False,
) -> list[Part]:
    """(priority, part, look): lower priority numbers are kept longest on a narrow terminal;
    the look (a colour of the theme) is applied when the line is drawn. While connected, the
    last part says how the data is refreshed: `push` (change notices, db/changes.py) or `poll`
    (timers only)."""
    dot = "*" if ascii_only else "●"
    connecting, connected, lost = CONNECTION_LOOKS
    if state.connecting and state.connected:
        conn = (0, Text(f"{dot} connecting"), connecting)
    elif state.connected:
        conn = (0, Text(f"{dot} connected"), connected)
    else:
        conn = (0, Text(f"{dot} reconnecting #{state.attempts}"), lost)
    parts: list[Part | None] = [
        (0, Text("floorwatch", style="bold"), None),
        (1, Text(scope_label, style="bold"), None),
        (4, Text(where, style="dim"), None),
        (0, Text(" DEMO "), BADGE_LOOK) if demo else None,
        (2, Text(clock), None),
        (0, Text("PAUSED"), BADGE_LOOK) if paused else None,
        (0, Text(f" {new_alerts_text(new_alerts)} "), ALERTS_LOOK) if new_alerts else None,
        conn,
        # how the data is refreshed; the first part to go on a narrow line
        (5, Text("push" if push else "poll", style="dim"), None) if state.connected else None,
    ]
    return [p for p in parts if p is not None]


def fit(parts: list[tuple[int, Text]], width: int, separator: str) -> Text:
    """Join parts, dropping the least important whole parts until the line fits."""
    kept = list(parts)
    while True:
        line = Text(separator).join([text for _, text in kept])
        if line.cell_len <= width or len(kept) <= 1:
            return line
        drop = max(range(len(kept)), key=lambda i: (kept[i][0], i))
        if kept[drop][0] == 0:
            line.truncate(width)
            return line
        kept.pop(drop)


class StatusLine(Widget, Looks):
    """Fitted to its width when painted, so a resize never leaves a stale or cut line."""

    DEFAULT_CLASSES = "status-line"
    COMPONENT_CLASSES = {ALERTS_LOOK}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: list[Part] = []
        self.ascii_only = False

    def show(self, parts: list[Part], ascii_only: bool) -> None:
        alerting = any(look == ALERTS_LOOK for _, _, look in parts)
        if alerting != self.has_class("-alerting"):
            self.set_class(alerting, "-alerting")  # while any alert is new
        if parts != self.parts or ascii_only != self.ascii_only:
            self.parts = parts
            self.ascii_only = ascii_only
            self.refresh()

    def render(self) -> Text:
        separator = " | " if self.ascii_only else " │ "
        styled = [
            (priority, Text(text.plain, style=self.look(look)) if look else text)
            for priority, text, look in self.parts
        ]
        return fit(styled, max(10, self.size.width), separator)


class Banner(Static):
    """Hidden while all is well."""

    DEFAULT_CLASSES = "banner"

    def show(
        self, state: ConnectionState, paused: bool, outage_for: str | None, *, has_data: bool
    ) -> None:
        """`outage_for`: how long the database has been unreachable (None: not known);
        `has_data`: some panel shows data (else there is nothing whose age to point at)."""
        shown = (state, paused, outage_for, has_data)
        if shown == getattr(self, "_shown", None):
            return  # called every second: repaint only on change
        self._shown = shown
        if not state.connected:
            lasted = f" for {outage_for}" if outage_for else ""
            text = f"DATABASE UNREACHABLE{lasted}, reconnecting (attempt {state.attempts})"
            if state.reason:
                text += f": {state.reason}"
            text += (
                ". Each panel's border says how old its data is." if has_data else ". No data yet."
            )
            self.update(Text(text))  # the reason may quote a hostile name: never markup
            self.set_classes("banner -error")
            self.display = True
        elif paused:
            self.update(Text("PAUSED: polling stopped, figures are frozen. Press p to resume."))
            self.set_classes("banner -paused")
            self.display = True
        else:
            self.display = False
