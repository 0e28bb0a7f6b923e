"""Time to finish of the open runs (utilization's current run and the run list) against
hand-built rows. The working is in the comments.

now = 2025-06-11 12:00 UTC (plant in UTC, so the times read as written)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal as D
from typing import Any

import asyncpg
from erp_builder import ErpBuilder
from plant_builder import PlantBuilder, local, open_database

from databases import create_adopted_database
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.finish import FinishState

NOW = local("UTC", 2025, 6, 11, 12)
P, SETUP, DOWN, PLAN = (
    "PRODUCTIVE", "NON_PRODUCTIVE_SETUP", "NON_PRODUCTIVE_BREAKDOWN",
    "NON_PRODUCTIVE_PLANNED_DOWNTIME",
)  # fmt: skip


class _Cut:
    """An ErpBuilder whose states are cut to the ERP's VARCHAR(20), as an ERP keeps them
    (the adopted views read a cut state as the one it is a prefix of)."""

    def __init__(self, b: ErpBuilder) -> None:
        self.b = b

    def __getattr__(self, name: str) -> Any:
        return getattr(self.b, name)

    async def status(self, scope: Any, wc: Any, status: str, *args: Any) -> Any:
        return await self.b.status(scope, wc, status[:20], *args)


def t(h: int, mi: int = 0, d: int = 11) -> datetime:
    return local("UTC", 2025, 6, d, h, mi)


async def build(b: Any) -> Any:
    s = await b.scope("FIN", "F")
    w1, w2, w3, w4, w5 = [await b.work_center(s, f"W{i}") for i in range(1, 6)]
    # W1, on time: started 11:00, 600 planned, 200 good, scheduled to end 14:00.
    # Productive: 10:50-11:20 clipped to the run's start = 20 min, then setup 11:20-11:30 and
    # a breakdown 11:30-11:40, productive again 11:40-now = 20 min: 40 min.
    # 200 / 40 = 5 a minute; 600 - 200 = 400 left; 400 / 5 = 80 min: 13:20, before 14:00.
    await b.run(
        s, w1, "R-1", "IN_PROGRESS", actual_start=t(11), scheduled_end=t(14), planned=600,
        good=200,
    )  # fmt: skip
    await b.status(s, w1, P, t(10, 50), t(11, 20))
    await b.status(s, w1, SETUP, t(11, 20), t(11, 30))
    await b.status(s, w1, DOWN, t(11, 30), t(11, 40))
    await b.status(s, w1, P, t(11, 40))
    # W2, late: started 10:00, 1,000 planned, 300 good, scheduled to end 12:30.
    # Productive 10:00-11:00 = 60 min, planned downtime since: 300 / 60 = 5 a minute;
    # 700 left / 5 = 140 min: 14:20, after 12:30.
    await b.run(
        s, w2, "R-2", "IN_PROGRESS", actual_start=t(10), scheduled_end=t(12, 30), planned=1000,
        good=300,
    )  # fmt: skip
    await b.status(s, w2, P, t(10), t(11))
    await b.status(s, w2, PLAN, t(11))
    # W3, NULL count of good pieces: no finish can be worked out (unknown, not "no rate")
    await b.run(s, w3, "R-3", "IN_PROGRESS", actual_start=t(11), planned=500)
    await b.status(s, w3, P, t(11))
    # W4: productive since 06-09 08:00 (open; further back than the lookup's day before the
    # run), the run started 09:00 today: 180 productive minutes, 180 good = 1 a minute;
    # 400 - 180 = 220 left: 220 min, 15:40. No scheduled end: never late.
    await b.run(s, w4, "R-4", "IN_PROGRESS", actual_start=t(9), planned=400, good=180)
    await b.status(s, w4, P, t(8, d=9))
    # W5: paused since 11:30 with nothing made, scheduled to end 11:45: no rate, and late
    # (it is still open after its scheduled end)
    await b.run(
        s, w5, "R-5", "PAUSED", actual_start=t(11, 30), scheduled_end=t(11, 45), planned=100,
        good=0,
    )  # fmt: skip
    await b.status(s, w5, P, t(11, 30), t(11, 31))  # a minute, no good piece yet
    await b.status(s, w5, SETUP, t(11, 31))
    # not open: no finish
    await b.run(s, w1, "R-0", "COMPLETED", actual_start=t(8), actual_end=t(10), planned=50,
                good=50)  # fmt: skip
    await b.run(s, w2, "R-9", "SCHEDULED", scheduled_start=t(15), planned=50)
    return s


EXPECTED = {
    "R-1": (FinishState.EXPECTED, t(13, 20), False, 400, D(5)),
    "R-2": (FinishState.EXPECTED, t(14, 20), True, 700, D(5)),
    "R-3": (FinishState.UNKNOWN, None, False, None, None),
    "R-4": (FinishState.EXPECTED, t(15, 40), False, 220, D(1)),
    "R-5": (FinishState.NO_RATE, None, True, 100, None),
}


def _seen(finish: Any) -> tuple[Any, ...]:
    return (
        finish.state,
        finish.expected_at,
        finish.late,
        finish.remaining,
        finish.rate_per_minute,
    )


async def test_the_grid_s_current_runs_finish(builder: PlantBuilder, database: Database) -> None:
    s = await build(builder)
    rows = await PlantData(database, s).utilization(NOW)
    seen = {
        u.current_run.production_run_number: _seen(u.current_run.finish)
        for u in rows
        if u.current_run is not None and u.current_run.finish is not None
    }
    assert seen == EXPECTED
    by_code = {u.work_center_code: u.current_run for u in rows}
    assert by_code["W1"] is not None and by_code["W1"].scheduled_end == t(14)


async def test_the_run_list_s_finish_for_open_runs_only(
    builder: PlantBuilder, database: Database
) -> None:
    s = await build(builder)
    runs = await PlantData(database, s).runs(NOW)
    seen = {r.production_run_number: r.finish and _seen(r.finish) for r in runs}
    assert seen == {**EXPECTED, "R-0": None, "R-9": None}


async def test_a_finish_moves_with_now(builder: PlantBuilder, database: Database) -> None:
    """Ten minutes later with the same counts W1 has run 10 more productive minutes: 200 in
    50 min = 4 a minute; 400 left / 4 = 100 min from 12:10: 13:50."""
    s = await build(builder)
    later = NOW + timedelta(minutes=10)
    rows = await PlantData(database, s).utilization(later)
    (w1,) = [u for u in rows if u.work_center_code == "W1"]
    assert w1.current_run is not None and w1.current_run.finish is not None
    assert w1.current_run.finish.expected_at == t(13, 50)
    assert w1.current_run.finish.rate_per_minute == 4


async def test_the_same_on_an_adopted_erp_database(admin_dsn: str) -> None:
    """The same rows in the ERP's tables, read through the adopted views: the same figures,
    except R-3: the views read the ERP's NULL good count as 0 (no rate yet, 500 left)."""
    dsn = await create_adopted_database(admin_dsn, "fw_erp_finish")
    admin = await asyncpg.connect(dsn)
    try:
        s = await build(_Cut(ErpBuilder(admin)))
    finally:
        await admin.close()
    db = await open_database(dsn)
    try:
        data = PlantData(db, s)
        rows = await data.utilization(NOW)
        runs = await data.runs(NOW)
    finally:
        await db.close()
    expected = {**EXPECTED, "R-3": (FinishState.NO_RATE, None, False, 500, None)}
    seen = {
        u.current_run.production_run_number: _seen(u.current_run.finish)
        for u in rows
        if u.current_run is not None and u.current_run.finish is not None
    }
    assert seen == expected
    listed = {r.production_run_number: r.finish and _seen(r.finish) for r in runs}
    assert listed == {**expected, "R-0": None, "R-9": None}
