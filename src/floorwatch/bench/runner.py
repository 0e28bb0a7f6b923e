"""Orchestrates one benchmark run: target, data at a named scale, measurements, report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg
from pydantic import BaseModel

from floorwatch.bench import measure
from floorwatch.bench.report import BenchReport, FloorMs
from floorwatch.db import migrate
from floorwatch.db.dsn import Target
from floorwatch.db.pool import create_pool
from floorwatch.db.queries import read_directory
from floorwatch.domain.models import Scope

Progress = Callable[[int, int, str], None]

BIG_TABLES = ("production_runs", "oee_calculations", "equipment_status_log")
COUNTED_TABLES = ("work_centers", *BIG_TABLES)
# The simulated clock's end for every benchmark load: the same rows each time for a scale.
BENCH_UNTIL = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


class Scale(BaseModel):
    name: str
    tenants: int
    facilities: int  # per tenant
    work_centers: int  # per facility
    backfill_days: int
    iterations: int  # samples per panel


SCALES: dict[str, Scale] = {
    "small": Scale(
        name="small", tenants=1, facilities=2, work_centers=25, backfill_days=60, iterations=200
    ),
    "erp": Scale(
        name="erp", tenants=1, facilities=4, work_centers=50, backfill_days=120, iterations=300
    ),
    "10x": Scale(
        name="10x", tenants=2, facilities=5, work_centers=50, backfill_days=480, iterations=300
    ),
}


class BenchOptions(BaseModel):
    scale: str = "small"
    keep: bool = False
    monitors: int = 0
    load_seconds: float = 30
    iterations: int | None = None
    reader_role: str | None = "floorwatch_reader"


async def _loaded_scale(conn: asyncpg.Connection) -> str | None:
    exists = await conn.fetchval("SELECT to_regclass('floorwatch_bench_meta') IS NOT NULL")
    if not exists:
        return None
    return await conn.fetchval("SELECT scale FROM floorwatch_bench_meta LIMIT 1")


async def load(target: Target, scale: Scale, on_progress: Progress | None) -> None:
    """Migrate and fill the database with the simulator's backfill at `scale` (unless that
    scale is already there), then ANALYZE."""
    from floorwatch.sim import SimOptions, simulate

    conn = await asyncpg.connect(target.dsn)
    try:
        await migrate.migrate(conn)
        if await _loaded_scale(conn) == scale.name:
            return
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM tenants)"):
            raise ValueError("the benchmark database holds other data; use an empty database")
    finally:
        await conn.close()
    options = SimOptions(
        seed=1,
        tenants=scale.tenants,
        facilities=scale.facilities,
        work_centers=scale.work_centers,
        backfill_days=scale.backfill_days,
        duration=0,
        until=BENCH_UNTIL,
    )
    await simulate(target.dsn, options, on_progress=on_progress)
    conn = await asyncpg.connect(target.dsn)
    try:
        await conn.execute("ANALYZE")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS floorwatch_bench_meta (scale text NOT NULL,"
            " loaded_at timestamptz NOT NULL DEFAULT now())"
        )
        await conn.execute("INSERT INTO floorwatch_bench_meta (scale) VALUES ($1)", scale.name)
    finally:
        await conn.close()


async def row_counts(pool: asyncpg.Pool) -> dict[str, int]:
    async with pool.acquire() as conn:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in COUNTED_TABLES}


async def run(
    target: Target, options: BenchOptions, on_progress: Progress | None = None
) -> BenchReport:
    scale = SCALES[options.scale]
    await load(target, scale, on_progress)
    iterations = options.iterations or scale.iterations
    now = BENCH_UNTIL
    pool = await create_pool(target, min_size=6, max_size=6)
    try:
        rows = await row_counts(pool)
        async with pool.acquire() as conn:
            scopes: list[Scope] = await read_directory(conn)
        scope = scopes[0]
        floor = await measure.round_trip_floor(pool, iterations * 2)
        panels = await measure.panels(pool, scope, now, iterations, options.reader_role)
        full = await measure.full_refresh(pool, scope, now, iterations, options.reader_role)
    finally:
        await pool.close()
    report = BenchReport(
        scale=scale.name,
        rows=rows,
        floor_ms=FloorMs(p50=floor.p50, p95=floor.p95),
        panels=panels,
        full_refresh_ms=FloorMs(p50=full.p50, p95=full.p95),
    )
    if options.monitors:
        report.panels_under_load = await measure.concurrent_monitors(
            target,
            scopes,
            now,
            monitors=options.monitors,
            seconds=options.load_seconds,
            reader_role=options.reader_role,
        )
        report.monitors = options.monitors
        report.load_seconds = options.load_seconds
    return report
