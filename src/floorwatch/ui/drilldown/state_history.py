"""State history of one work center: today's timeline and the recent changes with reasons."""

from __future__ import annotations

import uuid
from datetime import datetime, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from floorwatch.domain.models import StatusChange
from floorwatch.domain.plant_time import is_ambiguous, local_day, utc_offset_text
from floorwatch.panels import STATE_HISTORY
from floorwatch.ui.drilldown.timeline import timeline
from floorwatch.ui.format import Look, local_datetime, since, state_text
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import Cell, Column, Table, fill, set_columns

COLUMNS = [
    Column("state", "State", 8),
    Column("start", "From", 16),
    Column("lasted", "For", 5, figure=True),
    Column("run", "Run", None),
    Column("reason", "Reason", None, max_width=48),
]


def start_text(moment: datetime, tz: tzinfo, now: datetime) -> str:
    """When a state began, plant-local; with the UTC offset where the clock time is ambiguous
    (the repeated hour of a fall-back night: '01:20 -04', then '01:20 -05')."""
    text = local_datetime(moment, tz, now)
    if is_ambiguous(moment, tz):
        text += " " + utc_offset_text(moment, tz)
    return text


def change_rows(
    changes: list[StatusChange], now: datetime, tz: tzinfo, *, look: Look, ascii_only: bool
) -> list[tuple[str, dict[str, Cell]]]:
    rows = []
    for c in changes:
        label, state_look = state_text(c.status, ascii_only=ascii_only)
        reason = c.reason_description or c.reason_code or ""
        rows.append(
            (
                c.status_start.isoformat(),
                {
                    "state": Text(label, style=look(state_look)),
                    "start": start_text(c.status_start, tz, now),
                    "lasted": since(c.status_start, c.status_end or now),
                    "run": c.production_run_number or "-",
                    "reason": reason,
                },
            )
        )
    return rows


class StateHistory(Panel, Looks):
    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__("State today and recent changes", id="state-history")
        self.work_center_id = work_center_id
        self.changes: list[StatusChange] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline")
        yield Table(cursor_type="row", id="change-table")

    def on_mount(self) -> None:
        self.columns = set_columns(self.query_one(DataTable), COLUMNS, width=1000)
        self.add_drill_down_poll(STATE_HISTORY, self.work_center_id, self._show)

    def _show(self, changes: list[StatusChange]) -> None:
        self.changes = changes
        self.redraw()

    def redraw(self) -> None:
        monitor = self.monitor
        now = monitor.now()
        day = local_day(now, monitor.source.scope.timezone)
        width = max(12, self.size.width - 4)
        drawn = timeline(
            self.changes,
            day,
            now,
            width,
            look=self.look,
            ascii_only=monitor.ascii,
            colour=not self.app.no_color,
        )
        line = self.query_one("#timeline", Static)
        lines = len(drawn.plain.split("\n"))  # 3 on a fall-back day: the repeated hour's mark
        if line.styles.height is None or line.styles.height.value != lines:
            line.styles.height = lines
        line.update(drawn)
        rows = change_rows(
            self.changes[:50], now, monitor.tz, look=self.look, ascii_only=monitor.ascii
        )
        fill(self.query_one(DataTable), self.columns, rows, ascii_only=monitor.ascii)

    def restyle(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        if self.changes:
            self.redraw()
