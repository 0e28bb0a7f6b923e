"""The wall's facility tile: today's OEE and the good count against the goal in big digits
(Textual's `Digits`); the goal is the planned quantity of the runs completed today (README:
Numbers)."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from floorwatch.domain.models import FacilitySummary
from floorwatch.panels import SUMMARY
from floorwatch.ui.format import BAND_LOOKS, NONE, count, dot, oee_look, pct
from floorwatch.ui.panel import Panel


def oee_digits(summary: FacilitySummary | None) -> str:
    """Today's facility OEE as the big digits show it: `62.3%`, `-` without planned time."""
    return pct(summary.oee_today.oee) if summary else NONE


def good_digits(summary: FacilitySummary | None) -> tuple[str, str]:
    """(good, goal) as the big digits show them: `104,511`, `104,420` (`-`: no goal yet)."""
    if summary is None:
        return NONE, NONE
    goal = summary.completed_planned
    return count(summary.completed_quantities.good), count(goal) if goal else NONE


def oee_caption(summary: FacilitySummary, ascii_only: bool) -> Text:
    t, d = summary.oee_today, dot(ascii_only)
    target = summary.target_oee_percentage
    shown = f"target {target:.1f}%" if target is not None else "no target"
    return Text(f"{shown}{d}A {pct(t.availability)}{d}P {pct(t.performance)}{d}Q {pct(t.quality)}")


def good_caption(summary: FacilitySummary, ascii_only: bool) -> Text:
    goal, good = summary.completed_planned, summary.completed_quantities.good
    runs = f"{summary.completed_today} run{'' if summary.completed_today == 1 else 's'} done today"
    if not goal:
        return Text(runs)
    return Text(f"{pct(Decimal(good) / goal)} of goal{dot(ascii_only)}{runs}")


class FacilityTile(Panel):
    def __init__(self) -> None:
        super().__init__("Facility today", id="wall-facility")
        self.summary: FacilitySummary | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="wall-figures"):
            with Vertical(classes="wall-figure"):
                yield Static(Text("OEE"), id="wall-oee-label", classes="wall-label")
                yield Digits(NONE, id="wall-oee")
                yield Static(Text(""), id="wall-oee-caption", classes="wall-caption")
            with Vertical(classes="wall-figure"):
                yield Static(Text("GOOD / GOAL"), id="wall-good-label", classes="wall-label")
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

    def show(self, summary: FacilitySummary | None) -> None:
        self.summary = summary
        ascii_only = self.monitor.ascii
        oee = self.query_one("#wall-oee", Digits)
        oee.update(oee_digits(summary))
        band = None
        if summary is not None:
            gap = self.monitor.config.alerts.oee_critical_gap_pct
            band = oee_look(summary.oee_today.oee, summary.target_oee_percentage, gap)
        for look in BAND_LOOKS:
            oee.set_class(look == band, look)
        good, goal = good_digits(summary)
        self.query_one("#wall-good", Digits).update(good)
        self.query_one("#wall-goal", Digits).update(goal)
        captions = (
            (oee_caption(summary, ascii_only), good_caption(summary, ascii_only))
            if summary
            else (Text(""), Text(""))
        )
        if ascii_only:
            oee_label = Text("OEE  ")
            oee_label.append(oee_digits(summary), style="bold")
            good_label = Text("GOOD / GOAL  ")
            good_label.append(f"{good} / {goal}", style="bold")
            self.query_one("#wall-oee-label", Static).update(oee_label)
            self.query_one("#wall-good-label", Static).update(good_label)
        self.query_one("#wall-oee-caption", Static).update(captions[0])
        self.query_one("#wall-good-caption", Static).update(captions[1])

    def clear_data(self) -> None:
        self.show(None)
