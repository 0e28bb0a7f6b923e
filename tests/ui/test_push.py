"""Push refresh against a real server: a write reaches the panels that read its table at once
(their intervals are an hour), the others are not fetched; a killed listener connection turns
the status line to `poll` and back to `push`; without the triggers it says `poll`."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from databases import create_migrated_database
from floorwatch.config import STILL, Config, PushSettings
from floorwatch.db.changes import ChangeFeed
from floorwatch.db.dsn import Target
from floorwatch.domain.models import AlertKind
from floorwatch.showcase import SHOWCASE_NOW, settle, showcase_app, showcase_scopes, until
from floorwatch.sim import SimOptions, simulate
from floorwatch.ui.chrome import StatusLine


@pytest.fixture
async def plant(admin_dsn: str) -> str:
    dsn = await create_migrated_database(admin_dsn, "fw_push")
    await simulate(dsn, SimOptions(seed=5, backfill_days=1, work_centers=4, until=SHOWCASE_NOW))
    return dsn


def _status(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(text.plain for _, text, _ in app.screen.query_one(StatusLine).parts)


def _app(dsn: str, scope, changes: ChangeFeed):  # type: ignore[no-untyped-def]
    # an hour between polls, stretched or not: only a notice fetches within the test
    config = Config(intervals=STILL, push=PushSettings(debounce_ms=100))
    return showcase_app(dsn, scope, config=config, changes=changes)


async def test_a_write_reaches_its_panels_and_a_killed_listener_falls_back(plant: str) -> None:
    [scope] = await showcase_scopes(plant)
    feed = ChangeFeed(Target(plant, "flag"), retry_seconds=1.0, keepalive_seconds=5.0)
    app = _app(plant, scope, feed)
    writer = await asyncpg.connect(plant)
    try:
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(app, pilot.pause)
            await until(lambda: app.push.push, pilot.pause, within=20)
            await until(lambda: _status(app).endswith("connected push"), pilot.pause, within=5)
            calls = {p.name: p.calls for p in app.polls}
            working = await writer.fetchrow(
                "SELECT id, work_center_id FROM equipment_status_log "
                "WHERE facility_id = $1 AND status_end IS NULL AND status = 'PRODUCTIVE' "
                "ORDER BY work_center_id LIMIT 1",
                scope.facility_id,
            )
            assert working is not None
            down_at = SHOWCASE_NOW - timedelta(minutes=2)
            async with writer.transaction():
                await writer.execute(
                    "UPDATE equipment_status_log SET status_end = $2 WHERE id = $1",
                    working["id"],
                    down_at,
                )
                await writer.execute(
                    "INSERT INTO equipment_status_log (id, tenant_id, facility_id, "
                    "work_center_id, status, previous_status, status_start) "
                    "VALUES (gen_random_uuid(), $1, $2, $3, 'NON_PRODUCTIVE_BREAKDOWN', "
                    "'PRODUCTIVE', $4)",
                    scope.tenant_id,
                    scope.facility_id,
                    working["work_center_id"],
                    down_at,
                )
            await until(
                lambda: any(
                    a.kind == AlertKind.EQUIPMENT_DOWN
                    and a.work_center_id == working["work_center_id"]
                    for a in app.alerts.alerts
                ),
                pilot.pause,
                within=10,
            )
            readers = ("utilization", "runs", "alerts", "shift")
            polls = {p.name: p for p in app.polls}
            await until(
                lambda: all(polls[n].calls > calls[n] and not polls[n].in_flight for n in readers),
                pilot.pause,
                within=10,
            )
            await pilot.pause(0.5)
            after = {p.name: p.calls for p in app.polls}
            # the status log is read by utilization, runs, alerts and shift: fetched once more
            # (one notice for the transaction); summary, work centers and trends do not read it
            for name in readers:
                assert after[name] == calls[name] + 1, name
            for name in ("summary", "work_centers", "trends"):
                assert after[name] == calls[name], name

            # paused: a change is not fetched, but is as soon as polling resumes
            app.action_pause()
            summary = polls["summary"]
            before = summary.calls
            await writer.execute(
                "UPDATE work_centers SET work_center_name = work_center_name || ' (moved)' "
                "WHERE id = $1",
                working["work_center_id"],
            )
            await until(lambda: summary.missed_change, pilot.pause, within=10)
            assert summary.calls == before
            app.action_pause()
            await until(lambda: summary.calls == before + 1, pilot.pause, within=10)

            assert feed.backend_pid is not None
            await writer.execute("SELECT pg_terminate_backend($1)", feed.backend_pid)
            await until(lambda: _status(app).endswith("connected poll"), pilot.pause, within=10)
            assert not app.push.push and "lost" in app.push.reason
            await until(lambda: _status(app).endswith("connected push"), pilot.pause, within=20)
    finally:
        await writer.close()


async def test_without_the_triggers_it_polls_and_says_so(plant: str) -> None:
    [scope] = await showcase_scopes(plant)
    admin = await asyncpg.connect(plant)
    try:
        await admin.execute("DROP TRIGGER floorwatch_notice_insert ON equipment_status_log")
    finally:
        await admin.close()
    feed = ChangeFeed(Target(plant, "flag"), retry_seconds=1.0)
    app = _app(plant, scope, feed)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot.pause)
        await until(
            lambda: app.push.reason.startswith("no change triggers"), pilot.pause, within=10
        )
        assert _status(app).endswith("connected poll")
        assert app.interval_stretch == 1.0
