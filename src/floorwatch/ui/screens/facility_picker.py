"""Pick the facility to monitor (tenants and facilities this login may see)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from floorwatch.domain.models import Scope
from floorwatch.text import clean


class FacilityPicker(ModalScreen[Scope | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, scopes: list[Scope], current: Scope) -> None:
        super().__init__()
        self.scopes = scopes
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(
                Text(
                    f"{s.tenant_code} / {s.facility_code}  {s.facility_name} ({clean(s.timezone)})"
                ),
                id=str(i),
            )
            for i, s in enumerate(self.scopes)
        ]
        with Vertical(id="picker-box") as box:
            box.border_title = "Facility"
            box.border_subtitle = "Enter picks, Esc cancels"
            yield OptionList(*options, id="facility-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        for i, scope in enumerate(self.scopes):
            if scope.facility_id == self.current.facility_id:
                options.highlighted = i
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.scopes[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        self.dismiss(None)
