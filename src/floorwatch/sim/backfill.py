"""`simulate`: write the history of a simulated plant fast (COPY), then optionally run live."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg

from floorwatch.errors import UserError
from floorwatch.sim import rows, writer
from floorwatch.sim.machine import Machine
from floorwatch.sim.options import SimOptions, SimReport
from floorwatch.sim.plant import Facility, Tenant, build_layout
from floorwatch.sim.shifts import ShiftCalendar

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
BATCH_ROWS = 60_000  # rows per COPY transaction
DAY_S = 86_400


def calendar_of(f: Facility) -> ShiftCalendar:
    return ShiftCalendar(f.timezone, f.first_shift_start, f.shift_length_hours)


async def _refuse_existing(conn: asyncpg.Connection, tenants: tuple[Tenant, ...]) -> None:
    codes = [t.code for t in tenants]
    taken = await conn.fetch(
        "SELECT DISTINCT tenant_code FROM floorwatch_directory()"
        " WHERE tenant_code = ANY($1::text[]) ORDER BY 1",
        codes,
    )
    if taken:
        names = ", ".join(r["tenant_code"] for r in taken)
        raise UserError(
            f"tenant {names} already exists: the simulator writes a plant once per seed; "
            "use another --seed or an empty database"
        )


class _Batch:
    """Rows waiting for the next COPY transaction (one tenant)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[rows.Record]] = {t: [] for t in rows.TABLE_ORDER}

    def __len__(self) -> int:
        return sum(len(v) for v in self.tables.values())

    async def flush(self, conn: asyncpg.Connection, tenant: Tenant, report: SimReport) -> None:
        if not len(self):
            return
        async with writer.writing(conn, tenant.id):
            for table in rows.TABLE_ORDER:
                report.add(table, await writer.copy(conn, table, self.tables[table]))
        self.tables = {t: [] for t in rows.TABLE_ORDER}


def _simulate_work_center(
    f: Facility, machine: Machine, until: int, batch: _Batch
) -> tuple[str, int]:
    machine.advance(until)
    changes = machine.drain()
    wc = machine.wc
    t = batch.tables
    t["production_orders"].extend(rows.order_row(f, o) for o in changes.orders)
    t["production_runs"].extend(rows.run_row(f, wc, r) for r in changes.runs)
    t["equipment_status_log"].extend(rows.status_row(f, wc, s) for s in changes.statuses)
    t["oee_calculations"].extend(rows.oee_row(f, wc, a, until) for a in changes.shifts)
    return machine.work_center_status, len(changes.runs)


async def backfill(
    conn: asyncpg.Connection,
    tenants: tuple[Tenant, ...],
    options: SimOptions,
    until: int,
    report: SimReport,
    on_progress: Progress | None,
) -> None:
    """Write every tenant's plant from `backfill_days` before `until` up to `until`."""
    total = sum(len(f.work_centers) for t in tenants for f in t.facilities)
    done = 0
    for tenant in tenants:
        batch = _Batch()
        for f in tenant.facilities:
            calendar = calendar_of(f)
            # start on a shift boundary, so every shift row but the last covers a whole shift
            start = min(until, calendar.next_start(until - options.backfill_days * DAY_S))
            created = start - 30 * DAY_S
            if f is tenant.facilities[0]:
                batch.tables["tenants"].append(rows.tenant_row(tenant, created))
            batch.tables["facilities"].append(rows.facility_row(f, created))
            batch.tables["users"].extend(rows.user_rows(f, created))
            machines = [
                Machine.fresh(f, wc, calendar, start, options.job_scale) for wc in f.work_centers
            ]
            batch.tables["work_centers"].extend(
                rows.work_center_row(f, m.wc, m.work_center_status, created, until)
                for m in machines
            )
            statuses = []
            label = f"{tenant.code}/{f.code}"
            for m in machines:
                statuses.append((m.wc.id, _simulate_work_center(f, m, until, batch)[0]))
                if len(batch) >= BATCH_ROWS:
                    await batch.flush(conn, tenant, report)
                done += 1
                if on_progress:
                    on_progress(done, total, label)
            await batch.flush(conn, tenant, report)
            async with writer.writing(conn, tenant.id):
                await conn.executemany(
                    "UPDATE work_centers SET status = $2 WHERE id = $1", statuses
                )


async def simulate(
    dsn: str | None, options: SimOptions, on_progress: Progress | None = None
) -> SimReport:
    """Backfill `options.backfill_days` of history ending at `options.until` (default: now),
    then, when `options.duration` > 0, run live for that many real seconds with simulated time
    advancing `options.speed` times faster than real time. Same seed and options (with an
    explicit `until`) → identical rows. Refuses (UserError) when a tenant it would create exists.
    """
    from floorwatch.sim.live import LiveEngine, SimClock

    until_dt = options.until or datetime.now(UTC)
    until = int(until_dt.timestamp())
    tenants = build_layout(options)
    report = SimReport(simulated_until=datetime.fromtimestamp(until, UTC))
    conn = await writer.open_connection(dsn)
    try:
        await _refuse_existing(conn, tenants)
        began = time.perf_counter()
        await backfill(conn, tenants, options, until, report, on_progress)
        report.backfill_seconds = time.perf_counter() - began
    finally:
        await conn.close()
    if options.duration > 0:
        clock = SimClock(datetime.fromtimestamp(until, UTC), options.speed)
        engine = LiveEngine(
            dsn, [(t.id, f.id) for t in tenants for f in t.facilities], clock, report=report
        )
        began = time.perf_counter()
        await engine.run_for(options.duration)
        report.live_seconds = time.perf_counter() - began
        report.simulated_until = clock()
    return report
