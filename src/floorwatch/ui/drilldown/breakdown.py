"""Today's OEE of one work center, broken down into availability, performance and quality with
the times and counts they come from (so each figure can be checked by hand)."""

from __future__ import annotations

import uuid

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from floorwatch.domain.models import WorkCenterSummary
from floorwatch.panels import BREAKDOWN
from floorwatch.ui.format import Look, count, oee_look, pct, waiting
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel


def breakdown_table(wc: WorkCenterSummary, *, critical_gap_pct: float, look: Look) -> Table:
    t = wc.oee_today
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(style="dim")
    run_min, planned = t.runtime_minutes, t.planned_minutes
    ideal = t.ideal_seconds / 60
    table.add_row(
        "Availability", pct(t.availability), f"{run_min:.0f} run of {planned:.0f} planned min"
    )
    table.add_row(
        "Performance",
        pct(t.performance),
        f"{ideal:.0f} ideal in {run_min:.0f} run min",
    )
    table.add_row("Quality", pct(t.quality), f"{count(t.good)} good / {count(t.produced)} produced")
    target = wc.target_oee_percentage
    band = oee_look(t.oee, target, critical_gap_pct)
    table.add_row(
        "OEE",
        Text(pct(t.oee), style=look(band) if band else "bold"),
        f"target {target:.1f}%" if target is not None else "no target",
    )
    return table


class BreakdownPanel(Panel, Looks):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__("OEE today", id="breakdown")
        self.work_center_id = work_center_id
        self.summary: WorkCenterSummary | None = None

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="breakdown-body")

    def on_mount(self) -> None:
        self.add_drill_down_poll(BREAKDOWN, self.work_center_id, self._show)

    def _show(self, rows: list[WorkCenterSummary]) -> None:
        found = [wc for wc in rows if wc.work_center_id == self.work_center_id]
        body = self.query_one("#breakdown-body", Static)
        if not found:
            body.update("work center not found (deleted or inactive?)")
            return
        self.summary = found[0]
        gap = self.monitor.config.alerts.oee_critical_gap_pct
        body.update(breakdown_table(found[0], critical_gap_pct=gap, look=self.look))

    def restyle(self) -> None:
        if self.summary is not None:
            self._show([self.summary])
