"""Facility summary: run counts, today's completed quantities, yield, scrap rate, facility OEE."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from floorwatch.domain.models import FacilitySummary
from floorwatch.panels import SUMMARY
from floorwatch.ui.format import Palette, count, dot, pct, waiting
from floorwatch.ui.panel import Panel

# OEE bands against the target: at or above it, within this many points below it, further below
BAND_EDGES_BELOW_TARGET = (Decimal(0), Decimal(15))


def oee_band(oee: Decimal | None, target_pct: Decimal | None) -> int | None:
    """0 at or above target, 1 within 15 points below it, 2 further below; None: no figure."""
    if oee is None or target_pct is None:
        return None
    value = oee * 100
    return sum(1 for gap in BAND_EDGES_BELOW_TARGET if value < target_pct - gap)


def band_style(band: int | None) -> str:
    """Green / yellow / red, or (NO_COLOR) bold / plain / bold underline."""
    if band is None:
        return ""
    colour = ("bold green", "bold yellow", "bold red")[band]
    mono = ("bold", "", "bold underline")[band]
    return Palette.pick(colour, mono)


def oee_style(oee: Decimal | None, target_pct: Decimal | None) -> str:
    return band_style(oee_band(oee, target_pct))


def summary_text(s: FacilitySummary, *, ascii_only: bool = False) -> Text:
    d = dot(ascii_only)
    q = s.completed_quantities
    t = s.oee_today
    target = f"{s.target_oee_percentage:.1f}%" if s.target_oee_percentage is not None else "-"
    text = Text()
    text.append("Runs   ", style="dim")
    text.append(f"{s.active_runs} active", style="bold")
    text.append(f"{d}{s.paused_runs} paused{d}{s.scheduled_runs} scheduled{d}")
    text.append(f"{s.completed_today} done today\n", style="bold")
    text.append("Output ", style="dim")  # of the runs completed today
    text.append(f"good {count(q.good)}{d}scrap {count(q.scrap)} ({pct(q.scrap_rate)})")
    text.append(f"{d}rework {count(q.rework)}{d}yield {pct(q.yield_ratio)}\n")
    text.append("OEE    ", style="dim")
    text.append(pct(t.oee), style=oee_style(t.oee, s.target_oee_percentage) or "bold")
    text.append(f" (target {target})   ")
    text.append(f"A {pct(t.availability)}{d}P {pct(t.performance)}{d}Q {pct(t.quality)}")
    return text


class SummaryPanel(Panel):
    def __init__(self) -> None:
        super().__init__("Facility", id="summary")
        self.summary: FacilitySummary | None = None

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="summary-body")

    def on_mount(self) -> None:
        self.add_poll(SUMMARY, self.show)

    def show(self, summary: FacilitySummary) -> None:
        self.summary = summary
        body = summary_text(summary, ascii_only=self.monitor.ascii)
        self.query_one("#summary-body", Static).update(body)

    def clear_data(self) -> None:
        self.summary = None
        self.query_one("#summary-body", Static).update(waiting(self.monitor.ascii))
