"""Mute one work center's alerts for a chosen time (`m`): its alerts show as muted, are never
new, never ring and never escalate until the mute ends. Kept with the acknowledgements."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

# (label, minutes; None unmutes)
CHOICES: tuple[tuple[str, float | None], ...] = (
    ("15 minutes", 15),
    ("1 hour", 60),
    ("4 hours", 240),
    ("8 hours (a shift)", 480),
    ("24 hours", 1440),
)
UNMUTE = ("unmute now", None)


class MuteScreen(ModalScreen[float | None | bool]):
    """Dismissed with the minutes chosen, None to unmute, False when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, code: str, *, muted: bool) -> None:
        super().__init__()
        self.code = code
        self.choices = (*CHOICES, UNMUTE) if muted else CHOICES

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = Text(f"Mute {self.code}'s alerts")  # a code is data, never markup
            box.border_subtitle = "Enter picks, Esc cancels"
            yield OptionList(
                *(Option(Text(label), id=str(i)) for i, (label, _) in enumerate(self.choices)),
                id="mute-options",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)][1])

    def action_cancel(self) -> None:
        self.dismiss(False)
