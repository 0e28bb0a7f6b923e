"""Plan shapes of the panel queries once the big tables hold enough history that the planner
must prefer an index: no panel may sequentially scan production_runs, oee_calculations or
equipment_status_log (issue 4), nor walk a whole index of theirs (a skip scan that leaves out
the index's first column, issue 13). The plans checked are the generic ones the monitor runs;
the skip scans seen at 10x (README: Performance) do not show at this size, where the bench's
report is the check (the detection itself: tests/unit/test_whole_index_scans.py).

The data: the benchmark's bulk loader (the simulator over the last 7 days, older closed
history cloned back) for 2 facilities x 10 work centers, about 60 K runs, 24 K shift rows and
12 K status rows, VACUUM ANALYZEd. A panel reads one facility's today (or last 24 h, or
last 7 days): at most a few hundred rows of these tables, so an index is far cheaper than a
full scan and the planner's choice is stable.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from bench_support import skip_unless_bulk_capable
from floorwatch.bench import plans
from floorwatch.bench.loader import Profile, bulk_load
from floorwatch.bench.recording import RecordingDatabase
from floorwatch.bench.runner import BENCH_UNTIL
from floorwatch.db.plant import PlantData, panel_calls
from floorwatch.db.pool import Database
from floorwatch.db.queries import read_directory
from floorwatch.db.schema import BIG_TABLES

PROFILE = Profile(
    tenants=1, facilities=2, work_centers=10, sim_days=7, runs=60_000, oee_rows=24_000,
    status_rows=12_000,
)  # fmt: skip


@pytest.fixture
async def loaded(db_dsn: str) -> str:
    await skip_unless_bulk_capable(db_dsn)
    await bulk_load(db_dsn, PROFILE, BENCH_UNTIL)
    return db_dsn


async def test_no_panel_query_seq_scans_a_big_table(loaded: str) -> None:
    pool = await asyncpg.create_pool(loaded, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            counts = {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in BIG_TABLES}
            scope = (await read_directory(conn))[0]
        assert counts["production_runs"] > 50_000
        assert counts["oee_calculations"] > 20_000
        assert counts["equipment_status_log"] > 10_000
        recorder = RecordingDatabase(pool, "floorwatch_reader")
        data = PlantData(recorder, scope)
        for call in panel_calls(data, BENCH_UNTIL).values():
            await call()
        wc = (await data.utilization(BENCH_UNTIL))[0].work_center_id
        await data.status_changes(wc, BENCH_UNTIL.replace(hour=0))  # the drill-down's log
        await data.runs(BENCH_UNTIL, work_center_id=wc, limit=50)  # and its run list
        await data.loss_windows(BENCH_UNTIL)  # shift, today, 7 days (report, losses)
        await data.reliability(wc, BENCH_UNTIL)  # the drill-down's MTBF, MTTR, TEEP
        assert len(recorder.log) >= 9
        db = Database(pool, "floorwatch_reader")
        async with pool.acquire() as conn:
            leading = await plans.leading_columns(conn)
        assert leading["equipment_status_log_work_center_idx"] == "work_center_id"
        found: dict[str, Any] = {}
        for sql, args in recorder.log:
            # the plans the monitor's pool runs: generic ones (db/pool.py PLAN_SETTINGS)
            nodes = await plans.explain(db, scope.tenant_id, sql, args)
            scans = plans.seq_scans_on_big_tables(nodes) + plans.whole_index_scans(nodes, leading)
            if scans:
                found[sql.splitlines()[0]] = (scans, plans.node_types(nodes))
        assert found == {}
    finally:
        await pool.close()
