"""Alert log: firing first, then pending, muted and resolved, newest first in each; severity
label and colour, work center, status, since when, message. The status is a word, a symbol
(wide) and a look: pending, firing, acknowledged, muted, ok (resolved; wide, with how long it
lasted). A new alert (firing, never acknowledged) blinks beside its severity, and the panel gets
a heavy border; `a` acknowledges the selected new alert, or all of them, `m` mutes the selected
alert's work center. The work center's code is never cut,
the message gives way, and the line under the table shows the selected alert's whole message.
The rows are drawn from the app's alert log (`alerts`), which the app's alerts poll feeds and
which any view of the alerts watches."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import DataTable

from floorwatch.domain.alert_log import AlertLogState, AlertStatus
from floorwatch.domain.models import Alert
from floorwatch.ui.alert_text import alert_text
from floorwatch.ui.export import ALERT_FIELDS, CsvRows, alert_records, as_csv
from floorwatch.ui.format import (
    ALERT_STATUS_LOOKS,
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
    """A narrow table's State column says the status in three letters (wide: a symbol and
    the word, and how long a resolved alert lasted)."""
    return [
        Column("severity", "Sev", 4),
        Column("wc", "WC", code=True),
        Column("state", "State", 9) if wide else Column("state", "St", 3),
        Column("since", "Since", 5, figure=True),
        # gives way to long codes on a narrow table: the line under the table shows it whole
        Column("message", "Message", flex=True, min_width=8, from_width=1),
    ]


NEW_COLUMN = "state"  # a new alert's blinking mark goes here; the severity stays shown


def status_cell(
    alert: Alert, status: AlertStatus, *, look: Look, wide: bool, ascii_only: bool = False
) -> Text:
    """The State column: pending / firing / acknowledged / muted / resolved, by word, symbol
    (wide) and look; a firing alert nobody acknowledged (new) blinks."""
    shown = ALERT_STATUS_LOOKS[status]
    if not wide:
        return Text(shown.short, style=look(shown.look))
    symbol = shown.ascii_symbol if ascii_only else shown.symbol
    label = shown.label
    if status is AlertStatus.RESOLVED and alert.resolved_at is not None:
        label = f"{label} {duration(alert.resolved_at - alert.started_at)}"
    return Text(f"{symbol} {label}", style=look(shown.look))


def alert_rows(
    log: AlertLogState,
    now: datetime,
    tz: object,
    *,
    look: Look,
    message_width: int = 60,
    ascii_only: bool = False,
    wide: bool = False,
    memo: dict[str, tuple[tuple[object, ...], dict[str, Cell]]] | None = None,
) -> list[tuple[str, dict[str, Cell]]]:
    """Rows of the log, in its reading order: the severity always (dim unless firing), the
    status in the State column, since when (firing: how long; resolved: when it started).
    With `memo` (kept by the caller for one look), a row made from the same alert, status
    and Since text as before is the same cells as before: the log keeps up to 500 alerts, most
    of them resolved, whose rows do not change from one poll to the next."""
    rows = []
    for alert in log.entries():
        status = log.status(alert)
        when = (
            since(alert.started_at, now)
            if alert.active
            else local_datetime(alert.started_at, tz, now, before_today="%m-%d")
        )
        given = (alert, status, when, message_width, ascii_only, wide)
        kept = memo.get(alert.key) if memo is not None else None
        if kept is not None and kept[0] == given:
            rows.append((alert.key, kept[1]))
            continue
        live = status in (AlertStatus.FIRING, AlertStatus.ACKNOWLEDGED)
        label, severity_look = SEVERITY_LOOKS[alert.severity]
        cells: dict[str, Cell] = {
            "severity": Text(label, style=look(severity_look) if live else "dim"),
            "state": status_cell(alert, status, look=look, wide=wide, ascii_only=ascii_only),
            "wc": alert.work_center_code,
            "since": when,
            "message": Text(
                clip_words(alert_text(alert), message_width, ascii_only=ascii_only),
                style="" if live else "dim",
            ),
        }
        if memo is not None:
            memo[alert.key] = (given, cells)
        rows.append((alert.key, cells))
    if memo is not None and len(memo) > len(rows):
        shown = {key for key, _ in rows}
        for key in memo.keys() - shown:
            del memo[key]
    return rows


def alert_detail(
    alert: Alert, log: AlertLogState, tz: ZoneInfo, now: datetime, *, wide: bool = True
) -> str:
    """The line under the table: the selected alert whole, its status and since when (a
    narrow panel leaves out when a firing alert began: its Since column says it), who
    acknowledged it and when, its mute, an escalation and how often it re-opened."""
    status = log.status(alert)

    def at(moment: datetime | None) -> str:
        return local_datetime(moment, tz, now, before_today="%m-%d %H:%M")

    parts = [f"{alert.work_center_code}: {alert_text(alert)}"]
    if status is AlertStatus.PENDING:
        parts.append(f"pending, fires at {at(alert.firing_from)}")
    elif status is AlertStatus.RESOLVED:
        parts.append(f"resolved at {at(alert.resolved_at)}")
    elif wide:
        parts.append(f"firing since {at(alert.firing_from)}")
    if alert.escalated:
        parts.append("escalated: unacknowledged")
    if alert.reopened:
        parts.append(f"re-opened {alert.reopened}x")
    ack = log.acks.get(alert.key)
    if ack is not None:
        who = f" by {ack.by}" if ack.by else ""
        when = f" at {at(ack.at)}" if ack.at else ""
        parts.append(f"acknowledged{who}{when}")
    mute = log.mutes.get(alert.work_center_id)
    if mute is not None:
        parts.append(f"muted until {at(mute.until)}" + (f" by {mute.by}" if mute.by else ""))
    return " · ".join(parts)


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
        self.memo: dict[str, tuple[tuple[object, ...], dict[str, Cell]]] = {}  # rows made
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
            memo=self.memo,
        )
        fill(self.table, self.columns, rows, ascii_only=monitor.ascii)
        new, active = len(log.new_keys), log.active()
        pending = log.count(AlertStatus.PENDING)
        # "2 new, 5 firing, 1 pending"; the firing count only where it says more than new
        counts = ", ".join(
            ([f"{new} new"] if new else [])
            + ([f"{active} firing"] if active != new or not new else [])
            + ([f"{pending} pending"] if pending else [])
        )
        self.border_title = "Alerts" if log.polled_at is None else f"Alerts ({counts})"
        self.set_class(new > 0, "-new")
        self.show_detail()

    def show_detail(self, *, shrink: bool = False) -> None:
        key = self.selected_alert()
        monitor = self.monitor
        log = monitor.alerts
        alert = next((a for a in log.alerts if a.key == key), None)
        text = (
            Text(alert_detail(alert, log, monitor.tz, monitor.now(), wide=self.wide))
            if alert
            else Text("")
        )
        self.query_one(RowDetail).show(text, shrink=shrink)

    @on(DataTable.RowHighlighted, "#alert-table")
    def _highlighted(self) -> None:
        table = self.table
        self.show_detail(shrink=isinstance(table, Table) and table.user_holds())

    def export_rows(self) -> CsvRows:
        log = self.monitor.alerts
        return as_csv(alert_records(log, self.monitor.tz), ALERT_FIELDS)

    def restyle(self) -> None:
        self.memo = {}
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
