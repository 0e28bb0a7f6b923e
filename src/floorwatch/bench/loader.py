"""The benchmark's bulk loader: the simulator's machines, written with plain COPY.

The simulator's own writer checks row-level security row by row (PostgreSQL refuses COPY FROM
into a table with RLS, so it stages through temporary tables as floorwatch_writer): about
12 K rows/s, which would take hours at the 10x scale. The benchmark loads as a superuser
instead, which RLS does not apply to, so COPY goes straight into the tables:

1. The big tables' indexes, primary keys, unique and foreign keys are dropped (their definitions
   kept) and rebuilt after the load, as pg_restore does.
2. The simulator (floorwatch.sim: layout, shift calendar, machines, row builders, unchanged)
   runs every work center for `sim_days` up to the benchmark's "now": that window holds every
   open run, the open status rows, today's shift rows and the recent past, exactly as the
   simulator writes them.
3. Older history is cloned from that window in SQL: closed runs, closed status rows and shift
   rows, shifted back by whole windows (k x sim_days days, new ids), until each table
   reaches the scale's row count. The spec's counts (runs : OEE rows : status rows about
   1 M : 450 K : 200 K) are not a plant's natural ratio (a simulated work-center day holds
   about 15 runs, 48 status rows and 3 shift rows), so each table's history reaches a
   different depth. Nothing cloned is open or falls in the simulated window, so every panel
   figure at the benchmark's "now" comes from the simulated window alone.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import asyncpg
from pydantic import BaseModel

from floorwatch.db.schema import BIG_TABLES
from floorwatch.sim import rows
from floorwatch.sim.machine import Machine
from floorwatch.sim.options import SimOptions
from floorwatch.sim.plant import Facility, build_layout, calendar_of

Progress = Callable[[int, int, str], None]
DAY_S = 86_400
_REBUILT = ("production_orders", *BIG_TABLES)
COPY_BATCH = 50_000  # rows per COPY


class Profile(BaseModel):
    """What the loader writes for one scale."""

    tenants: int
    facilities: int  # per tenant
    work_centers: int  # per facility
    sim_days: int  # simulated window ending at the benchmark's "now"
    job_scale: float = 1.0
    runs: int  # target row counts (history cloned from the window to reach them)
    oee_rows: int
    status_rows: int

    def sim_options(self, until: datetime) -> SimOptions:
        """The simulator's options for the window ending at `until` (same rows every time)."""
        return SimOptions(
            seed=1,
            tenants=self.tenants,
            facilities=self.facilities,
            work_centers=self.work_centers,
            backfill_days=self.sim_days,
            job_scale=self.job_scale,
            until=until,
        )


async def is_bulk_capable(conn: asyncpg.Connection) -> bool:
    """Superusers (and BYPASSRLS roles owning the tables) may COPY into RLS tables."""
    return bool(await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))


async def _drop_keys_and_indexes(conn: asyncpg.Connection) -> list[str]:
    """Drop the rebuilt tables' constraints and indexes; the statements that restore them."""
    constraints = await conn.fetch(
        """SELECT conrelid::regclass::text AS tbl, conname, contype::text AS contype,
                  pg_get_constraintdef(oid) AS def
           FROM pg_constraint
           WHERE contype IN ('p', 'u', 'f')
             AND (conrelid::regclass::text = ANY($1::text[])
                  OR confrelid::regclass::text = ANY($1::text[]))""",
        list(_REBUILT),
    )
    indexes = await conn.fetch(
        """SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i
           WHERE i.indrelid::regclass::text = ANY($1::text[])
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
        list(_REBUILT),
    )
    restore: list[str] = []
    order = {"p": 0, "u": 1, "f": 2}
    for c in sorted(constraints, key=lambda c: order[c["contype"]]):
        restore.append(f'ALTER TABLE {c["tbl"]} ADD CONSTRAINT "{c["conname"]}" {c["def"]}')
    restore += [i["def"] for i in indexes]
    for c in sorted(constraints, key=lambda c: -order[c["contype"]]):
        await conn.execute(f'ALTER TABLE {c["tbl"]} DROP CONSTRAINT "{c["conname"]}"')
    for i in indexes:
        await conn.execute(f"DROP INDEX {i['name']}")
    return restore


def _generate(
    chunk: list[tuple[Facility, Machine]], until: int
) -> tuple[dict[str, list[rows.Record]], list[rows.Record]]:
    """Run a chunk of machines to `until` (pure Python, in a worker thread)."""
    tables: dict[str, list[rows.Record]] = {t: [] for t in _REBUILT}
    centers: list[rows.Record] = []
    for f, m in chunk:
        m.advance(until)
        rows.add_changes(tables, f, m.wc, m.drain(), until)
        centers.append(
            rows.work_center_row(f, m.wc, m.work_center_status, until - 30 * DAY_S, until)
        )
    return tables, centers


async def _copy(conn: asyncpg.Connection, table: str, records: list[rows.Record]) -> None:
    for i in range(0, len(records), COPY_BATCH):
        await conn.copy_records_to_table(
            table, records=records[i : i + COPY_BATCH], columns=list(rows.COLUMNS[table])
        )


async def _simulate_window(
    conns: list[asyncpg.Connection],
    profile: Profile,
    until_dt: datetime,
    progress: Progress,
) -> None:
    until = int(until_dt.timestamp())
    tenants = build_layout(profile.sim_options(until_dt))
    conn = conns[0]
    machines: list[tuple[Facility, Machine]] = []
    for tenant in tenants:
        for f in tenant.facilities:
            calendar = calendar_of(f)
            start = min(until, calendar.next_start(until - profile.sim_days * DAY_S))
            created = start - 30 * DAY_S
            if f is tenant.facilities[0]:
                await _copy(conn, "tenants", [rows.tenant_row(tenant, created)])
            await _copy(conn, "facilities", [rows.facility_row(f, created)])
            await _copy(conn, "users", rows.user_rows(f, created))
            machines += [
                (f, Machine.fresh(f, wc, calendar, start, profile.job_scale))
                for wc in f.work_centers
            ]
    size = 10
    chunks = [machines[i : i + size] for i in range(0, len(machines), size)]
    done = 0
    pending: asyncio.Task[None] | None = None

    async def write(conn: asyncpg.Connection, tables: dict[str, list[rows.Record]]) -> None:
        async with conn.transaction():
            for table, records in tables.items():
                await _copy(conn, table, records)

    for i, chunk in enumerate(chunks):
        tables, centers = await asyncio.to_thread(_generate, chunk, until)
        await _copy(conn, "work_centers", centers)
        if pending is not None:
            await pending
        pending = asyncio.create_task(write(conns[1 + i % (len(conns) - 1)], tables))
        done += len(chunk)
        progress(done, len(machines), f"simulating {chunk[-1][0].code} ({profile.sim_days} days)")
    if pending is not None:
        await pending


_CLONE_RUNS = """
INSERT INTO production_runs (
    id, tenant_id, facility_id, production_run_number, production_order_id, work_center_id,
    operator_user_id, operator_name, scheduled_start, scheduled_end, actual_start, actual_end,
    quantity_planned, quantity_good, quantity_scrap, quantity_rework, setup_time_minutes,
    run_time_minutes, downtime_minutes, status, created_at, updated_at)
SELECT gen_random_uuid(), tenant_id, facility_id, production_run_number || '-H' || k,
       production_order_id, work_center_id, operator_user_id, operator_name,
       scheduled_start - d, scheduled_end - d, actual_start - d, actual_end - d,
       quantity_planned, quantity_good, quantity_scrap, quantity_rework, setup_time_minutes,
       run_time_minutes, downtime_minutes, status, created_at - d, updated_at - d
FROM production_runs r, generate_series($1::int, $2::int) k,
     LATERAL (SELECT make_interval(days => k * $3::int) AS d) s
WHERE r.status IN ('COMPLETED', 'CANCELLED') AND r.production_run_number NOT LIKE '%-H%'
"""

_CLONE_OEE = """
INSERT INTO oee_calculations (
    id, tenant_id, facility_id, work_center_id, calculation_date, shift, period_start,
    period_end, planned_production_time, downtime, runtime, total_pieces_produced,
    good_pieces, defective_pieces, ideal_cycle_time_seconds, availability_percentage,
    performance_percentage, quality_percentage, oee_percentage, target_oee_percentage,
    created_at)
SELECT gen_random_uuid(), tenant_id, facility_id, work_center_id,
       calculation_date - k * $3::int, shift, period_start - d, period_end - d,
       planned_production_time, downtime, runtime, total_pieces_produced, good_pieces,
       defective_pieces, ideal_cycle_time_seconds, availability_percentage,
       performance_percentage, quality_percentage, oee_percentage, target_oee_percentage,
       created_at - d
FROM oee_calculations o, generate_series($1::int, $2::int) k,
     LATERAL (SELECT make_interval(days => k * $3::int) AS d) s
WHERE o.calculation_date >= $4::date
"""

_CLONE_STATUS = """
INSERT INTO equipment_status_log (
    id, tenant_id, facility_id, work_center_id, status, previous_status, status_start,
    status_end, production_run_id, reason_code, reason_description, created_at)
SELECT gen_random_uuid(), tenant_id, facility_id, work_center_id, status, previous_status,
       status_start - d, status_end - d, production_run_id, reason_code, reason_description,
       created_at - d
FROM equipment_status_log l, generate_series($1::int, $2::int) k,
     LATERAL (SELECT make_interval(days => k * $3::int) AS d) s
WHERE l.status_end IS NOT NULL AND l.status_start >= $4::timestamptz
"""


async def _clone_history(
    conn: asyncpg.Connection, profile: Profile, until_dt: datetime, progress: Progress
) -> None:
    """Clone closed history back in whole windows until each table reaches its target.

    Shift rows are cloned from the window's last sim_days - 1 local dates and shifted by
    sim_days + 2 days, so no clone meets an original (work center, date, shift)."""
    days = profile.sim_days
    start_dt = until_dt - timedelta(days=days)
    first_date = until_dt.date() - timedelta(days=days - 2)
    plan: list[tuple[str, int, str, str, int, object]] = [
        (
            "production_runs",
            profile.runs,
            "SELECT count(*) FROM production_runs WHERE status IN ('COMPLETED', 'CANCELLED')"
            " AND production_run_number NOT LIKE '%-H%'",
            _CLONE_RUNS,
            days,
            None,
        ),
        (
            "oee_calculations",
            profile.oee_rows,
            f"SELECT count(*) FROM oee_calculations WHERE calculation_date >= '{first_date}'",
            _CLONE_OEE,
            days + 2,
            first_date,
        ),
        (
            "equipment_status_log",
            profile.status_rows,
            "SELECT count(*) FROM equipment_status_log WHERE status_end IS NOT NULL"
            f" AND status_start >= '{start_dt.isoformat()}'::timestamptz",
            _CLONE_STATUS,
            days,
            start_dt,
        ),
    ]
    for index, (table, target, count_sql, clone_sql, shift_days, bound) in enumerate(plan):
        have = await conn.fetchval(f"SELECT count(*) FROM {table}")
        per_copy = await conn.fetchval(count_sql)
        if have >= target or not per_copy:
            continue
        copies = max(1, round((target - have) / per_copy))
        step = max(1, math.ceil(2_000_000 / per_copy))  # about 2 M rows per statement
        for k in range(1, copies + 1, step):
            last = min(copies, k + step - 1)
            progress(index, len(plan), f"cloning history: {table} windows {k}..{last} of {copies}")
            args = (k, last, shift_days) if bound is None else (k, last, shift_days, bound)
            await conn.execute(clone_sql, *args)


async def bulk_load(
    dsn: str, profile: Profile, until_dt: datetime, on_progress: Progress | None = None
) -> dict[str, float]:
    """Load `profile` into a migrated, empty database as a superuser; seconds per phase."""

    def progress(done: int, total: int, label: str) -> None:
        if on_progress:
            on_progress(done, total, label)

    phases: dict[str, float] = {}
    conn = await asyncpg.connect(dsn)
    extra = [await asyncpg.connect(dsn) for _ in range(2)]
    try:
        await conn.execute("SET maintenance_work_mem = '1GB'")
        began = time.perf_counter()
        restore = await _drop_keys_and_indexes(conn)
        await _simulate_window([conn, *extra], profile, until_dt, progress)
        phases["simulate_s"] = time.perf_counter() - began
        began = time.perf_counter()
        await _clone_history(conn, profile, until_dt, progress)
        phases["clone_s"] = time.perf_counter() - began
        began = time.perf_counter()
        for i, statement in enumerate(restore):
            progress(i, len(restore), f"rebuilding keys and indexes ({i + 1}/{len(restore)})")
            await conn.execute(statement)
        phases["index_s"] = time.perf_counter() - began
        began = time.perf_counter()
        progress(0, 1, "VACUUM ANALYZE")
        for table in _REBUILT:
            await conn.execute(f"VACUUM (ANALYZE) {table}")
        await conn.execute("ANALYZE")
        phases["vacuum_s"] = time.perf_counter() - began
    finally:
        for c in (conn, *extra):
            await c.close()
    return phases
