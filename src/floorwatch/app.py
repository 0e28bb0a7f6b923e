"""The floorwatch monitor: a Textual app over a PlantSource.

The app owns the state every panel shares (connection state, pause, alert log, clocks); the
panels own their polls. The alerts poll is the app's own, so alerts are fetched on every screen
(drill-down, help, kiosk); the log is published as `alerts`, an immutable snapshot that any view
of the alerts watches, and the alert log panel's border shows that poll's age. The shift poll is
the app's own too: one query feeds the main and wall screens' views of the current shift's
pace (`shift`).
Push refresh: with a ChangeFeed (db/changes.py) the app LISTENs for the facility's change
notices; each notice, gathered for `[push] debounce_ms`, fetches at once the visible polls that
read a changed table, and while push is on every timer runs `[push] stretch` times slower.
`run_monitor` is the entry point the CLI calls."""

from __future__ import annotations

import asyncio
import csv
import signal
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import DataTable

from floorwatch import exit_codes
from floorwatch.acks import AckStore, default_state_dir
from floorwatch.alert_action import AlertAction
from floorwatch.config import Config
from floorwatch.db.changes import ChangeFeed, FeedState
from floorwatch.db.dsn import Target
from floorwatch.db.source import PlantSource
from floorwatch.domain.alert_log import AlertLog, AlertLogState
from floorwatch.domain.models import Alert, Scope, Severity
from floorwatch.domain.shift_report import ShiftReport
from floorwatch.panels import ALERTS, SHIFT, PanelSpec
from floorwatch.text import clean
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.chrome import Banner, ConnectionState, StatusLine, status_parts
from floorwatch.ui.export import export_rows, write_atomically
from floorwatch.ui.fetch_strategy import FetchStrategy, TimerStrategy
from floorwatch.ui.format import duration_long
from floorwatch.ui.looks import FLOORWATCH_THEME, with_look_variables
from floorwatch.ui.messages import (
    AlertsPolled,
    OpenWorkCenter,
    PlantChanged,
    PollFailed,
    PollSucceeded,
    PushStateChanged,
)
from floorwatch.ui.panel import Panel
from floorwatch.ui.poller import Poll
from floorwatch.ui.run_list import RunList
from floorwatch.ui.screens.base import MonitorScreen
from floorwatch.ui.screens.facility_picker import FacilityPicker
from floorwatch.ui.screens.help import HelpScreen
from floorwatch.ui.screens.losses import LossesScreen
from floorwatch.ui.screens.main import MainScreen
from floorwatch.ui.screens.mute import MuteScreen
from floorwatch.ui.screens.shift import ShiftScreen
from floorwatch.ui.screens.wall import WallScreen
from floorwatch.ui.screens.work_center import WorkCenterScreen
from floorwatch.ui.work_center_grid import WorkCenterGrid

T = TypeVar("T")
Clock = Callable[[], datetime]
Background = Callable[[], Awaitable[None]]
# the panels whose border shows the age of the app's alerts poll (main screen, wall)
ALERTS_PANEL_IDS = frozenset({"alerts", "wall-alerts"})
# ... and of its shift poll (the grid's Pace column, the facility panel's pace line, the wall's
# good / goal)
SHIFT_PANEL_IDS = frozenset({"work-centers", "summary", "wall-facility"})


class FloorwatchApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "floorwatch"
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("p", "pause", "Pause"),
        Binding("r", "refresh", "Refresh"),
        Binding("a", "acknowledge", "Ack"),
        Binding("m", "mute", "Mute", show=False),
        Binding("h", "shifts", "Shift"),
        Binding("l", "losses", "Losses"),
        Binding("f", "facility", "Facility", show=False),
        Binding("e", "export", "Export", show=False),
        Binding("slash", "filter_runs", "Filter", show=False),
    ]
    # the panels watching these repaint what they show; a repaint of the app (a reactive's
    # default) would repaint the whole screen on every alert and shift poll
    alerts: reactive[AlertLogState] = reactive(AlertLogState(), init=False, repaint=False)
    shift: reactive[ShiftReport | None] = reactive(None, init=False, repaint=False)

    def __init__(
        self,
        source: PlantSource,
        config: Config,
        scopes: list[Scope] | None = None,
        *,
        where: str = "",
        demo: bool = False,
        clock: Clock | None = None,
        wall: Callable[[], float] | None = None,
        background: Background | None = None,
        state_dir: Path | None = None,
        changes: ChangeFeed | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.config = config
        self.scopes = scopes or [source.scope]
        self.where = where
        self.demo = demo
        self._clock = clock
        self._wall = wall or time.monotonic
        self.background = background
        self.ascii = config.ascii
        self.paused = False
        self.scope_generation = 0
        self.poll_timeout = config.statement_timeout_ms / 1000 + 2
        self.connection = ConnectionState()
        self.polls: list[Poll[Any]] = []
        self.alerts_poll: Poll[list[Alert]] | None = None
        self.shift_poll: Poll[ShiftReport] | None = None
        self.outage_since: float | None = None  # wall time of the first failed poll of an outage
        self.state_dir = state_dir
        self.acks = AckStore(state_dir, source.scope)
        self.alert_log = self._new_alert_log()
        self.alert_action = _alert_action(config, state_dir)
        self.changes = changes
        self.push = FeedState(False, "push refresh is off" if changes is None else "starting")
        self._changed: set[str] = set()  # tables named by notices not yet fetched
        self._changes_timer: Timer | None = None
        self.register_theme(FLOORWATCH_THEME)
        self.theme = config.theme or FLOORWATCH_THEME.name

    def get_css_variables(self) -> dict[str, str]:
        return with_look_variables(super().get_css_variables())

    # --- what panels ask of the app (MonitorHost) ---

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.source.scope.timezone)

    @property
    def connection_lost(self) -> bool:
        """A poll lost the connection and none has succeeded since: all data shown is stale."""
        return not self.connection.connected

    def now(self) -> datetime:
        return self._clock() if self._clock else datetime.now(UTC)

    @property
    def interval_stretch(self) -> float:
        return self.config.push.stretch if self.push.push else 1.0

    def wall(self) -> float:
        return self._wall()

    def fetch_strategy(self, poll_name: str) -> FetchStrategy:
        """When the poll `poll_name` fetches: on its timer (a push strategy would go here)."""
        return TimerStrategy()

    def register_poll(self, poll: Poll[Any]) -> None:
        self.polls.append(poll)

    def may_poll(self, owner: DOMNode, *, ignore_pause: bool = False) -> bool:
        if (self.paused and not ignore_pause) or not owner.is_attached:
            return False
        if owner is self:
            return self.is_running  # the app's own polls run on every screen, until it closes
        return owner.screen in self._visible_screens()

    def polls_shown_in(self, panel_id: str | None) -> list[Poll[Any]]:
        """The app's polls whose age the panel `panel_id` shows in its border."""
        own = ((ALERTS_PANEL_IDS, self.alerts_poll), (SHIFT_PANEL_IDS, self.shift_poll))
        return [poll for ids, poll in own if panel_id in ids and poll is not None]

    def refresh_age(self, wall: float, paused: bool) -> None:
        """An app poll answered: the panels that show its age say so at once."""
        if self._screens_gone():
            return
        for screen in self._visible_screens():
            for panel in screen.query(Panel):
                if self.polls_shown_in(panel.id):
                    panel.refresh_age(wall, paused)

    def _visible_screens(self) -> list[Any]:
        """The top screen and, under modal dialogs, the screen they cover."""
        visible = []
        for screen in reversed(self.screen_stack):
            visible.append(screen)
            if not screen.is_modal:
                break
        return visible

    def _live_polls(self) -> list[Poll[Any]]:
        """The polls of mounted panels (a closed drill-down's polls are dropped here)."""
        self.polls = [p for p in self.polls if p.owner.is_attached]
        return self.polls

    def wake_polls(self) -> None:
        for poll in self._live_polls():
            if self.may_poll(poll.owner):
                poll.wake()

    # --- lifecycle ---

    def get_default_screen(self) -> MonitorScreen:
        return WallScreen() if self.config.layout == "wall" else MainScreen()

    def on_mount(self) -> None:
        self.set_class(self.ascii, "-ascii")
        self.refresh_chrome()
        self.set_interval(1.0, self._tick, name="tick")
        self.alerts_poll = self._start_own_poll(ALERTS, self._alerts_fetched)
        self.shift_poll = self._start_own_poll(SHIFT, self._shift_fetched)
        self._listen()
        if self.config.kiosk_seconds:
            self.set_interval(self.config.kiosk_seconds, self._kiosk, name="kiosk")
        if self.background is not None:
            self.run_worker(
                self.background(), group="simulator", exit_on_error=False, description="simulator"
            )

    async def on_unmount(self) -> None:
        if self.alert_action is not None:
            await self.alert_action.close()  # a command still running is killed after 2 s
        await self.source.close()

    def _screens_gone(self) -> bool:
        """The app is closing: its screens are gone, and a poll answered late has nothing to
        draw on (`self.screen` would raise ScreenStackError)."""
        return not self.screen_stack

    def _tick(self) -> None:
        if self._screens_gone():
            return
        wall = self.wall()
        for screen in self._visible_screens():
            for panel in screen.query(Panel):
                panel.refresh_age(wall, self.paused)
        self.refresh_chrome()

    # --- push refresh ---

    def _listen(self) -> None:
        """LISTEN for the current facility (a new worker replaces the last one's)."""
        if self.changes is None:
            return
        self.run_worker(
            self.changes.run(
                self.source.scope.facility_id,
                lambda tables: self.post_message(PlantChanged(tables)),
                lambda state: self.post_message(PushStateChanged(state)),
            ),
            group="changes",
            exclusive=True,
            exit_on_error=False,
            description="change notices",
        )

    @on(PlantChanged)
    def _plant_changed(self, message: PlantChanged) -> None:
        self._changed |= message.tables
        if self._changes_timer is None:
            delay = max(self.config.push.debounce_ms / 1000, 0.01)
            self._changes_timer = self.set_timer(delay, self._fetch_changed, name="push")

    def _fetch_changed(self) -> None:
        tables, self._changed, self._changes_timer = frozenset(self._changed), set(), None
        for poll in self._live_polls():
            if poll.reads_any(tables):
                poll.changed()

    @on(PushStateChanged)
    def _push_state(self, message: PushStateChanged) -> None:
        was, self.push = self.push, message.state
        if was.push != message.state.push:
            # on: what changed before it was listening is fetched now; off: the timers go back
            # to the configured intervals from now, not after a stretched wait
            self._poll_visible()
        self.refresh_chrome()

    # --- connection state ---

    @on(PollSucceeded)
    def _poll_ok(self, message: PollSucceeded) -> None:
        if not self.connection.connected or self.connection.connecting:
            lost = not self.connection.connected
            self.connection = ConnectionState(connected=True, connecting=False)
            self.outage_since = None
            if lost:
                # back after an outage: every panel fetches now, not when its poll comes due
                # (the trends' 60 s, or a failed poll's backoff of up to 30 s)
                self._poll_visible()
            self._tick()

    @on(PollFailed)
    def _poll_failed(self, message: PollFailed) -> None:
        if not message.connection_lost:
            return
        # attempts: the most retries any panel has made since the connection was lost
        attempts = max((p.failures for p in self.polls), default=1)
        if self.outage_since is None:
            self.outage_since = self.wall()
        self.connection = ConnectionState(
            connected=False, connecting=False, attempts=attempts, reason=message.reason
        )
        self._tick()  # every panel's border says stale now, not only the failing poll's

    def outage_for(self) -> str | None:
        """How long the database has been unreachable: since this outage's first failed poll
        (each panel's border says how old its own data is)."""
        if self.connection.connected or self.outage_since is None:
            return None
        return duration_long(timedelta(seconds=self.wall() - self.outage_since))

    def refresh_chrome(self) -> None:
        if self._screens_gone():
            return
        scope = self.source.scope
        parts = status_parts(
            scope_label=f"{scope.tenant_code} / {scope.facility_name}",
            where=self.where,
            demo=self.demo,
            clock=self.now().astimezone(self.tz).strftime("%a %H:%M"),
            state=self.connection,
            push=self.push.push,
            paused=self.paused,
            ascii_only=self.ascii,
            new_alerts=len(self.alerts.new_keys),
        )
        outage = self.outage_for()
        has_data = any(p.fetched_at is not None for p in self.polls)
        # under a dialog (help) the screen below still shows its status line
        for screen in self._visible_screens():
            for line in screen.query(StatusLine):
                line.show(parts, self.ascii)
            for banner in screen.query(Banner):
                banner.show(self.connection, self.paused, outage, has_data=has_data)

    # --- alerts ---

    def _start_own_poll(self, spec: PanelSpec[T], apply: Callable[[T], None]) -> Poll[T]:
        seconds = self.config.intervals.seconds(spec.interval_key)
        poll = Poll(self, spec.name, seconds, spec.fetch, apply, self.fetch_strategy(spec.name))
        poll.start()
        return poll

    def _shift_fetched(self, report: ShiftReport) -> None:
        self.shift = report

    def _alerts_fetched(self, alerts: list[Alert]) -> None:
        self.post_message(AlertsPolled(alerts))

    def watch_alerts(self) -> None:
        self.refresh_chrome()  # the status line's count, on every screen

    def _new_alert_log(self) -> AlertLog:
        acks = self.acks.load()
        return AlertLog(acks, self.acks.mutes, self.config.alerts)

    @on(AlertsPolled)
    def _alerts_polled(self, message: AlertsPolled) -> None:
        now = self.now()
        events = self.alert_log.update(message.alerts, now)
        # what the clock alone will change next (a pending alert starts firing, a warning
        # escalates): the alerts poll fetches then, not at its stretched interval
        due = self.alert_log.next_change(now)
        if due is not None and self.alerts_poll is not None:
            self.alerts_poll.due_at(due)
        # the bell rings once for each alert that starts firing critical or escalates to it
        if self.config.bell and any(e.alert.severity is Severity.CRITICAL for e in events):
            self.bell()
        self.alerts = self.alert_log.state()
        if self.alert_action is not None:
            # background tasks: the command never holds up this handler (alert_action.py)
            self.alert_action.dispatch(events, self.alerts, self.source.scope, self.now())

    def acknowledge(self, keys: Iterable[str]) -> None:
        fresh = [k for k in dict.fromkeys(keys) if k not in self.alert_log.acknowledged]
        if fresh:
            ack = self.acks.add(fresh, self.now())
            added = self.alert_log.acknowledge(fresh, ack)
            self.notify(f"acknowledged {len(added)} alert{'s' if len(added) > 1 else ''}")
        self.alerts = self.alert_log.state()

    def mute(self, work_center_id: uuid.UUID, code: str, minutes: float | None) -> None:
        """Mutes one work center's alerts for `minutes` (None: unmutes it)."""
        now = self.now()
        if minutes is None:
            self.acks.unmute(work_center_id, now)
            if self.alert_log.unmute(work_center_id):
                self.notify(f"{clean(code)}: alerts unmuted", markup=False)
        else:
            mute = self.acks.mute(work_center_id, now + timedelta(minutes=minutes), now)
            self.alert_log.mute(work_center_id, mute)
            until = mute.until.astimezone(self.tz).strftime("%H:%M")
            self.notify(f"{clean(code)}: alerts muted until {until}", markup=False)
        self.alerts = self.alert_log.state()

    def action_acknowledge(self) -> None:
        """All new alerts (the alert panel binds `a` to its selected one when it has focus)."""
        self.acknowledge([a.key for a in self.alert_log.new()])

    def _mute_target(self) -> tuple[uuid.UUID, str] | None:
        """The work center `m` mutes: the drill-down's, else the selected alert's (the alert
        log has focus), else the grid's selected row."""
        screen = self.screen
        if isinstance(screen, WorkCenterScreen):
            wc: uuid.UUID | None = screen.work_center_id
        else:
            wc = None
            for panel in screen.query(AlertPanel):
                if panel.has_focus_within:
                    key = panel.selected_alert()
                    wc = next((a.work_center_id for a in self.alerts.alerts if a.key == key), None)
            if wc is None:
                grid = next(iter(screen.query(WorkCenterGrid)), None)
                wc = grid.selected_work_center() if grid is not None else None
        if wc is None:
            return None
        return wc, self.work_center_code(wc)

    def work_center_code(self, work_center_id: uuid.UUID) -> str:
        for alert in self.alerts.alerts:
            if alert.work_center_id == work_center_id:
                return alert.work_center_code
        for grid in self.screen_stack[0].query(WorkCenterGrid) if self.screen_stack else ():
            code = grid.code_of(work_center_id)
            if code:
                return code
        return str(work_center_id)[:8]

    def action_mute(self) -> None:
        target = self._mute_target()
        if target is None:
            self.notify("select a work center or an alert to mute")
            return
        wc, code = target

        def chosen(minutes: float | bool | None) -> None:
            if minutes is not False:
                self.mute(wc, code, None if minutes is None else float(minutes))

        self.push_screen(MuteScreen(code, muted=wc in self.alert_log.mutes), chosen)

    # --- actions ---

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.ascii))

    def action_shifts(self) -> None:
        if not isinstance(self.screen, ShiftScreen):
            self.push_screen(ShiftScreen())

    def action_losses(self) -> None:
        if not isinstance(self.screen, LossesScreen):
            self.push_screen(LossesScreen())

    def action_pause(self) -> None:
        self.paused = not self.paused
        if not self.paused:
            self.wake_polls()
        self._tick()

    def action_refresh(self) -> None:
        for poll in self._live_polls():
            if self.may_poll(poll.owner, ignore_pause=True):
                poll.poll_now(force=True)

    def _poll_visible(self) -> None:
        """Poll every visible panel now (not while paused)."""
        for poll in self._live_polls():
            if self.may_poll(poll.owner):
                poll.poll_now()

    def action_filter_runs(self) -> None:
        for runs in self.query(RunList):
            runs.action_filter()

    def action_facility(self) -> None:
        if len(self.scopes) < 2:
            self.notify("this login sees only one facility")
            return
        self.push_screen(FacilityPicker(self.scopes, self.source.scope), self._switch_scope)

    def _switch_scope(self, scope: Scope | None) -> None:
        if scope is None or scope.facility_id == self.source.scope.facility_id:
            return
        while isinstance(self.screen, WorkCenterScreen):
            self.pop_screen()  # a drill-down belongs to the facility it was opened in
        self.scope_generation += 1
        self.source.switch(scope)
        self.acks = AckStore(self.state_dir, scope)
        self.alert_log = self._new_alert_log()
        self.alerts = self.alert_log.state()
        self.shift = None
        self._changed.clear()  # notices of the facility left
        self._listen()
        for poll in (self.alerts_poll, self.shift_poll):
            if poll is not None:
                poll.reset()
                poll.poll_now()
        for panel in self.query(Panel):
            panel.reset()
        self.refresh_chrome()

    def action_export(self) -> None:
        """The focused table (else the screen's first) as data: every field of its rows,
        whatever this width shows (ui/export.py), into export_dir."""
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None:
            tables = list(self.screen.query(DataTable))
            table = tables[0] if tables else None
        if table is None:
            self.notify("nothing to export here", severity="warning")
            return
        rows = export_rows(table)
        name = (table.id or "table").removesuffix("-table")
        stamp = self.now().astimezone(self.tz).strftime("%Y%m%d-%H%M%S")
        path = self.export_dir / f"floorwatch-{name}-{stamp}.csv"
        try:
            write_atomically(path, lambda handle: csv.writer(handle).writerows(rows))
        except OSError as exc:
            self._saving_failed("export", path, exc)
            return
        # the directory may be named anything, `dir[/]x` or an escape sequence
        self.notify(f"exported {len(rows) - 1} rows to {clean(str(path))}", markup=False)

    @property
    def export_dir(self) -> Path:
        return self.config.export_dir or Path.cwd()

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The command palette's screenshot, saved into export_dir (Textual's default is
        ~/Downloads, missing on a fresh SSH account); in a browser, delivered as Textual does."""
        if self.is_web:
            return super().deliver_screenshot(filename, path or str(self.export_dir), time_format)
        stamp = self.now().astimezone(self.tz).strftime("%Y%m%d-%H%M%S")
        target = Path(path) if path else self.export_dir
        target = target / (filename or f"floorwatch-screen-{stamp}.svg")
        svg = self.export_screenshot()
        try:
            write_atomically(target, lambda handle: handle.write(svg))
        except OSError as exc:
            self._saving_failed("screenshot", target, exc)
            return None
        self.notify(f"saved screenshot to {clean(str(target))}", markup=False)
        return str(target)

    def _saving_failed(self, what: str, path: Path, exc: OSError) -> None:
        reason = exc.strerror or type(exc).__name__
        self.notify(f"{what} failed: {reason}: {clean(str(path))}", severity="error", markup=False)

    @on(OpenWorkCenter)
    def _open_work_center(self, message: OpenWorkCenter) -> None:
        wc_id = message.work_center_id
        title = str(wc_id)
        for grid in self.query(WorkCenterGrid):
            found = [u for u in grid.utilization if u.work_center_id == wc_id]
            if found:
                title = f"{found[0].work_center_code}  {found[0].work_center_name}"
        self.push_screen(WorkCenterScreen(wc_id, title))

    def _kiosk(self) -> None:
        """Unattended: cycle facilities, or show the worst work center every other step."""
        if isinstance(self.screen, WorkCenterScreen):
            self.screen.dismiss()
            return
        if len(self.scopes) > 1:
            current = next(
                (
                    i
                    for i, s in enumerate(self.scopes)
                    if s.facility_id == self.source.scope.facility_id
                ),
                0,
            )
            self._switch_scope(self.scopes[(current + 1) % len(self.scopes)])
            return
        for grid in self.query(WorkCenterGrid):
            worst = grid.worst_work_center()
            if worst is not None:
                self.post_message(OpenWorkCenter(worst))


def _alert_action(config: Config, state_dir: Path | None) -> AlertAction | None:
    """The `[alerts] command`, when one is set (what it was run for is kept in state_dir)."""
    command = getattr(config.alerts, "command", None)
    if not command:
        return None
    return AlertAction(command, config.alerts.command_timeout_seconds, state_dir)


def _change_feed(target: Target, config: Config) -> ChangeFeed | None:
    """None (timers only) when push is off, or behind a transaction-mode pooler: LISTEN is a
    session's, and notifications would go to whichever client next holds its connection."""
    if not config.push.enabled or config.pooler == "transaction":
        return None
    return ChangeFeed(
        target,
        retry_seconds=config.push.retry_seconds,
        statement_timeout_ms=config.statement_timeout_ms,
    )


def run_monitor(
    target: Target,
    config: Config,
    scope: Scope,
    scopes: list[Scope],
    *,
    demo: bool = False,
    demo_name: str = "embedded demo",
    clock: Clock | None = None,
    background: Background | None = None,
) -> int:
    from floorwatch.db.dsn import describe
    from floorwatch.logs import configure

    configure(target.dsn)
    source = PlantSource(
        target,
        scope,
        reader_role=config.reader_role or None,
        statement_timeout_ms=config.statement_timeout_ms,
        rules=config.alerts,
        losses=config.losses,
        pooler=config.pooler,
    )
    app = FloorwatchApp(
        source,
        config,
        scopes,
        where=demo_name if demo else clean(describe(target.dsn)),  # %1b in a DSN
        demo=demo,
        clock=clock,
        background=background,
        state_dir=default_state_dir(),
        changes=_change_feed(target, config),
    )

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM):
            # an SSH drop or a service stop ends the monitor instead of leaving it spinning
            loop.add_signal_handler(sig, app.exit)
        await app.run_async()

    asyncio.run(main())
    if app.return_code:  # Textual caught an exception and closed the app: not a clean exit
        return exit_codes.BAD_INPUT
    return exit_codes.OK
