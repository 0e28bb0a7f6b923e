"""The change notices of migrations/V009: one notification per committed transaction and
facility, naming the tables changed; none for a rolled-back transaction; written rows of
several facilities reach each facility's own channel."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg
from plant_builder import PlantBuilder

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


async def _listen(dsn: str, *channels: str) -> tuple[asyncpg.Connection, list[tuple[str, str]]]:
    conn = await asyncpg.connect(dsn)
    got: list[tuple[str, str]] = []
    for channel in channels:
        await conn.add_listener(channel, lambda _c, _pid, ch, payload: got.append((ch, payload)))
    return conn, got


async def _drain(conn: asyncpg.Connection) -> None:
    """Notifications are delivered between the server's messages: one round trip after the
    writer's commit has returned, every notification it sent has been read."""
    await conn.fetchval("SELECT 1")
    await asyncio.sleep(0.05)
    await conn.fetchval("SELECT 1")


async def test_one_notice_per_transaction_and_facility(db_dsn: str) -> None:
    writer = await asyncpg.connect(db_dsn)
    try:
        b = PlantBuilder(writer)
        north = await b.scope("ACME", "NORTH")
        south = await b.facility(north.tenant_id, "ACME", "SOUTH")
        listener, got = await _listen(
            db_dsn, f"floorwatch:{north.facility_id}", f"floorwatch:{south.facility_id}"
        )
        try:
            await _drain(listener)
            got.clear()  # the fixture's own rows
            async with writer.transaction():
                # three statements on two tables of NORTH, one on SOUTH: two notices
                wc1 = await b.work_center(north, "P-1")
                await b.work_center(north, "P-2")
                await b.status(north, wc1, "NON_PRODUCTIVE_BREAKDOWN", NOW)
                await b.work_center(south, "S-1")
            await _drain(listener)
            assert sorted(got) == sorted(
                [
                    (f"floorwatch:{north.facility_id}", "equipment_status_log,work_centers"),
                    (f"floorwatch:{south.facility_id}", "work_centers"),
                ]
            )

            got.clear()
            tx = writer.transaction()
            await tx.start()
            await b.work_center(north, "P-3")
            await tx.rollback()
            await _drain(listener)
            assert got == []  # rolled back: nothing was sent

            # a statement that changes no row sends nothing
            await writer.execute(
                "UPDATE work_centers SET work_center_name = work_center_name WHERE false"
            )
            await writer.execute(
                "UPDATE work_centers SET work_center_name = work_center_name || '' WHERE id = $1",
                wc1,
            )  # one row, outside an explicit transaction: one notice
            await _drain(listener)
            assert got == [(f"floorwatch:{north.facility_id}", "work_centers")]

            got.clear()
            await writer.execute("DELETE FROM equipment_status_log WHERE work_center_id = $1", wc1)
            await _drain(listener)
            assert got == [(f"floorwatch:{north.facility_id}", "equipment_status_log")]
        finally:
            await listener.close()
        # the hook rows are gone with their transactions
        assert await writer.fetchval("SELECT count(*) FROM floorwatch_change_hook") == 0
    finally:
        await writer.close()


async def test_a_bulk_statement_is_one_notice(db_dsn: str) -> None:
    writer = await asyncpg.connect(db_dsn)
    try:
        b = PlantBuilder(writer)
        north = await b.scope("ACME", "NORTH")
        wc = await b.work_center(north, "P-1")
        listener, got = await _listen(db_dsn, f"floorwatch:{north.facility_id}")
        try:
            await writer.execute(
                """
                INSERT INTO equipment_status_log
                    (id, tenant_id, facility_id, work_center_id, status, status_start, status_end)
                SELECT gen_random_uuid(), $1, $2, $3, 'PRODUCTIVE',
                       $4::timestamptz + make_interval(mins => i),
                       $4::timestamptz + make_interval(mins => i + 1)
                FROM generate_series(1, 5000) i
                """,
                north.tenant_id,
                north.facility_id,
                wc,
                NOW,
            )
            await _drain(listener)
            assert got == [(f"floorwatch:{north.facility_id}", "equipment_status_log")]
        finally:
            await listener.close()
    finally:
        await writer.close()
