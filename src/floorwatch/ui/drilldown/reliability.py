"""Reliability of one work center over the last 7 and 30 days: MTBF and MTTR from its
breakdowns, loading and TEEP (README: Numbers), with the counts they come from."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from rich.table import Table
from textual.app import ComposeResult
from textual.widgets import Static

from floorwatch.domain.reliability import Reliability
from floorwatch.panels import RELIABILITY
from floorwatch.ui.format import NONE, count, duration, pct, waiting
from floorwatch.ui.panel import Panel


def _minutes(value: Decimal | None) -> str:
    return NONE if value is None else duration(timedelta(minutes=float(value)))


def reliability_table(windows: tuple[Reliability, ...]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    for r in windows:
        table.add_column(header=f"{r.days} days", justify="right", no_wrap=True)
    table.add_row("", *(f"{r.days} days" for r in windows), style="dim")
    table.add_row("MTBF", *(_minutes(r.mtbf_minutes) for r in windows))
    table.add_row("MTTR", *(_minutes(r.mttr_minutes) for r in windows))
    table.add_row(
        "Breakdowns", *(f"{count(r.failures)}, {_minutes(r.repair_minutes)}" for r in windows)
    )
    table.add_row("Loading", *(pct(r.loading) for r in windows))
    table.add_row("TEEP", *(pct(r.teep) for r in windows))
    return table


class ReliabilityPanel(Panel):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__("Reliability", id="reliability")
        self.work_center_id = work_center_id

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="reliability-body")

    def on_mount(self) -> None:
        self.add_drill_down_poll(RELIABILITY, self.work_center_id, self._show)

    def _show(self, windows: tuple[Reliability, ...]) -> None:
        self.query_one("#reliability-body", Static).update(reliability_table(windows))

    def clear_data(self) -> None:
        self.query_one("#reliability-body", Static).update(waiting(self.monitor.ascii))
