"""Orchestrates one benchmark run: target, data at a named scale, measurements, report."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg
from pydantic import BaseModel

from floorwatch.bench import measure
from floorwatch.bench.loader import Profile, bulk_load, is_bulk_capable
from floorwatch.bench.report import BenchReport, FloorMs
from floorwatch.db import migrate
from floorwatch.db.dsn import Target
from floorwatch.db.pool import connect, create_pool, open_database
from floorwatch.db.queries import read_directory
from floorwatch.db.schema import BIG_TABLES
from floorwatch.domain.models import Scope
from floorwatch.errors import UserError

Progress = Callable[[int, int, str], None]

COUNTED_TABLES = ("work_centers", *BIG_TABLES)
# The simulated clock's end for every benchmark load: the same rows each time for a scale.
BENCH_UNTIL = datetime(2026, 11, 2, 10, 30, tzinfo=UTC)


class Scale(BaseModel):
    name: str
    profile: Profile
    iterations: int  # samples per panel


# name: (tenants, facilities, work centers, simulated days, runs, OEE rows, status rows),
# samples per panel
_SCALE_TABLE = {
    "small": ((1, 2, 25, 10, 100_000, 45_000, 20_000), 100),
    "erp": ((1, 4, 50, 21, 1_000_000, 450_000, 200_000), 300),
    "10x": ((2, 5, 50, 83, 10_000_000, 5_000_000, 2_000_000), 300),
}
_PROFILE_FIELDS = ("tenants", "facilities", "work_centers", "sim_days", "runs", "oee_rows",
                   "status_rows")  # fmt: skip
SCALES: dict[str, Scale] = {
    name: Scale(
        name=name, profile=Profile(**dict(zip(_PROFILE_FIELDS, row, strict=True))), iterations=n
    )
    for name, (row, n) in _SCALE_TABLE.items()
}


class BenchOptions(BaseModel):
    scale: str = "small"
    keep: bool = False
    monitors: int = 0
    load_seconds: float = 30
    iterations: int | None = None
    reader_role: str | None = "floorwatch_reader"
    monitor_side: bool = True
    render_iterations: int = 20
    cpu_seconds: float = 30.0
    push_trials: int = 20
    profile: Profile | None = None  # overrides the scale's (tests load less)


async def _loaded_scale(conn: asyncpg.Connection) -> str | None:
    exists = await conn.fetchval("SELECT to_regclass('floorwatch_bench_meta') IS NOT NULL")
    if not exists:
        return None
    return await conn.fetchval("SELECT scale FROM floorwatch_bench_meta LIMIT 1")


async def load(target: Target, scale: Scale, on_progress: Progress | None) -> list[str]:
    """Migrate and fill the database at `scale` (unless that scale is already there), then
    VACUUM ANALYZE. Notes on how the data were loaded."""
    conn = await connect(target, statement_timeout_ms=0)  # cannot connect: one line
    try:
        await migrate.migrate(conn)
        if await _loaded_scale(conn) == scale.name:
            method = await conn.fetchval("SELECT method FROM floorwatch_bench_meta LIMIT 1")
            return [f"reused data loaded earlier ({method})"]
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM floorwatch_directory())"):
            raise UserError("the benchmark database holds other data; use an empty database")
        bulk = await is_bulk_capable(conn)
    finally:
        await conn.close()
    began = time.perf_counter()
    if bulk:
        phases = await bulk_load(target.dsn, scale.profile, BENCH_UNTIL, on_progress)
        detail = ", ".join(f"{k[:-2]} {v:.0f} s" for k, v in phases.items())
        method = (
            f"bulk COPY as superuser: simulator over the last {scale.profile.sim_days} days, "
            f"older closed history cloned back in SQL ({detail})"
        )
    else:
        from floorwatch.sim import simulate

        options = scale.profile.sim_options(BENCH_UNTIL)  # backfill only (duration 0)
        await simulate(target.dsn, options, on_progress=on_progress)
        method = (
            f"simulator backfill as floorwatch_writer over {options.backfill_days} days"
            " (not a superuser: no bulk load, row counts below the scale's)"
        )
    seconds = time.perf_counter() - began
    conn = await connect(target, statement_timeout_ms=0)  # cannot connect: one line
    try:
        await conn.execute("ANALYZE")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS floorwatch_bench_meta (scale text NOT NULL,"
            " method text NOT NULL, load_seconds real NOT NULL,"
            " loaded_at timestamptz NOT NULL DEFAULT now())"
        )
        await conn.execute(
            "INSERT INTO floorwatch_bench_meta (scale, method, load_seconds) VALUES ($1, $2, $3)",
            scale.name,
            method,
            seconds,
        )
    finally:
        await conn.close()
    return [f"loaded in {seconds:.0f} s: {method}"]


COUNT_TIMEOUT_S = 600.0


async def row_counts(pool: asyncpg.Pool) -> dict[str, int]:
    async with pool.acquire() as conn, conn.transaction():
        # exact counts of up to 10 M rows outlast the pool's statement timeout (and asyncpg's
        # command timeout, a few seconds past it) on a cold cache: the server was just started
        # or restarted for the concurrent monitors' settings
        await conn.execute("SET LOCAL statement_timeout = 0")
        return {
            t: await conn.fetchval(f"SELECT count(*) FROM {t}", timeout=COUNT_TIMEOUT_S)
            for t in COUNTED_TABLES
        }


async def monitor_side(target: Target, scope: Scope, options: BenchOptions) -> dict[str, object]:
    """The headless monitor measurements, in a child process (its own CPU time and RSS)."""
    from floorwatch.bench.monitor import MonitorArgs

    args = MonitorArgs(
        dsn=target.dsn or "",
        scope=scope,
        now=BENCH_UNTIL,
        reader_role=options.reader_role,
        iterations=options.render_iterations,
        cpu_seconds=options.cpu_seconds,
        push_trials=options.push_trials,
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "floorwatch.bench.monitor",
        args.model_dump_json(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"monitor measurement failed: {tail[0]}")
    return json.loads(out.decode().strip().splitlines()[-1])


async def run_bench(
    target: Target, options: BenchOptions, on_progress: Progress | None = None
) -> BenchReport:
    scale = SCALES[options.scale]
    if options.profile is not None:
        scale = scale.model_copy(update={"profile": options.profile})
    notes = await load(target, scale, on_progress)
    iterations = options.iterations or scale.iterations
    now = BENCH_UNTIL
    pool = await create_pool(target, min_size=6, max_size=6)
    try:
        rows = await row_counts(pool)
        async with pool.acquire() as conn:
            scopes: list[Scope] = await read_directory(conn)
            version = await conn.fetchval("SHOW server_version")
        scope = scopes[0]
        floor = await measure.round_trip_floor(pool, iterations * 2)
    finally:
        await pool.close()
    # the monitor's own data layer: its pool, sessions set up once per connection
    db = await open_database(target, reader_role=options.reader_role, min_size=6, max_size=6)
    try:
        fetch_floor = await measure.fetch_floor(db, scope, iterations * 2)
        panels = await measure.panels(db, scope, now, iterations)
        full = await measure.full_refresh(db, scope, now, iterations)
    finally:
        await db.close()
    trips = await measure.round_trips_per_poll(target, scope, now, options.reader_role)
    for name, count in (trips.panels if trips else {}).items():
        if name in panels:
            panels[name].round_trips = count
    notes.append(
        f"PostgreSQL {version}; panels measured for {scope.tenant_code}/{scope.facility_code}"
        f" ({rows['work_centers'] // max(1, len(scopes))} work centers) at {now.isoformat()},"
        f" {iterations} samples each, through the monitor's data layer (db/pool.py"
        " open_database: reader role and read-only set once per connection, tenant setting kept"
        " per connection)"
    )
    notes.append(
        "round trips per poll: counted on a TCP socket (a proxy on 127.0.0.1 in front of the"
        f" server), one connection, after 3 warm-up polls, mean of {trips.polls} polls"
        if trips
        else "round trips per poll: not counted (the DSN names several hosts)"
    )
    report = BenchReport(
        scale=scale.name,
        rows=rows,
        floor_ms=FloorMs(p50=floor.p50, p95=floor.p95),
        fetch_floor_ms=FloorMs(p50=fetch_floor.p50, p95=fetch_floor.p95),
        round_trips=trips,
        panels=panels,
        full_refresh_ms=FloorMs(p50=full.p50, p95=full.p95),
        notes=notes,
    )
    if options.monitor_side:
        side = await monitor_side(target, scope, options)
        render = side["render_ms"]
        assert isinstance(render, dict)
        report.render_ms = FloorMs(p50=render["p50"], p95=render["p95"])
        report.monitor_cpu_pct = float(side["monitor_cpu_pct"])  # type: ignore[arg-type]
        report.rss_mb = float(side["rss_mb"])  # type: ignore[arg-type]
        push_cpu, push = side.get("monitor_cpu_push_pct"), side.get("push_ms")
        report.monitor_cpu_push_pct = None if push_cpu is None else float(push_cpu)  # type: ignore[arg-type]
        if isinstance(push, dict):
            report.push_ms = FloorMs(p50=push["p50"], p95=push["p95"])
        report.push_samples = int(side.get("push_samples") or 0)  # type: ignore[call-overload]
        report.push_state = str(side.get("push_state") or "")
        parts = side.get("render_parts_p50_ms") or {}
        assert isinstance(parts, dict)
        report.render_parts_ms = {str(k): float(v) for k, v in parts.items()}
        report.notes.append(
            f"monitor: FloorwatchApp headless at 160x48 with {side['work_centers']} work"
            f" centers; render = CPU ms from the six polls' data to the repainted screen"
            f" ({side['render_samples']} samples); CPU over {options.cpu_seconds:.0f} s at"
            f" default intervals ({side['polls_during_cpu']} polls); RSS = peak of that process"
        )
    if options.monitors:
        report.panels_under_load, failed = await measure.concurrent_monitors(
            target,
            scopes,
            now,
            monitors=options.monitors,
            seconds=options.load_seconds,
            reader_role=options.reader_role,
        )
        report.monitors = options.monitors
        if failed:
            report.notes.append(
                "under load, polls failed (statement timeout or connection), not counted as"
                " samples: " + ", ".join(f"{k} {v}" for k, v in sorted(failed.items()))
            )
        report.load_seconds = options.load_seconds
    return report


# Server settings for the embedded benchmark server (ALTER SYSTEM; they need a restart).
SERVER_SETTINGS = {"shared_buffers": "512MB", "max_connections": "250"}


async def tune_server(admin_dsn: str, *, monitors: int) -> bool:
    """Apply SERVER_SETTINGS (connections for `monitors` concurrent monitors); True when the
    server must restart for them to take effect."""
    conn = await asyncpg.connect(admin_dsn)
    try:
        changed = False
        settings = dict(SERVER_SETTINGS)
        settings["max_connections"] = str(max(int(settings["max_connections"]), monitors + 50))
        for name, value in settings.items():
            current = await conn.fetchval(
                "SELECT setting FROM pg_file_settings WHERE name = $1 AND applied"
                " ORDER BY seqno DESC LIMIT 1",
                name,
            )
            pending = await conn.fetchval(
                "SELECT pending_restart FROM pg_settings WHERE name = $1", name
            )
            if current != value:
                await conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
                changed = True
            elif pending:
                changed = True
        return changed
    finally:
        await conn.close()
