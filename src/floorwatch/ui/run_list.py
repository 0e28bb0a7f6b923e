"""Run list: active, paused, scheduled and recently completed runs; `/` filters by text,
`t` cycles a status filter, `s` cycles the sort order. Run, order and work-center numbers are
never cut; the line under the table shows the whole selected run."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import DataTable, Input

from floorwatch.domain.models import RunStatus, RunSummary
from floorwatch.panels import RUN_LIMIT, RUNS
from floorwatch.text import clean
from floorwatch.ui.export import RUN_FIELDS, CsvRows, as_csv, run_records
from floorwatch.ui.format import (
    RUN_STATUS_LABELS,
    Look,
    clip_words,
    count,
    dot,
    finish_text,
    local_datetime,
    pct,
)
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import (
    Cell,
    Column,
    RowDetail,
    Table,
    fill,
    fit_columns,
    selected_key,
    set_columns,
)

COLUMNS = [
    Column("run", "Run", code=True),  # identifiers are never cut: the column fits the longest
    Column("order", "Order", code=True, from_width=102),
    Column("wc", "WC", code=True),
    Column("status", "Status", 6, from_width=2),  # gives way to long codes (after Prog)
    Column("operator", "Operator", flex=True, min_width=10, from_width=86),
    Column("when", "When", 12, from_width=52),
    Column("finish", "Finish", 6, from_width=64),  # time to finish of an open run
    Column("progress", "Prog", 4, figure=True, from_width=3),
    Column("good", "Good", 7, from_width=61, figure=True),
    Column("scrap", "Scrap", 6, from_width=69, figure=True),
]

STATUS_FILTERS: list[tuple[str, set[RunStatus] | None]] = [
    ("all", None),
    ("active", {RunStatus.IN_PROGRESS}),
    ("paused", {RunStatus.PAUSED}),
    ("scheduled", {RunStatus.SCHEDULED}),
    ("done", {RunStatus.COMPLETED, RunStatus.CANCELLED}),
]

_STATUS_ORDER = {
    RunStatus.IN_PROGRESS: 0,
    RunStatus.PAUSED: 1,
    RunStatus.SCHEDULED: 2,
    RunStatus.COMPLETED: 3,
    RunStatus.CANCELLED: 4,
}


def _when(run: RunSummary) -> datetime | None:
    """The time that matters for the run's status: end if done, start if started, else plan."""
    if run.status in (RunStatus.COMPLETED, RunStatus.CANCELLED):
        return run.actual_end or run.scheduled_end
    return run.actual_start or run.scheduled_start


SORTS: list[tuple[str, Callable[[RunSummary], object]]] = [
    ("status", lambda r: (_STATUS_ORDER[r.status], r.work_center_code, r.production_run_number)),
    ("work center", lambda r: (r.work_center_code, _STATUS_ORDER[r.status])),
    ("progress", lambda r: (-(r.progress or 0), r.production_run_number)),
    ("run", lambda r: r.production_run_number),
]


def matches(run: RunSummary, needle: str) -> bool:
    if not needle:
        return True
    haystack = " ".join(
        filter(
            None,
            [
                run.production_run_number,
                run.production_order_number,
                run.work_center_code,
                run.operator_name,
                RUN_STATUS_LABELS[run.status][0],
                run.status.value,
            ],
        )
    ).lower()
    return all(word in haystack for word in needle.lower().split())


def run_rows(
    runs: list[RunSummary], tz: ZoneInfo, now: datetime, look: Look
) -> list[tuple[str, dict[str, Cell]]]:
    rows = []
    for run in runs:
        label, status_look = RUN_STATUS_LABELS[run.status]
        finish, finish_look = finish_text(run.finish, tz, now)
        rows.append(
            (
                str(run.run_id),
                {
                    "run": run.production_run_number,
                    "order": run.production_order_number or "-",
                    "wc": run.work_center_code,
                    "status": Text(label, style=look(status_look)),
                    "operator": run.operator_name or "-",
                    "when": local_datetime(_when(run), tz, now),
                    "finish": Text(finish, style=look(finish_look)),
                    "progress": pct(run.progress, 0),
                    "good": count(run.quantities.good),
                    "scrap": count(run.quantities.scrap),
                },
            )
        )
    return rows


def run_detail(
    run: RunSummary, tz: ZoneInfo, now: datetime, ascii_only: bool, hidden: set[str]
) -> Text:
    """The fields of the run the table's columns leave out (`hidden`, by column key) on one
    line: on a narrow table the order, operator, time and counts."""
    label, _ = RUN_STATUS_LABELS[run.status]
    fields = {
        "status": label,
        "order": run.production_order_number or "no order",
        "operator": run.operator_name or "no operator",
        "when": local_datetime(_when(run), tz, now),
        "progress": f"progress {pct(run.progress, 0)}",
        "good": f"{count(run.quantities.good)} good",
        "scrap": f"{count(run.quantities.scrap)} scrap",
    }
    # the finish is left out: at 80 columns the line would need a third row (the table's
    # Finish column shows from 64 columns, the export always has it)
    parts = [text for key, text in fields.items() if key in hidden]
    return Text(dot(ascii_only).join(parts))  # typed text: never markup


class RunList(Panel, Looks):
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("t", "cycle_status", "Status"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__("Runs", id="runs")
        self.runs: list[RunSummary] = []
        self.needle = ""
        self.status_filter = 0
        self.sort = 0
        self.columns: list[Column] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter runs (Esc clears)", id="run-filter")
        yield Table(cursor_type="row", id="run-table")
        yield RowDetail(id="run-detail")

    @property
    def table(self) -> DataTable[Cell]:
        return self.query_one("#run-table", DataTable)

    def on_mount(self) -> None:
        self.query_one(Input).display = False
        self.columns = set_columns(self.table, COLUMNS, 0)
        self.add_poll(RUNS, self._show)

    def on_resize(self) -> None:
        with suppress(NoMatches):  # the table is gone while the app closes
            self.render_rows()

    def _show(self, runs: list[RunSummary]) -> None:
        self.runs = runs
        self.render_rows()

    def visible_runs(self) -> list[RunSummary]:
        statuses = STATUS_FILTERS[self.status_filter][1]
        shown = [
            r
            for r in self.runs
            if (statuses is None or r.status in statuses) and matches(r, self.needle)
        ]
        return sorted(shown, key=SORTS[self.sort][1])  # type: ignore[arg-type,return-value]

    def render_rows(self) -> None:
        monitor = self.monitor
        runs = self.visible_runs()
        rows = run_rows(runs, monitor.tz, monitor.now(), self.look)
        # codes measured on every run, so the columns do not jump as the filter changes
        measure = rows if len(runs) == len(self.runs) else self._code_rows()
        self.columns = fit_columns(COLUMNS, measure, self.size.width - 1)  # the scrollbar
        fill(self.table, self.columns, rows, ascii_only=monitor.ascii)
        self.show_detail()
        capped = "+" if len(self.runs) >= RUN_LIMIT else ""  # the data layer's limit was hit
        parts = [f"{len(runs)}/{len(self.runs)}{capped}"]
        if self.status_filter:
            parts.append(STATUS_FILTERS[self.status_filter][0])
        if self.needle:
            parts.append(f'"{clip_words(clean(self.needle), 24, ascii_only=self.monitor.ascii)}"')
        if len(self.columns) > 4:  # room beyond the compact columns
            parts.append(f"by {SORTS[self.sort][0]}")
        sep = dot(self.monitor.ascii)
        self.border_title = Text("Runs" + sep + sep.join(parts))  # the needle is typed text

    def _code_rows(self) -> list[tuple[str, dict[str, Cell]]]:
        return [
            (
                str(r.run_id),
                {
                    "run": r.production_run_number,
                    "order": r.production_order_number or "-",
                    "wc": r.work_center_code,
                },
            )
            for r in self.runs
        ]

    def selected_run(self) -> RunSummary | None:
        key = selected_key(self.table)
        return next((r for r in self.runs if str(r.run_id) == key), None)

    def show_detail(self, *, shrink: bool = False) -> None:
        """The selected run's fields the columns leave out; no line when none is left out."""
        run = self.selected_run()
        monitor = self.monitor
        hidden = {c.key for c in COLUMNS} - {c.key for c in self.columns}
        text = run_detail(run, monitor.tz, monitor.now(), monitor.ascii, hidden) if run else None
        detail = self.query_one(RowDetail)
        detail.display = bool(text and text.plain)
        detail.show(text or Text(""), shrink=shrink)

    @on(DataTable.RowHighlighted, "#run-table")
    def _highlighted(self) -> None:
        table = self.table
        self.show_detail(shrink=isinstance(table, Table) and table.user_holds())

    def export_rows(self) -> CsvRows:
        """The runs shown (filter and sort applied), every field."""
        return as_csv(run_records(self.visible_runs(), self.monitor.tz), RUN_FIELDS)

    def restyle(self) -> None:
        self.render_rows()

    def clear_data(self) -> None:
        self.runs = []
        self.render_rows()

    def action_filter(self) -> None:
        box = self.query_one(Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one(Input)
        box.value = ""
        box.display = False
        self.needle = ""
        self.render_rows()
        self.table.focus()

    @on(Input.Changed, "#run-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value.strip()
        self.render_rows()

    @on(Input.Submitted, "#run-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one(Input).display = False
        self.table.focus()

    def action_cycle_status(self) -> None:
        self.status_filter = (self.status_filter + 1) % len(STATUS_FILTERS)
        self.render_rows()

    def action_cycle_sort(self) -> None:
        self.sort = (self.sort + 1) % len(SORTS)
        self.render_rows()
