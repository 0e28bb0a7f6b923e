"""ChangeFeed against a real server: a write reaches the callback; a killed listener
connection turns push off and, after the retry, on again; without the triggers it never
turns on and says why."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg
from plant_builder import PlantBuilder

from floorwatch.db.changes import ChangeFeed, FeedState
from floorwatch.db.dsn import Target

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.states: list[FeedState] = []
        self.changes: list[frozenset[str]] = []

    async def until(self, test, within: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        for _ in range(int(within / 0.02)):
            if test():
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"not reached: states {self.states}, changes {self.changes}")


async def _start(dsn: str, facility_id, rec: Recorder) -> tuple[ChangeFeed, asyncio.Task[None]]:  # type: ignore[no-untyped-def]
    feed = ChangeFeed(Target(dsn, "flag"), retry_seconds=0.3, keepalive_seconds=1.0)
    task = asyncio.create_task(feed.run(facility_id, rec.changes.append, rec.states.append))
    return feed, task


async def test_a_write_is_pushed_and_a_killed_listener_comes_back(db_dsn: str) -> None:
    writer = await asyncpg.connect(db_dsn)
    rec = Recorder()
    try:
        b = PlantBuilder(writer)
        north = await b.scope("ACME", "NORTH")
        other = await b.scope("OTHER", "X")
        feed, task = await _start(db_dsn, north.facility_id, rec)
        try:
            await rec.until(lambda: rec.states == [FeedState(True)])
            await b.work_center(other, "O-1")  # another facility's channel
            wc = await b.work_center(north, "P-1")
            await rec.until(lambda: rec.changes)
            assert rec.changes == [frozenset({"work_centers"})]

            # a NOTIFY by anyone on the channel: only known table names count
            await writer.execute(
                "SELECT pg_notify($1, 'users,[/]'), pg_notify($1, 'production_runs,x')",
                f"floorwatch:{north.facility_id}",
            )
            await rec.until(lambda: len(rec.changes) == 2)
            assert rec.changes[1] == frozenset({"production_runs"})

            killed = await writer.fetchval("SELECT pg_terminate_backend($1)", feed.backend_pid)
            assert killed
            await rec.until(lambda: len(rec.states) >= 2)
            assert rec.states[1].push is False
            assert "listener connection lost" in rec.states[1].reason
            await rec.until(lambda: rec.states[-1] == FeedState(True) and len(rec.states) == 3)
            await b.status(north, wc, "NON_PRODUCTIVE_BREAKDOWN", NOW)
            await rec.until(lambda: len(rec.changes) == 3)
            assert rec.changes[2] == frozenset({"equipment_status_log"})
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await writer.close()


async def test_without_triggers_push_stays_off(db_dsn: str) -> None:
    admin = await asyncpg.connect(db_dsn)
    rec = Recorder()
    try:
        north = await PlantBuilder(admin).scope("ACME", "NORTH")
        await admin.execute("DROP TRIGGER floorwatch_notice_update ON production_runs")
        _feed, task = await _start(db_dsn, north.facility_id, rec)
        try:
            await rec.until(lambda: len(rec.states) >= 2)  # it tried again, and again said no
            assert {s for s in rec.states} == {
                FeedState(False, "no change triggers on production_runs")
            }
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await admin.close()
