"""A small hand-built plant with 10-character work-center codes (the longest the facility has),
for the tests of codes, drift and export. Plant time zone Europe/Berlin (UTC+1 in November);
the monitor's clock is the showcase's, 2026-11-02 09:30 UTC = 10:30 local."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import asyncpg

from db.plant_builder import PlantBuilder
from floorwatch.db import migrate
from floorwatch.domain.models import Scope
from floorwatch.showcase import SHOWCASE_NOW

NOW = SHOWCASE_NOW
TZ = "Europe/Berlin"
CODES = ("PRESS-0001", "PRESS-0002", "STITCH-001")


@dataclass(frozen=True)
class CodedPlant:
    dsn: str
    scope: Scope
    wc: dict[str, uuid.UUID]  # by code
    runs: dict[str, uuid.UUID]  # by run number


async def build_coded_plant(dsn: str, *, extra_active_runs: int = 0) -> CodedPlant:
    """PRESS-0001 running since yesterday 22:00 UTC on run PRESS-0001-000001 (250 good of 1,000
    planned), today's OEE 0.54 against 85; PRESS-0002 broken down since 09:00 UTC ("web
    break": a critical alert), its run paused; STITCH-001 in setup since 09:20 UTC, a run
    scheduled at 12:00 UTC. `extra_active_runs` more active runs on STITCH-001 (drift test)."""
    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn)
        b = PlantBuilder(conn)
        scope = await b.scope("CODES", "PLANT10", timezone=TZ)
        wc = {code: await b.work_center(scope, code) for code in CODES}
        runs: dict[str, uuid.UUID] = {}
        order = await b.order(scope, "SO-PRESS-0001-000001", 1000)
        runs["PRESS-0001-000001"] = await b.run(
            scope, wc["PRESS-0001"], "PRESS-0001-000001", "IN_PROGRESS",
            order_id=order, operator_name="Ada Lovelace",
            scheduled_start=NOW - timedelta(hours=2), scheduled_end=NOW + timedelta(hours=2),
            actual_start=NOW - timedelta(hours=1, minutes=30),
            planned=1000, good=250, scrap=10, rework=0,
        )  # fmt: skip
        runs["PRESS-0002-000001"] = await b.run(
            scope, wc["PRESS-0002"], "PRESS-0002-000001", "PAUSED",
            actual_start=NOW - timedelta(hours=2, minutes=30), planned=500, good=100, scrap=0,
            rework=0,
        )  # fmt: skip
        runs["STITCH-001-000001"] = await b.run(
            scope, wc["STITCH-001"], "STITCH-001-000001", "SCHEDULED",
            scheduled_start=NOW + timedelta(hours=2, minutes=30), planned=300,
        )  # fmt: skip
        for i in range(extra_active_runs):
            number = f"STITCH-001-1{i:05d}"
            runs[number] = await b.run(
                scope, wc["STITCH-001"], number, "IN_PROGRESS",
                actual_start=NOW - timedelta(minutes=50 - i), planned=100, good=i,
            )  # fmt: skip
        await b.status(
            scope, wc["PRESS-0001"], "PRODUCTIVE", NOW - timedelta(hours=11, minutes=30),
            run_id=runs["PRESS-0001-000001"],
        )  # fmt: skip
        await b.status(
            scope, wc["PRESS-0002"], "NON_PRODUCTIVE_BREAKDOWN", NOW - timedelta(minutes=30),
            reason_description="web break",
        )  # fmt: skip
        await b.status(scope, wc["STITCH-001"], "NON_PRODUCTIVE_SETUP", NOW - timedelta(minutes=10))
        await b.oee(
            scope, wc["PRESS-0001"], day=date(2026, 11, 2), shift="1",
            start=NOW - timedelta(hours=3, minutes=30), planned=480, downtime=96,
            produced=11520, good=10368, ict="1.5", target=85,
        )  # fmt: skip
    finally:
        await conn.close()
    return CodedPlant(dsn, scope, wc, runs)
