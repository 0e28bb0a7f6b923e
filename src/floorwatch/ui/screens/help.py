"""Help: every key binding, and what the colours and symbols mean."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from floorwatch.domain.models import EquipmentState
from floorwatch.ui.format import BAND_LOOKS, STATE_LOOKS, Look
from floorwatch.ui.host import host
from floorwatch.ui.looks import Looks

KEYS = [
    ("?", "this help"),
    ("q", "quit"),
    ("p", "pause / resume all polling"),
    ("r", "refresh every panel now"),
    ("a", "acknowledge the selected new alert (in the alert log) or all new alerts"),
    ("f", "pick another facility"),
    ("h", "shift handover: this shift and the one before (left / right: earlier / later)"),
    ("l", "losses: the six losses and downtime by reason (w: shift / today / 7 days)"),
    ("e", "export the focused table's rows to CSV (export_dir)"),
    ("/", "filter the run list (Esc clears)"),
    ("t / s", "run list: cycle status filter / sort order"),
    ("Enter", "work-center grid or trends: drill down into a work center"),
    ("c", "drill-down: chart OEE, availability, performance, quality"),
    ("m", "mute the work center's alerts (drill-down, selected alert or grid row)"),
    ("w", "drill-down: downtime by reason of the shift / today / 7 days"),
    ("Esc", "back from a drill-down or dialog"),
    ("Tab, arrows", "move focus and selection"),
    ("ctrl+p", "command palette (themes, screenshot, quit)"),
]


def help_text(*, critical_gap_pct: float, look: Look, ascii_only: bool) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, what in KEYS:
        table.add_row(key, what)
    table.add_row("", "")
    table.add_row(Text("States", style="bold underline"), "")
    for state in EquipmentState:
        state_look = STATE_LOOKS[state]
        symbol = state_look.ascii_symbol if ascii_only else state_look.symbol
        table.add_row(
            Text(f"{symbol} {state_look.label}", style=look(state_look.look)), state.value
        )
    table.add_row("", "")
    table.add_row(
        Text("Ages", style="bold underline"),
        "each panel's border shows how old its own data is; 'stale' when a poll failed or is "
        "late or the database is unreachable; 'paused' while polling is paused",
    )
    good, below, critical = BAND_LOOKS
    table.add_row(
        Text("OEE", style="bold underline"),
        Text.assemble(
            ("at/above target", look(good)),
            ", ",
            ("below", look(below)),
            ", ",
            (f"{critical_gap_pct:g} points or more below", look(critical)),
            " ([alerts] oee_critical_gap_pct); ISO 22400 A x P x Q",
        ),
    )
    return table


class HelpText(Static, Looks):
    def __init__(self, ascii_only: bool) -> None:
        super().__init__()
        self.ascii_only = ascii_only

    def on_mount(self) -> None:
        self.restyle()

    def restyle(self) -> None:
        gap = host(self).config.alerts.oee_critical_gap_pct
        self.update(help_text(critical_gap_pct=gap, look=self.look, ascii_only=self.ascii_only))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, ascii_only: bool = False) -> None:
        super().__init__()
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "floorwatch help"
            box.border_subtitle = "Esc closes"
            yield HelpText(self.ascii_only)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss()
