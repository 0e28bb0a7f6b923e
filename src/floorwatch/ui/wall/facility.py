"""The wall's facility tile: today's OEE and the current shift's good count against its goal in
big digits (Textual's `Digits`); the goal is the good pieces of the whole shift at the rated
speed and the OEE target, the caption the share of it and the pace (README: Numbers)."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from floorwatch.domain.models import FacilitySummary
from floorwatch.domain.shift_report import ShiftFigures, ShiftReport
from floorwatch.panels import SUMMARY
from floorwatch.ui.format import BAND_LOOKS, NONE, count, dot, oee_look, pct
from floorwatch.ui.panel import Panel

GOOD_LABEL = "SHIFT GOOD / GOAL"


def oee_digits(summary: FacilitySummary | None) -> str:
    """Today's facility OEE as the big digits show it: `62.3%`, `-` without planned time."""
    return pct(summary.oee_today.oee) if summary else NONE


def good_digits(shift: ShiftFigures | None) -> tuple[str, str]:
    """(good, goal) of the shift as the big digits show them: `10,451`, `24,480` (`-`: no goal:
    no rate or no OEE target yet)."""
    if shift is None:
        return NONE, NONE
    goal = int(shift.goal) if shift.goal is not None else None
    return count(shift.good), count(goal) if goal else NONE


def oee_caption(summary: FacilitySummary, ascii_only: bool) -> Text:
    t, d = summary.oee_today, dot(ascii_only)
    target = summary.target_oee_percentage
    shown = f"target {target:.1f}%" if target is not None else "no target"
    return Text(f"{shown}{d}A {pct(t.availability)}{d}P {pct(t.performance)}{d}Q {pct(t.quality)}")


def good_caption(shift: ShiftFigures, ascii_only: bool) -> Text:
    pace = f"pace {pct(shift.efficiency, 0)}"
    if not shift.goal:
        return Text(pace)
    return Text(f"{pct(Decimal(shift.good) / shift.goal)} of goal{dot(ascii_only)}{pace}")


class FacilityTile(Panel):
    def __init__(self) -> None:
        super().__init__("Facility", id="wall-facility")
        self.summary: FacilitySummary | None = None
        self.shift: ShiftFigures | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="wall-figures"):
            with Vertical(classes="wall-figure"):
                yield Static(Text("OEE TODAY"), id="wall-oee-label", classes="wall-label")
                yield Digits(NONE, id="wall-oee")
                yield Static(Text(""), id="wall-oee-caption", classes="wall-caption")
            with Vertical(classes="wall-figure"):
                yield Static(Text(GOOD_LABEL), id="wall-good-label", classes="wall-label")
                with Horizontal(id="wall-good-row"):
                    yield Digits(NONE, id="wall-good")
                    yield Static(Text("/"), id="wall-of")
                    yield Digits(NONE, id="wall-goal")
                yield Static(Text(""), id="wall-good-caption", classes="wall-caption")

    def on_mount(self) -> None:
        # big digits are box-drawing characters: --ascii shows the figures in the labels
        for digits in self.query(Digits):
            digits.display = not self.monitor.ascii
        self.query_one("#wall-good-row").display = not self.monitor.ascii
        self.add_poll(SUMMARY, self.show)
        self.watch(self.app, "shift", self.show_shift)

    def show(self, summary: FacilitySummary | None) -> None:
        self.summary = summary
        self.redraw()

    def show_shift(self, report: ShiftReport | None) -> None:
        self.shift = report.facility if report else None
        self.redraw()

    def redraw(self) -> None:
        summary, shift = self.summary, self.shift
        ascii_only = self.monitor.ascii
        oee = self.query_one("#wall-oee", Digits)
        oee.update(oee_digits(summary))
        band = None
        if summary is not None:
            gap = self.monitor.config.alerts.oee_critical_gap_pct
            band = oee_look(summary.oee_today.oee, summary.target_oee_percentage, gap)
        for look in BAND_LOOKS:
            oee.set_class(look == band, look)
        good, goal = good_digits(shift)
        self.query_one("#wall-good", Digits).update(good)
        self.query_one("#wall-goal", Digits).update(goal)
        oee_text = oee_caption(summary, ascii_only) if summary else Text("")
        good_text = good_caption(shift, ascii_only) if shift else Text("")
        captions = (oee_text, good_text)
        if ascii_only:
            oee_label = Text("OEE TODAY  ")
            oee_label.append(oee_digits(summary), style="bold")
            good_label = Text(f"{GOOD_LABEL}  ")
            good_label.append(f"{good} / {goal}", style="bold")
            self.query_one("#wall-oee-label", Static).update(oee_label)
            self.query_one("#wall-good-label", Static).update(good_label)
        self.query_one("#wall-oee-caption", Static).update(captions[0])
        self.query_one("#wall-good-caption", Static).update(captions[1])

    def clear_data(self) -> None:
        self.summary = self.shift = None
        self.redraw()
