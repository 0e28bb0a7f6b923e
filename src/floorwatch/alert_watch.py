"""`floorwatch alerts` (#12 item 6): the firing alerts of one facility for scripts, once or
`--watch`ed. The rules' alerts come from the data layer (PlantData.alerts), their lifecycle from
the monitor's AlertLog, acknowledgements and mutes from the monitor's local store (read only).

Once: the alerts as of now, a table or `--json`, and the exit code of the worst firing one
(alert_report.exit_code). `--watch`: one AlertLog across polls, printing the changes (started
firing, escalated, resolved) as lines or JSON lines until SIGINT / SIGTERM / SIGHUP (exit 0); a
failed poll is one line on stderr and the next poll tries again. The alert command
(alert_action.py) runs for the same events as in the monitor."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg

from floorwatch import alert_report, exit_codes
from floorwatch.acks import AckStore, default_state_dir
from floorwatch.alert_action import AlertAction
from floorwatch.config import Config
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import CONNECTION_ERRORS, Database, open_database
from floorwatch.db.source import unavailable_reason
from floorwatch.domain.alert_log import AlertLog, AlertLogState, AlertStatus
from floorwatch.domain.models import Alert, Scope
from floorwatch.errors import UserError
from floorwatch.text import for_terminal

Say = Callable[[str], None]


def _say(message: str) -> None:
    print(f"floorwatch: {for_terminal(message)}", file=sys.stderr, flush=True)


def _out(line: str) -> None:
    print(line, flush=True)


def _alert_log(config: Config, store: AckStore) -> AlertLog:
    acks = store.load()
    return AlertLog(acks, store.mutes, config.alerts)


def _reload_acks(log: AlertLog, store: AckStore) -> None:
    """What the monitor acknowledged or muted since the last poll (the file is the monitor's)."""
    log.acknowledged = store.load()
    log.mutes = dict(store.mutes)


def _statuses(show_all: bool) -> tuple[AlertStatus, ...]:
    return alert_report.ALL if show_all else alert_report.FIRING


async def _pool(target: Target, config: Config) -> asyncpg.Pool:
    """The monitor's own kind of pool (db/pool.py open_database): reads as the reader role."""
    db = await open_database(
        target,
        reader_role=config.reader_role or None,
        statement_timeout_ms=config.statement_timeout_ms,
        pooler=config.pooler,
    )
    return db.pool


def _data(pool: asyncpg.Pool, config: Config, scope: Scope) -> PlantData:
    return PlantData(Database(pool, config.reader_role or None), scope, config.alerts)


async def _close(pool: asyncpg.Pool) -> None:
    try:
        await asyncio.wait_for(pool.close(), 5)
    except (*CONNECTION_ERRORS, TimeoutError):
        pool.terminate()


# --- once ---


async def snapshot(target: Target, config: Config, scope: Scope, now: datetime) -> AlertLogState:
    """The alert log as a monitor started now would show it after its first poll."""
    pool = await _pool(target, config)
    try:
        alerts = await _data(pool, config, scope).alerts(now)
    except asyncpg.PostgresError as exc:  # e.g. a privilege this login lacks
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"alerts failed on {target.display}: {first}") from None
    except CONNECTION_ERRORS as exc:
        reason = unavailable_reason(exc, target.dsn)
        raise UserError(f"alerts failed on {target.display}: {reason}") from None
    finally:
        await _close(pool)
    log = _alert_log(config, AckStore(default_state_dir(), scope))
    log.update(alerts, now)
    return log.state()


def once(target: Target, config: Config, scope: Scope, *, as_json: bool, show_all: bool) -> int:
    now = datetime.now(UTC)
    state = asyncio.run(snapshot(target, config, scope, now))
    statuses = _statuses(show_all)
    if as_json:
        _out(json.dumps(alert_report.document(state, scope, now, statuses), indent=2))
    else:
        for line in alert_report.table(state, scope, now, statuses):
            _out(for_terminal(line))
    return alert_report.exit_code(state)


# --- watch ---


class Watcher:
    """One AlertLog across polls; what changed with each poll, printed and acted on."""

    def __init__(
        self,
        config: Config,
        scope: Scope,
        *,
        as_json: bool,
        out: Callable[[str], None] = _out,
        action: AlertAction | None = None,
    ) -> None:
        self.scope = scope
        self.as_json = as_json
        self.out = out
        self.action = action
        self.store = AckStore(default_state_dir(), scope)
        self.log = _alert_log(config, self.store)
        self.announced: set[str] = set()  # printed as firing, not yet as resolved

    def poll(self, alerts: list[Alert], now: datetime) -> None:
        _reload_acks(self.log, self.store)
        events = self.log.update(alerts, now)
        state = self.log.state()
        changes: list[tuple[str, Alert]] = [(str(e.transition), e.alert) for e in events]
        kept = {a.key for a in state.alerts}
        for alert in state.alerts:
            if alert.key in self.announced and state.status(alert) is AlertStatus.RESOLVED:
                changes.append(("resolved", alert))
                self.announced.discard(alert.key)
        self.announced &= kept
        self.announced |= {e.alert.key for e in events}
        for event, alert in changes:
            self.out(self._render(event, alert, state, now))
        if self.action is not None:
            self.action.dispatch(events, state, self.scope, now)

    def _render(self, event: str, alert: Alert, state: AlertLogState, now: datetime) -> str:
        if self.as_json:
            doc: dict[str, Any] = alert_report.event_json(
                event, alert, state.status(alert), self.scope, now
            )
            return json.dumps(doc)
        return for_terminal(alert_report.event_line(event, alert, self.scope, now))


def watch(target: Target, config: Config, scope: Scope, *, as_json: bool, interval: float) -> int:
    return asyncio.run(_watch(target, config, scope, as_json=as_json, interval=interval))


async def _watch(
    target: Target, config: Config, scope: Scope, *, as_json: bool, interval: float
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    settings = config.alerts
    action = None
    if settings.command:
        action = AlertAction(
            settings.command,
            settings.command_timeout_seconds,
            default_state_dir(),
            on_failure=_say,
        )
    watcher = Watcher(config, scope, as_json=as_json, action=action)
    timeout = config.statement_timeout_ms / 1000 + 2
    pool = await _pool(target, config)
    data = _data(pool, config, scope)
    failing = False
    try:
        while not stop.is_set():
            now = datetime.now(UTC)
            try:
                alerts = await _unless_stopped(asyncio.wait_for(data.alerts(now), timeout), stop)
            except CONNECTION_ERRORS as exc:
                _say(
                    f"alerts poll failed: {unavailable_reason(exc, target.dsn)}; "
                    f"trying again in {interval:g} s"
                )
                failing = True
            else:
                if alerts is None:  # stopped during the poll
                    break
                if failing:
                    _say("alerts poll answered again")
                    failing = False
                watcher.poll(alerts, now)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
    finally:
        if action is not None:
            await action.close()
        await _close(pool)
    return exit_codes.OK


async def _unless_stopped(work: Any, stop: asyncio.Event) -> Any:
    """`work`'s result, or None when `stop` is set first (the poll is cancelled)."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(BaseException):
            await task
        return None
    return task.result()
