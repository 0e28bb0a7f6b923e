"""Each registry entry's `reads` (panels.py) names every plant table its fetch's SQL reads:
push refresh fetches a panel only when one of those tables changed, so a table missing there
would leave the panel behind. The SQL is recorded as the data layer sends it."""

from __future__ import annotations

import re

import pytest

from databases import create_migrated_database
from floorwatch.bench.recording import RecordingDatabase
from floorwatch.db.changes import NOTICE_TABLES
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import create_pool
from floorwatch.panels import DRILL_DOWNS, PANELS, VIEWS
from floorwatch.showcase import SHOWCASE_NOW, showcase_scopes
from floorwatch.sim import SimOptions, simulate

_COMMENT = re.compile(r"--[^\n]*")


def tables_in(sql: str) -> set[str]:
    code = _COMMENT.sub("", sql)
    return {t for t in NOTICE_TABLES if re.search(rf"\b{t}\b", code)}


def test_tables_in_reads_names_not_comments() -> None:
    sql = "-- equipment_status_log is not read here\nSELECT 1 FROM work_centers wc"
    assert tables_in(sql) == {"work_centers"}


@pytest.fixture(scope="module")
async def plant(admin_dsn: str) -> str:
    dsn = await create_migrated_database(admin_dsn, "fw_reads")
    await simulate(dsn, SimOptions(seed=9, backfill_days=2, work_centers=3, until=SHOWCASE_NOW))
    return dsn


async def test_every_entry_reads_what_it_declares(plant: str) -> None:
    [scope] = await showcase_scopes(plant)
    pool = await create_pool(Target(plant, "flag"), min_size=1, max_size=1)
    db = RecordingDatabase(pool, "floorwatch_reader")
    try:
        data = PlantData(db, scope)
        work_center = (await data.work_centers(SHOWCASE_NOW))[0].work_center_id
        fetches = [(spec, spec.fetch) for spec in (*PANELS, *VIEWS)]
        fetches += [(spec, spec.of(work_center)) for spec in DRILL_DOWNS]
        for spec, fetch in fetches:
            db.log.clear()
            data = PlantData(db, scope)  # no cache: everything it may read is read
            await fetch(data, SHOWCASE_NOW)
            assert db.log, spec.name
            read = set().union(*(tables_in(sql) for sql, _ in db.log))
            assert read <= spec.reads, (spec.name, read - spec.reads)
    finally:
        await db.close()
