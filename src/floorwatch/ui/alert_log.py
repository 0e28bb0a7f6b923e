"""Alert log: newest first, severity label and colour, work center, message, since when.
Resolved alerts stay, marked ok (on wide tables with how long they lasted). A new alert (never
acknowledged) is marked NEW, blinking, beside its severity, and the panel gets a heavy border;
`a` acknowledges the selected new alert, or all of them. The work center's code is never cut,
the message gives way, and the line under the table shows the selected alert's whole message.
The rows are drawn from the app's alert log (`alerts`), which the app's alerts poll feeds and
which any view of the alerts watches."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import DataTable

from floorwatch.domain.alert_log import AlertLogState
from floorwatch.ui.alert_text import alert_text
from floorwatch.ui.export import ALERT_FIELDS, CsvRows, alert_records, as_csv
from floorwatch.ui.format import (
    NEW_MARK,
    SEVERITY_LOOKS,
    Look,
    clip_words,
    duration,
    local_datetime,
    since,
)
from floorwatch.ui.looks import Looks
from floorwatch.ui.panel import Panel
from floorwatch.ui.table import Cell, Column, RowDetail, Table, fill, fit_columns, selected_key

WIDE_AT = 70


def alert_columns(*, wide: bool) -> list[Column]:
    """A narrow table's State column says only NEW or ok (wide: ack, and how long it lasted)."""
    return [
        Column("severity", "Sev", 4),
        Column("wc", "WC", code=True),
        Column("state", "State", 8) if wide else Column("state", "St", 3),
        Column("since", "Since", 5, figure=True),
        # gives way to long codes on a narrow table: the line under the table shows it whole
        Column("message", "Message", flex=True, min_width=8, from_width=1),
    ]


NEW_COLUMN = "state"  # a new alert's NEW mark goes here; the severity stays shown


def new_mark() -> Text:
    return Text("NEW", style=NEW_MARK)


def alert_rows(
    log: AlertLogState,
    now: datetime,
    tz: object,
    *,
    look: Look,
    message_width: int = 60,
    ascii_only: bool = False,
    wide: bool = False,
) -> list[tuple[str, dict[str, Cell]]]:
    """Rows of the log: the severity always; the State column says NEW (blinking) for a new
    alert, ok for a resolved one (wide: with how long it lasted) and, wide, ack."""
    rows = []
    for alert in log.entries():
        label, severity_look = SEVERITY_LOOKS[alert.severity]
        severity = Text(label, style=look(severity_look) if alert.active else "dim")
        state = Text("ack" if wide else "")
        if not alert.active:
            assert alert.resolved_at is not None
            lasted = duration(alert.resolved_at - alert.started_at)
            state = Text(f"ok {lasted}" if wide else "ok", style="dim")
        cells: dict[str, Cell] = {"severity": severity, "state": state}
        if log.is_new(alert):
            cells[NEW_COLUMN] = new_mark()
        rows.append(
            (
                alert.key,
                {
                    **cells,
                    "wc": alert.work_center_code,
                    "since": since(alert.started_at, now)
                    if alert.active
                    else local_datetime(alert.started_at, tz, now, before_today="%m-%d"),
                    "message": Text(
                        clip_words(
                            alert_text(alert),
                            message_width,
                            ascii_only=ascii_only,
                        ),
                        style="" if alert.active else "dim",
                    ),
                },
            )
        )
    return rows


class AlertPanel(Panel, Looks):
    BINDINGS = [Binding("a", "acknowledge", "Ack")]

    def __init__(self) -> None:
        super().__init__("Alerts", id="alerts")

    def compose(self) -> ComposeResult:
        yield Table(cursor_type="row", id="alert-table")
        yield RowDetail(id="alert-detail")

    @property
    def table(self) -> DataTable[Cell]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        self.wide = False
        self.columns: list[Column] = []
        self.watch(self.app, "alerts", self._alerts_changed)

    def on_resize(self) -> None:
        with suppress(NoMatches):  # the table is gone while the app closes
            self.render_rows()

    def _message_width(self) -> int:
        return next((c.width or 0 for c in self.columns if c.key == "message"), 0)

    def _alerts_changed(self) -> None:
        # the app may publish while it closes, when this panel's table is already gone
        with suppress(NoMatches):
            self.render_rows()

    def render_rows(self) -> None:
        """The message column takes what the others leave, so messages are clipped at a word
        boundary by us rather than mid-word by the table."""
        monitor = self.monitor
        log = monitor.alerts
        width = self.size.width - 1  # the scrollbar
        self.wide = width >= WIDE_AT
        codes = [(a.key, {"wc": a.work_center_code}) for a in log.alerts]
        self.columns = fit_columns(alert_columns(wide=self.wide), codes, width)
        rows = alert_rows(
            log,
            monitor.now(),
            monitor.tz,
            look=self.look,
            message_width=self._message_width(),
            ascii_only=monitor.ascii,
            wide=self.wide,
        )
        fill(self.table, self.columns, rows, ascii_only=monitor.ascii)
        new, active = len(log.new_keys), log.active()
        counts = f"{new} new, {active} active" if new else f"{active} active"
        self.border_title = "Alerts" if log.polled_at is None else f"Alerts ({counts})"
        self.set_class(new > 0, "-new")
        self.show_detail()

    def show_detail(self) -> None:
        key = self.selected_alert()
        alert = next((a for a in self.monitor.alerts.alerts if a.key == key), None)
        text = Text(f"{alert.work_center_code}: {alert_text(alert)}") if alert else Text("")
        self.query_one(RowDetail).show(text)

    @on(DataTable.RowHighlighted, "#alert-table")
    def _highlighted(self) -> None:
        self.show_detail()

    def export_rows(self) -> CsvRows:
        log = self.monitor.alerts
        return as_csv(alert_records(log.alerts, log.new_keys, self.monitor.tz), ALERT_FIELDS)

    def restyle(self) -> None:
        self.render_rows()

    def selected_alert(self) -> str | None:
        return selected_key(self.table)

    def action_acknowledge(self) -> None:
        """The selected alert when it is new, else all new alerts."""
        keys = [a.key for a in self.monitor.alerts.new()]
        selected = self.selected_alert()
        self.monitor.acknowledge([selected] if selected in keys else keys)

    def clear_data(self) -> None:
        self.table.clear()
