"""Live mode: simulated time advances and rows change; the demo's background task catches
up, keeps writing, survives an unreachable database and stops cleanly when cancelled."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sim_support import UNTIL, migrated_database

from floorwatch.db.queries import read_directory
from floorwatch.sim import SimOptions, live_demo, seed_demo, simulate
from floorwatch.sim.demo import demo_options

CONTIGUOUS = (
    "SELECT count(*) FROM (SELECT status_start, lag(status_end) OVER w AS prev_end"
    " FROM equipment_status_log WINDOW w AS (PARTITION BY work_center_id ORDER BY status_start))"
    " x WHERE prev_end IS DISTINCT FROM status_start AND prev_end IS NOT NULL"
)
OPEN_ROWS = "SELECT count(*) FROM equipment_status_log WHERE status_end IS NULL"
REACHED = "SELECT min(updated_at) FROM work_centers"
PATIENCE_S = 60.0  # generous: the machine is shared; a pass takes well under a second


async def eventually(what: str, check: Callable[[], Awaitable[bool]], task: asyncio.Task) -> None:
    """Poll `check` until it holds, failing at once if the background task ends."""
    deadline = time.monotonic() + PATIENCE_S
    while not await check():
        if task.done():
            task.result()  # its exception, if it raised
            pytest.fail(f"the background task ended before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"not within {PATIENCE_S:.0f} s: {what}")
        await asyncio.sleep(0.05)


async def test_simulate_runs_live_after_the_backfill(admin_dsn: str) -> None:
    dsn = await migrated_database(admin_dsn)
    options = SimOptions(
        seed=2, backfill_days=1, work_centers=4, until=UNTIL, duration=2, speed=3600
    )
    report = await simulate(dsn, options)
    assert report.simulated_until is not None and report.simulated_until > UNTIL
    assert sum(report.updated.values()) > 0
    conn = await asyncpg.connect(dsn)
    try:
        reached = await conn.fetchval("SELECT min(updated_at) FROM work_centers")
        assert reached > UNTIL + timedelta(minutes=30)
        assert await conn.fetchval(CONTIGUOUS) == 0
        assert await conn.fetchval(OPEN_ROWS) == 4
        latest = await conn.fetchval("SELECT max(period_start) FROM oee_calculations")
        assert latest <= reached
        assert await conn.fetchval(
            "SELECT count(*) FROM production_runs WHERE updated_at > $1", UNTIL
        )
    finally:
        await conn.close()


async def _scope(dsn: str):  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(dsn)
    try:
        return (await read_directory(conn))[0]
    finally:
        await conn.close()


async def test_demo_seeds_then_stays_live(admin_dsn: str) -> None:
    dsn = await migrated_database(admin_dsn)
    report = await seed_demo(dsn)
    assert report.rows["work_centers"] == 12
    scope = await _scope(dsn)
    assert (scope.tenant_code, scope.facility_name) == ("DEMO", "demo plant")
    clock, background = live_demo(dsn, scope, speed=600, tick_s=0.1)
    start = clock()
    assert abs(start - datetime.now(UTC)) < timedelta(seconds=5)
    task = asyncio.create_task(background())
    conn = await asyncpg.connect(dsn)
    try:

        async def five_minutes_written() -> bool:
            return await conn.fetchval(REACHED) > start + timedelta(minutes=5)

        await eventually("five simulated minutes are written", five_minutes_written, task)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await conn.close()
    conn = await asyncpg.connect(dsn)
    try:
        reached = await conn.fetchval(REACHED)
        assert start + timedelta(minutes=5) < reached <= clock()
        assert await conn.fetchval(CONTIGUOUS) == 0
        assert await conn.fetchval(OPEN_ROWS) == 12
    finally:
        await conn.close()


async def test_demo_reopened_days_later_catches_up(admin_dsn: str) -> None:
    dsn = await migrated_database(admin_dsn)
    long_ago = datetime.now(UTC) - timedelta(days=5)
    await simulate(dsn, demo_options(until=long_ago).model_copy(update={"backfill_days": 1}))
    scope = await _scope(dsn)
    clock, background = live_demo(dsn, scope, speed=1, tick_s=0.1)
    task = asyncio.create_task(background())
    conn = await asyncpg.connect(dsn)
    try:

        async def caught_up() -> bool:
            return await conn.fetchval(REACHED) > clock() - timedelta(minutes=1)

        await eventually("the demo catches up", caught_up, task)
        idle = await conn.fetchval(
            "SELECT count(*) FROM equipment_status_log WHERE reason_code = 'PD-IDLE'"
        )
        assert idle == 12  # the two days beyond the catch-up cap, once per work center
        assert await conn.fetchval(CONTIGUOUS) == 0
        assert await conn.fetchval(OPEN_ROWS) == 12
    finally:
        await conn.close()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_background_survives_an_unreachable_database(
    admin_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    dsn = await migrated_database(admin_dsn)
    await simulate(dsn, SimOptions(seed=3, backfill_days=1, work_centers=2, until=UNTIL))
    scope = await _scope(dsn)
    gone = dsn.replace("/fw_sim_", "/fw_missing_")
    clock, background = live_demo(gone, scope, speed=60, tick_s=0.1)
    assert clock() <= datetime.now(UTC) + timedelta(seconds=1)
    caplog.set_level(logging.WARNING, logger="floorwatch.sim.live")
    task = asyncio.create_task(background())

    async def retried_twice() -> bool:
        return sum("retrying in" in r.getMessage() for r in caplog.records) >= 2

    await eventually("two failed connections are retried", retried_twice, task)
    assert not task.done()  # retrying, not raising
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
