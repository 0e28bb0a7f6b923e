"""`simulate`: write the history of a simulated plant fast (COPY), then optionally run live."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
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
BATCH_ROWS = 40_000  # rows per COPY transaction (about)
ROWS_PER_WC_DAY = 70  # about, at job_scale 1 (runs, orders, status rows, shift rows)
WRITERS = 2  # connections writing in parallel
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


def _simulate(
    chunk: list[tuple[Facility, Machine]], until: int
) -> tuple[_Batch, list[tuple[uuid.UUID, str]]]:
    """Run a chunk of machines up to `until`; their rows and final work-center statuses.
    Pure Python, no I/O: runs in a worker thread while the previous chunk is being written."""
    batch = _Batch()
    t = batch.tables
    statuses = []
    for f, m in chunk:
        m.advance(until)
        rows.add_changes(t, f, m.wc, m.drain(), until)
        statuses.append((m.wc.id, m.work_center_status))
    return batch, statuses


def _chunks(
    machines: list[tuple[Facility, Machine]], days: int, job_scale: float
) -> list[list[tuple[Facility, Machine]]]:
    per_wc = max(1.0, days * ROWS_PER_WC_DAY / job_scale)
    size = max(1, int(BATCH_ROWS / per_wc))
    return [machines[i : i + size] for i in range(0, len(machines), size)]


async def _backfill_tenant(
    conns: list[asyncpg.Connection],
    tenant: Tenant,
    options: SimOptions,
    until: int,
    report: SimReport,
    progress: Callable[[int, str], None],
) -> None:
    layout = _Batch()
    machines: list[tuple[Facility, Machine]] = []
    for f in tenant.facilities:
        calendar = calendar_of(f)
        # start on a shift boundary, so every shift row but the last covers a whole shift
        start = min(until, calendar.next_start(until - options.backfill_days * DAY_S))
        created = start - 30 * DAY_S
        if f is tenant.facilities[0]:
            layout.tables["tenants"].append(rows.tenant_row(tenant, created))
        layout.tables["facilities"].append(rows.facility_row(f, created))
        layout.tables["users"].extend(rows.user_rows(f, created))
        for wc in f.work_centers:
            m = Machine.fresh(f, wc, calendar, start, options.job_scale)
            machines.append((f, m))
            layout.tables["work_centers"].append(
                rows.work_center_row(f, wc, m.work_center_status, created, until)
            )
    await layout.flush(conns[0], tenant, report)
    idle = list(conns)
    running: dict[asyncio.Task[None], asyncpg.Connection] = {}
    statuses: list[tuple[uuid.UUID, str]] = []
    try:
        for chunk in _chunks(machines, options.backfill_days, options.job_scale):
            batch, done = await asyncio.to_thread(_simulate, chunk, until)
            statuses += done
            progress(len(chunk), f"{tenant.code}/{chunk[-1][0].code}")
            if not idle:
                finished, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    idle.append(running.pop(task))
                    task.result()
            conn = idle.pop()
            running[asyncio.create_task(batch.flush(conn, tenant, report))] = conn
        for task in list(running):
            await task
    finally:
        for task in running:
            task.cancel()
    async with writer.writing(conns[0], tenant.id):
        await conns[0].executemany("UPDATE work_centers SET status = $2 WHERE id = $1", statuses)


async def backfill(
    dsn: str | None,
    tenants: tuple[Tenant, ...],
    options: SimOptions,
    until: int,
    report: SimReport,
    on_progress: Progress | None,
) -> None:
    """Write every tenant's plant from `backfill_days` before `until` up to `until`, over
    WRITERS connections while the next chunk is simulated."""
    total = sum(len(f.work_centers) for t in tenants for f in t.facilities)
    done = 0

    def progress(n: int, label: str) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, total, label)

    conns = [await writer.open_connection(dsn) for _ in range(WRITERS)]
    try:
        for tenant in tenants:
            await _backfill_tenant(conns, tenant, options, until, report, progress)
    finally:
        for conn in conns:
            await conn.close()


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
    finally:
        await conn.close()
    began = time.perf_counter()
    await backfill(dsn, tenants, options, until, report, on_progress)
    report.backfill_seconds = time.perf_counter() - began
    if options.duration > 0:
        clock = SimClock(datetime.fromtimestamp(until, UTC), options.speed)
        engine = LiveEngine(
            dsn, [(t.id, f.id) for t in tenants for f in t.facilities], clock, report=report
        )
        began = time.perf_counter()
        await engine.run_for(options.duration)
        report.live_seconds = time.perf_counter() - began
        reached = [m.t for p in engine.plants for m in p.machines]
        if reached:
            report.simulated_until = datetime.fromtimestamp(min(reached), UTC)
    return report
