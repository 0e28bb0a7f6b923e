"""Helpers shared by the simulator tests."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from databases import create_migrated_database
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.sim import SimOptions

UNTIL = datetime(2026, 3, 30, 9, 17, 23, tzinfo=UTC)  # the day after the EU DST change
PLANT = SimOptions(seed=1, backfill_days=7, work_centers=12, until=UNTIL)


async def migrated_database(admin_dsn: str) -> str:
    return await create_migrated_database(admin_dsn, "fw_sim")


async def dump(dsn: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in id order (as the superuser, who bypasses RLS)."""
    conn = await asyncpg.connect(dsn)
    try:
        return {
            t: [tuple(r) for r in await conn.fetch(f"SELECT * FROM {t} ORDER BY id")]
            for t in PLANT_TABLES
        }
    finally:
        await conn.close()
