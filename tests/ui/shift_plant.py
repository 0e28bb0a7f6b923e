"""A one-press plant in UTC for the shift and losses screens, the monitor's clock at 09:30 UTC
(shift 1 of 2 Nov, 06:00-14:00, 210 minutes in). Figures worked out by hand in the tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import asyncpg

from db.plant_builder import PlantBuilder
from floorwatch.domain.models import Scope


def t(day: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, 11, day, h, mi, tzinfo=UTC)


async def build_shift_plant(dsn: str) -> Scope:
    conn = await asyncpg.connect(dsn)
    try:
        b = PlantBuilder(conn)
        scope = await b.scope("SHIFTS", "P1", timezone="UTC", first_shift_start=time(6))
        press = await b.work_center(scope, "PRESS-1", rate=3600)  # ideal cycle time 1 s
        # the running shift 1 of 2 Nov: 120 productive, a 20-minute web break, 70 productive
        await b.status(scope, press, "PRODUCTIVE", t(2, 6), t(2, 8))
        await b.status(
            scope, press, "NON_PRODUCTIVE_BREAKDOWN", t(2, 8), t(2, 8, 20),
            reason_code="WEB", reason_description="web break",
        )  # fmt: skip
        await b.status(scope, press, "PRODUCTIVE", t(2, 8, 20))
        await b.oee(
            scope, press, day=date(2026, 11, 2), shift="1", start=t(2, 6), planned=210,
            downtime=20, produced=9_000, good=8_550, ict=1,
            extra={"scrap_pieces": 450, "rework_pieces": 0},
        )  # fmt: skip
        # the night shift 3 of 1 Nov, 22:00-06:00: productive throughout
        await b.status(scope, press, "PRODUCTIVE", t(1, 22), t(2, 6))
        await b.oee(
            scope, press, day=date(2026, 11, 1), shift="3", start=t(1, 22), planned=480,
            downtime=0, produced=24_000, good=24_000, ict=1,
            extra={"scrap_pieces": 0, "rework_pieces": 0},
        )  # fmt: skip
        return scope
    finally:
        await conn.close()
