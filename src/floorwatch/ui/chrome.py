"""The lines around every screen: a status line (who, where, clock, connection) and a banner
that says when data is stale or polling is paused."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static


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
) -> list[tuple[int, Text]]:
    """(priority, part): lower priority numbers are kept longest on a narrow terminal."""
    dot = "*" if ascii_only else "●"
    if state.connecting and state.connected:
        conn = Text(f"{dot} connecting", style="yellow")
    elif state.connected:
        conn = Text(f"{dot} connected", style="green")
    else:
        conn = Text(f"{dot} reconnecting #{state.attempts}", style="bold red")
    parts = [
        (0, Text("floorwatch", style="bold")),
        (1, Text(scope_label, style="bold")),
        (4, Text(where, style="dim")),
        (0, Text(" DEMO ", style="bold black on yellow")) if demo else None,
        (2, Text(clock)),
        (0, Text("PAUSED", style="bold black on yellow")) if paused else None,
        (0, conn),
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


class StatusLine(Widget):
    """Fitted to its width when painted, so a resize never leaves a stale or cut line."""

    DEFAULT_CLASSES = "status-line"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: list[tuple[int, Text]] = []
        self.ascii_only = False

    def show(self, parts: list[tuple[int, Text]], ascii_only: bool) -> None:
        if parts != self.parts or ascii_only != self.ascii_only:
            self.parts = parts
            self.ascii_only = ascii_only
            self.refresh()

    def render(self) -> Text:
        separator = " | " if self.ascii_only else " │ "
        return fit(self.parts, max(10, self.size.width), separator)


class Banner(Static):
    """Hidden while all is well."""

    DEFAULT_CLASSES = "banner"

    def show(self, state: ConnectionState, paused: bool, stale_since: str | None) -> None:
        shown = (state, paused, stale_since)
        if shown == getattr(self, "_shown", None):
            return  # called every second: repaint only on change
        self._shown = shown
        if not state.connected:
            text = f"DATABASE UNREACHABLE, reconnecting (attempt {state.attempts})"
            if state.reason:
                text += f": {state.reason}"
            text += f". Showing data from {stale_since} ago." if stale_since else ". No data yet."
            self.update(Text(text))  # the reason may quote a hostile name: never markup
            self.set_classes("banner -error")
            self.display = True
        elif paused:
            self.update(Text("PAUSED: polling stopped, figures are frozen. Press p to resume."))
            self.set_classes("banner -paused")
            self.display = True
        else:
            self.display = False
