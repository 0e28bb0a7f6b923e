"""'Today's OEE' is the production day's: on a night shift after midnight it is still the day
the shift pattern started (the shift's calculation_date), not the calendar date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from plant_builder import PlantBuilder

from floorwatch.db import queries
from floorwatch.db.pool import Database
from floorwatch.db.queries import read_directory

BERLIN = "Europe/Berlin"  # UTC+1 in November


async def test_night_shift_oee_after_midnight(builder: PlantBuilder, database: Database) -> None:
    scope = await builder.scope("NIGHT", "P1", timezone=BERLIN, first_shift_start=time(6))
    wc = await builder.work_center(scope, "OFF-01", rate=3600)  # ideal cycle time 1 s
    # the night shift of production day 28 Nov: 22:00 local (21:00 UTC) to 06:00 local
    await builder.oee(
        scope,
        wc,
        day=date(2026, 11, 28),
        shift="3",
        start=datetime(2026, 11, 28, 21, 0, tzinfo=UTC),
        planned=300,
        downtime=60,
        produced=12_000,
        good=11_400,
        ict=1,
    )
    # a shift of the calendar day 29 Nov that has not begun: it must not count yet
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 04:00 in Berlin
    summary = await queries.facility_summary(database, scope, now)
    # planned 300, run 240 min; ideal 12,000 s = 200 min; good 11,400
    # A = 240/300 = 0.8; P = 200/240; Q = 11400/12000 = 0.95; OEE = 1 s x 11,400 / 18,000 s
    assert summary.oee_today.planned_minutes == 300
    assert summary.oee_today.oee == Decimal(11_400) / Decimal(18_000)
    [row] = await queries.work_center_summaries(database, scope, now)
    assert row.oee_today.good == 11_400


async def test_directory_carries_the_shift_pattern(builder: PlantBuilder) -> None:
    await builder.scope("SHIFTS", "P1", timezone=BERLIN, first_shift_start=time(5, 30))
    [scope] = await read_directory(builder.conn)
    assert scope.first_shift_start == time(5, 30) and scope.shift_length_hours == 8
