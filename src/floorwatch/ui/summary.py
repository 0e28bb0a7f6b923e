"""Facility summary: run counts, today's completed quantities, yield, scrap rate, facility OEE,
and the current shift's pace (actual against target, downtime, good against the shift's goal)."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Static

from floorwatch.domain.models import FacilitySummary
from floorwatch.domain.shift_report import ShiftFigures, ShiftReport
from floorwatch.panels import SUMMARY
from floorwatch.ui.format import NONE, Look, count, dot, downtime, oee_look, pace_look, pct, waiting
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import show_text


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


def pieces(value: Decimal | None) -> str:
    """A count of pieces, whole (a target of 1,234.5 pieces reads 1,234)."""
    return NONE if value is None else count(int(value))


def pace_text(
    f: ShiftFigures, *, critical_gap_pct: float, look: Look, ascii_only: bool, width: int = 200
) -> Text:
    """`Shift  pace 89% (1,100 of 1,234) · down 23m · good 1,050 / goal 2,400`; narrower than
    that, the counts give way to the share: `· good 44% of goal`."""
    d = dot(ascii_only)
    band = pace_look(f.efficiency, f.target_oee_percentage, critical_gap_pct)
    down = downtime(f.downtime_minutes)
    share = Decimal(f.good) / f.goal if f.goal else None
    for counted in (True, False):
        text = Text()
        text.append("Shift  ", style="dim")
        text.append("pace ")
        text.append(pct(f.efficiency, 0), style=look(band) if band else "bold")
        if counted:
            text.append(f" ({count(f.actual)} of {pieces(f.target)})")
        text.append(f"{d}down {down}")
        if counted:
            text.append(f"{d}good {count(f.good)} / goal {pieces(f.goal)}")
        else:
            text.append(f"{d}good {pct(share, 0)} of goal")
        if text.cell_len <= width:
            break
    return text


class SummaryPanel(Panel, Looks):
    def __init__(self) -> None:
        super().__init__("Facility", id="summary")
        self.summary: FacilitySummary | None = None
        self.shift: ShiftFigures | None = None
        self._shown: Text | None = None  # the body on screen (an unchanged one is not redrawn)

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="summary-body")

    def on_mount(self) -> None:
        self.add_poll(SUMMARY, self.show)
        self.watch(self.app, "shift", self.show_pace)

    def show(self, summary: FacilitySummary) -> None:
        self.summary = summary
        self.redraw()

    def show_pace(self, report: ShiftReport | None) -> None:
        self.shift = report.facility if report else None
        self.redraw()

    def redraw(self) -> None:
        if self.summary is None:
            return  # the pace line waits for the summary's three
        monitor = self.monitor
        gap = monitor.config.alerts.oee_critical_gap_pct
        body = summary_text(
            self.summary, critical_gap_pct=gap, look=self.look, ascii_only=monitor.ascii
        )
        if self.shift is not None:
            body.append("\n")
            pace = pace_text(
                self.shift,
                critical_gap_pct=gap,
                look=self.look,
                ascii_only=monitor.ascii,
                width=self.content_region.width,
            )
            body.append_text(pace)
        shown = getattr(self, "_shown", None)
        if body != shown or shown is None or body.style != shown.style:
            show_text(self.query_one("#summary-body", Static), body, shown)
            self._shown = body

    def on_resize(self, event: Resize) -> None:
        self.redraw()

    def restyle(self) -> None:
        self.redraw()

    def clear_data(self) -> None:
        self.summary = self.shift = None
        self._shown = None
        self.query_one("#summary-body", Static).update(waiting(self.monitor.ascii))
