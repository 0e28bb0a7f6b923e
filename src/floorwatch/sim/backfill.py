"""`simulate`: write the history of a simulated plant fast (COPY, one transaction per tenant),
then optionally run live (resuming a plant the same seed wrote before)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import asyncpg

from floorwatch.db.schema import PLANT_TABLES
from floorwatch.domain.plant_time import is_loadable_zone
from floorwatch.errors import UserError
from floorwatch.sim import rows, writer
from floorwatch.sim.live import LiveEngine, SimClock
from floorwatch.sim.machine import Machine
from floorwatch.sim.options import SimOptions, SimReport
from floorwatch.sim.plant import Facility, Tenant, build_layout, calendar_of

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
BATCH_ROWS = 40_000  # rows per COPY (about); a tenant's COPYs share one transaction
ROWS_PER_WC_DAY = 85  # about, at job_scale 1 (runs, orders, status rows, shift rows)
WRITERS = 2  # tenants written at once, each on its own connection and transaction
DAY_S = 86_400


class _Batch:
    """Rows waiting for the next COPY (one tenant)."""

    def __init__(self) -> None:
        self.tables: dict[str, list[rows.Record]] = {t: [] for t in PLANT_TABLES}

    def __len__(self) -> int:
        return sum(len(v) for v in self.tables.values())

    async def write(self, w: writer.Writer, written: dict[str, int]) -> None:
        """COPY the rows inside the tenant's open `w.writing` transaction."""
        for table in PLANT_TABLES:
            n = await w.copy(table, self.tables[table])
            written[table] = written.get(table, 0) + n


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


def _layout(
    tenant: Tenant, options: SimOptions, until: int
) -> tuple[_Batch, list[tuple[Facility, Machine]]]:
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
    return layout, machines


async def _backfill_tenant(
    w: writer.Writer,
    tenant: Tenant,
    options: SimOptions,
    until: int,
    report: SimReport,
    progress: Callable[[int, str], None],
) -> None:
    """Write one tenant's whole plant in ONE transaction: killed or interrupted at any point,
    the tenant is either all there or not there at all (a rerun with the seed starts afresh).
    The next chunk is simulated in a worker thread while the current one is COPYed."""
    layout, machines = _layout(tenant, options, until)
    chunks = _chunks(machines, options.backfill_days, options.job_scale)
    written: dict[str, int] = {}
    statuses: list[tuple[uuid.UUID, str]] = []
    pending: asyncio.Future[tuple[_Batch, list[tuple[uuid.UUID, str]]]] | None = None
    try:
        async with w.writing(tenant.id):
            if chunks:  # simulating the first chunk overlaps writing the layout
                pending = asyncio.ensure_future(asyncio.to_thread(_simulate, chunks[0], until))
            try:
                await layout.write(w, written)
            except asyncpg.UniqueViolationError:
                raise UserError(
                    f"tenant {tenant.code} exists already (written by another simulator "
                    "meanwhile, or not visible to this login); use another --seed"
                ) from None
            for i, chunk in enumerate(chunks):
                assert pending is not None
                batch, done = await pending
                pending = None
                if i + 1 < len(chunks):
                    pending = asyncio.ensure_future(
                        asyncio.to_thread(_simulate, chunks[i + 1], until)
                    )
                await batch.write(w, written)
                statuses += done
                progress(len(chunk), f"{tenant.code}/{chunk[-1][0].code}")
            await w.set_work_center_statuses(statuses)
    finally:
        if pending is not None:
            pending.cancel()  # the thread finishes its chunk; the result is dropped
    for table, n in written.items():  # counted once committed
        report.add(table, n)


async def backfill(
    dsn: str | None,
    tenants: tuple[Tenant, ...],
    options: SimOptions,
    until: int,
    report: SimReport,
    on_progress: Progress | None,
) -> None:
    """Write every tenant's plant from `backfill_days` before `until` up to `until`, each
    tenant in one transaction, up to WRITERS tenants at a time on their own connections.
    Interrupted, the tenants committed before stay whole and those in flight leave nothing."""
    total = sum(len(f.work_centers) for t in tenants for f in t.facilities)
    done = 0

    def progress(n: int, label: str) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress(done, total, label)

    queue = list(tenants)

    async def worker() -> None:
        w = await writer.open_writer(dsn)
        try:
            while queue:
                tenant = queue.pop(0)
                await _backfill_tenant(w, tenant, options, until, report, progress)
        finally:
            await w.conn.close()

    workers = [asyncio.ensure_future(worker()) for _ in range(min(WRITERS, len(tenants)))]
    try:
        await asyncio.gather(*workers)
    finally:
        for w in workers:
            w.cancel()  # one failed: stop (and roll back) the others
        await asyncio.gather(*workers, return_exceptions=True)


async def _existing(
    w: writer.Writer, tenants: tuple[Tenant, ...]
) -> dict[str, list[asyncpg.Record]]:
    """The directory rows (tenant and facilities) of the layout's tenants already written."""
    found = await w.directory([t.code for t in tenants])
    by_code: dict[str, list[asyncpg.Record]] = {}
    for r in found:
        by_code.setdefault(r["tenant_code"], []).append(r)
    return by_code


def _split(
    tenants: tuple[Tenant, ...], existing: dict[str, list[asyncpg.Record]], options: SimOptions
) -> tuple[list[Tenant], list[Tenant]]:
    """(tenants to backfill, tenants already written by this seed, to resume live). A tenant
    with the code but not the plant this seed writes is refused, as is a pure backfill
    (--duration 0) with nothing left to write."""
    new: list[Tenant] = []
    resumed: list[Tenant] = []
    for t in tenants:
        found = existing.get(t.code)
        if not found:
            new.append(t)
            continue
        ids = {r["facility_id"] for r in found}
        if found[0]["tenant_id"] != t.id or not {f.id for f in t.facilities} <= ids:
            raise UserError(
                f"tenant {t.code} exists but is not the plant --seed {options.seed} writes with "
                "these options (another seed or --facilities?); use another --seed or an empty "
                "database"
            )
        for r in found:
            if r["facility_id"] in {f.id for f in t.facilities} and not is_loadable_zone(
                r["timezone"]
            ):
                raise UserError(
                    f"facility {r['facility_code']!r} of tenant {t.code!r} has timezone "
                    f"{r['timezone'][:60]!r}, which is not an IANA zone name: cannot resume it"
                )
        resumed.append(t)
    if resumed and not new and options.duration <= 0:
        names = ", ".join(t.code for t in resumed)
        raise UserError(
            f"tenant {names} already exists: the simulator writes a plant once per seed; "
            "`--duration SECONDS` continues it live, or use another --seed or an empty database"
        )
    return new, resumed


async def _data_end(w: writer.Writer, tenants: list[Tenant]) -> int | None:
    """Where the written data of `tenants` ends (latest work-center update), as epoch seconds."""
    latest: int | None = None
    for t in tenants:
        async with w.writing(t.id):
            value = await w.conn.fetchval(
                f"SELECT max(updated_at) FROM {w.source('work_centers')}"
                " WHERE facility_id = ANY($1::uuid[])",
                [f.id for f in t.facilities],
            )
        if value is not None:
            latest = max(latest or 0, int(value.timestamp()))
    return latest


async def simulate(
    dsn: str | None, options: SimOptions, on_progress: Progress | None = None
) -> SimReport:
    """Backfill `options.backfill_days` of history ending at `options.until` (default: now),
    then, when `options.duration` > 0, run live for that many real seconds with simulated time
    advancing `options.speed` times faster than real time. Same seed and options (with an
    explicit `until`) → identical rows.

    A tenant this seed already wrote is not written again: with `duration` > 0 it is resumed
    live from where its data ends (the gap to `until` is caught up, see LiveEngine); with
    `duration` 0 and nothing else to write, UserError ("already exists"). A tenant with the
    same code but another plant is refused (UserError)."""
    until_dt = options.until or datetime.now(UTC)
    until = int(until_dt.timestamp())
    tenants = build_layout(options)
    report = SimReport(simulated_until=datetime.fromtimestamp(until, UTC))
    w = await writer.open_writer(dsn)
    try:
        new, resumed = _split(tenants, await _existing(w, tenants), options)
        data_end = await _data_end(w, resumed) if resumed and options.duration > 0 else None
    finally:
        await w.conn.close()
    report.resumed = [t.code for t in resumed]
    began = time.perf_counter()
    if new:
        await backfill(dsn, tuple(new), options, until, report, on_progress)
    report.backfill_seconds = time.perf_counter() - began
    if options.duration > 0:
        # a resumed plant's data may run ahead of `until` (it ran live at --speed before)
        start = max(until, data_end or until)
        clock = SimClock(datetime.fromtimestamp(start, UTC), options.speed)
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
