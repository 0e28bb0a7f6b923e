"""Facility summary: run counts, today's completed quantities, yield, scrap rate, facility OEE."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from floorwatch.domain.models import FacilitySummary
from floorwatch.panels import SUMMARY
from floorwatch.ui.format import Look, count, dot, oee_look, pct, waiting
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel


def summary_text(
    s: FacilitySummary, *, critical_gap_pct: float, look: Look, ascii_only: bool = False
) -> Text:
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
    band = oee_look(t.oee, s.target_oee_percentage, critical_gap_pct)
    text.append(pct(t.oee), style=look(band) if band else "bold")
    text.append(f" (target {target})   ")
    text.append(f"A {pct(t.availability)}{d}P {pct(t.performance)}{d}Q {pct(t.quality)}")
    return text


class SummaryPanel(Panel, Looks):
    def __init__(self) -> None:
        super().__init__("Facility", id="summary")
        self.summary: FacilitySummary | None = None

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="summary-body")

    def on_mount(self) -> None:
        self.add_poll(SUMMARY, self.show)

    def show(self, summary: FacilitySummary) -> None:
        self.summary = summary
        monitor = self.monitor
        body = summary_text(
            summary,
            critical_gap_pct=monitor.config.alerts.oee_critical_gap_pct,
            look=self.look,
            ascii_only=monitor.ascii,
        )
        self.query_one("#summary-body", Static).update(body)

    def restyle(self) -> None:
        if self.summary is not None:
            self.show(self.summary)

    def clear_data(self) -> None:
        self.summary = None
        self.query_one("#summary-body", Static).update(waiting(self.monitor.ascii))
