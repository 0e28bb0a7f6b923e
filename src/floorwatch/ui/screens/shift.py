"""The shift screen (`h`): the handover report of a shift and of the one before it, per work
center with the facility's sums (README: Numbers). ← and → step back and forth a shift at a
time, as far back as STEP_BACK_DAYS; closed shifts are read from the database once
(PlantData.shift_report)."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.events import Resize

from floorwatch.db.plant import PlantData, ShiftPair
from floorwatch.domain.shift_window import shifts_per_day
from floorwatch.panels import SHIFTS
from floorwatch.ui.host import host
from floorwatch.ui.screens.base import MonitorScreen
from floorwatch.ui.shift.panel import ShiftPanel

STEP_BACK_DAYS = 7
SIDE_BY_SIDE_FROM = 160  # columns: the two shifts side by side


class ShiftScreen(MonitorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("backspace", "back", "Back", show=False),
        Binding("h", "back", "Back", show=False),
        Binding("left", "earlier", "Earlier", priority=True),
        Binding("right", "later", "Later", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.back = 0  # shifts before the current one

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Container(id="shift-body"):
            yield ShiftPanel("Shift", id="shift-shown")
            yield ShiftPanel("The shift before", id="shift-before")
        yield from self.compose_footer()

    @property
    def max_back(self) -> int:
        return STEP_BACK_DAYS * shifts_per_day(host(self).source.scope)

    def on_mount(self) -> None:
        shown = self.query_one("#shift-shown", ShiftPanel)
        self.poll = shown.add_poll(SHIFTS, self._show, fetch=self._fetch)
        self.query_one("#shift-before", ShiftPanel).age_of = self.poll

    async def _fetch(self, data: PlantData, now: datetime) -> ShiftPair:
        return await data.shift_pair(now, self.back)

    def _show(self, pair: ShiftPair) -> None:
        if pair.back != self.back:  # asked for before a step: ask again
            self.poll.poll_now()
            return
        self.query_one("#shift-shown", ShiftPanel).show(pair.shown)
        self.query_one("#shift-before", ShiftPanel).show(pair.before)
        title = "Current shift" if pair.back == 0 else f"Earlier shift ({pair.back} back)"
        self.query_one("#shift-shown", ShiftPanel).border_title = title

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        self.set_class(event.size.width >= SIDE_BY_SIDE_FROM, "-side-by-side")

    def _step(self, back: int) -> None:
        back = max(0, min(self.max_back, back))
        if back == self.back:
            self.notify(
                "the current shift is the latest"
                if back == 0
                else f"{STEP_BACK_DAYS} days back is as far as the shift screen goes"
            )
            return
        self.back = back
        for panel in self.query(ShiftPanel):
            panel.loading("reading the shift ...")
        self.poll.poll_now(force=True)

    def action_earlier(self) -> None:
        self._step(self.back + 1)

    def action_later(self) -> None:
        self._step(self.back - 1)

    def action_back(self) -> None:
        self.dismiss()
