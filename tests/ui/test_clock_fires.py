"""What the clock alone changes in the alert log (a pending alert starts firing at its
`fires_at`) is fetched at that moment, not at the next timed poll: the timers here are hours
long (stretched 3x with push), so only the moment the alert log knows can bring a fetch. The
moment is read on the monitor's clock (injected), the early fetch respects pause, and a frozen
clock, which never reaches the moment, gets one early fetch and no loop."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

import asyncpg

from databases import create_migrated_database
from db.plant_builder import PlantBuilder
from floorwatch.app import FloorwatchApp
from floorwatch.config import STILL, Config, PushSettings
from floorwatch.db.changes import ChangeFeed
from floorwatch.db.dsn import Target
from floorwatch.domain.alert_log import AlertStatus
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import Scope
from floorwatch.showcase import SHOWCASE_NOW, settle, showcase_app, until
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.fetch_strategy import TimerStrategy

NOW = SHOWCASE_NOW
WAIT_FOR = timedelta(minutes=AlertRules().wait_warning_minutes)  # a wait's `for`: 15 min
AHEAD = timedelta(seconds=5)  # the new wait fires this long after it is written


class RunningClock:
    """The monitor's clock: `start` when made, moving with the wall from then on."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._t0)


async def _plant(admin_dsn: str, name: str) -> tuple[str, asyncpg.Connection, PlantBuilder]:
    dsn = await create_migrated_database(admin_dsn, name)
    conn = await asyncpg.connect(dsn)
    return dsn, conn, PlantBuilder(conn)


async def _cutter(plant: PlantBuilder) -> tuple[Scope, uuid.UUID]:
    scope = await plant.scope("ACME", "P1")
    cutter = await plant.work_center(scope, "CUT-01")
    await plant.working(scope, cutter, NOW - timedelta(hours=3))  # work: not snoozed
    return scope, cutter


def _status_of(app: FloorwatchApp, log_id: uuid.UUID) -> AlertStatus | None:
    for alert in app.alerts.alerts:
        if alert.key == f"EQUIPMENT_DOWN:{log_id}":
            return app.alerts.status(alert)
    return None


def _state_cell(app: FloorwatchApp, log_id: uuid.UUID) -> str:
    panel = app.query_one(AlertPanel)
    return panel.table.get_cell(f"EQUIPMENT_DOWN:{log_id}", "state").plain


async def test_with_push_a_pending_alert_fires_on_screen_at_its_moment(admin_dsn: str) -> None:
    dsn, conn, plant = await _plant(admin_dsn, "fw_clock_fires_push")
    try:
        scope, cutter = await _cutter(plant)
        clock = RunningClock(NOW)
        feed = ChangeFeed(Target(dsn, "flag"), retry_seconds=1.0)
        config = Config(intervals=STILL, push=PushSettings(debounce_ms=100))
        app = showcase_app(dsn, scope, config=config, changes=feed, clock=clock)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot.pause)
            await until(lambda: app.push.push, pilot.pause, within=20)
            poll = app.alerts_poll
            assert poll is not None
            assert poll.period == 3 * STILL.seconds("alerts")  # hours: no timed poll here
            await pilot.pause(0.5)  # push came on: every panel fetches once more
            await until(lambda: not poll.in_flight, pilot.pause, within=10)
            before = poll.calls

            # no operator since 15 min less 6 s ago: pending, firing 6 s from now
            fires_at = clock() + AHEAD + timedelta(seconds=1)
            wait = await plant.status(
                scope, cutter, "NON_PRODUCTIVE_NO_OPERATOR", fires_at - WAIT_FOR
            )
            # the notice fetches it at once: pending
            await until(lambda: _status_of(app, wait) is not None, pilot.pause, within=10)
            assert _status_of(app, wait) is AlertStatus.PENDING
            assert poll.calls == before + 1
            # another notice before the moment (its fetch replaces the timer): still pending
            await conn.execute(
                "UPDATE equipment_status_log SET reason_description = 'shift change' WHERE id = $1",
                wait,
            )
            await until(lambda: poll.calls == before + 2, pilot.pause, within=10)
            await until(lambda: not poll.in_flight, pilot.pause, within=10)
            await pilot.pause(0.1)  # its answer applied
            assert _status_of(app, wait) is AlertStatus.PENDING
            # then the clock alone: one fetch just after fires_at, and it is firing on screen
            await until(lambda: _status_of(app, wait) is AlertStatus.FIRING, pilot.pause, within=15)
            assert poll.calls == before + 3
            assert app.alerts.polled_at is not None and app.alerts.polled_at >= fires_at
            await pilot.pause(0.1)
            assert "firing" in _state_cell(app, wait)
            await pilot.pause(0.5)  # the moment is past: no further fetch
            assert poll.calls == before + 3
    finally:
        await conn.close()


async def test_the_fetch_at_the_moment_waits_while_paused(admin_dsn: str) -> None:
    dsn, conn, plant = await _plant(admin_dsn, "fw_clock_fires_paused")
    try:
        scope, cutter = await _cutter(plant)
        clock = RunningClock(NOW)
        app = showcase_app(dsn, scope, config=Config(intervals=STILL), clock=clock)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot.pause)
            poll = app.alerts_poll
            assert poll is not None and isinstance(poll.strategy, TimerStrategy)
            fires_at = clock() + AHEAD
            wait = await plant.status(
                scope, cutter, "NON_PRODUCTIVE_NO_OPERATOR", fires_at - WAIT_FOR
            )
            poll.poll_now()  # no push here: fetch it now, as a notice would
            await until(lambda: _status_of(app, wait) is not None, pilot.pause, within=10)
            assert _status_of(app, wait) is AlertStatus.PENDING
            fetched = poll.calls

            app.action_pause()
            # the moment comes while paused: no fetch, the poll waits for the pause to end
            await until(lambda: poll.strategy.waiting, pilot.pause, within=15)
            assert poll.calls == fetched
            assert _status_of(app, wait) is AlertStatus.PENDING
            app.action_pause()  # resumed: it fetches, and the alert is firing
            await until(lambda: _status_of(app, wait) is AlertStatus.FIRING, pilot.pause, within=10)
            assert poll.calls == fetched + 1
    finally:
        await conn.close()


async def test_a_frozen_clock_gets_one_early_fetch_not_a_loop(admin_dsn: str) -> None:
    dsn, conn, plant = await _plant(admin_dsn, "fw_clock_fires_frozen")
    try:
        scope, cutter = await _cutter(plant)
        # the showcase's clock stays at NOW: the wait fires a second later, never reached
        wait = await plant.status(
            scope, cutter, "NON_PRODUCTIVE_NO_OPERATOR", NOW + timedelta(seconds=1) - WAIT_FOR
        )
        app = showcase_app(dsn, scope, config=Config(intervals=STILL))
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot.pause)
            poll = app.alerts_poll
            assert poll is not None and poll.calls == 1
            assert _status_of(app, wait) is AlertStatus.PENDING
            # the moment is a second ahead on the monitor's clock: one fetch after it …
            await until(lambda: poll.calls == 2 and not poll.in_flight, pilot.pause, within=10)
            assert _status_of(app, wait) is AlertStatus.PENDING  # (the clock did not move)
            # … and none after that, though the same moment is still ahead
            await pilot.pause(2.0)
            assert poll.calls == 2
    finally:
        await conn.close()
