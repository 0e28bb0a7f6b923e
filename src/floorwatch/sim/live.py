"""Live simulation: advance simulated time with a clock, write what changed every tick.

The engine reloads its machines from the database whenever it (re)connects, so it continues
from the last committed state after outages and restarts; it never raises on connection
errors (it logs, backs off and retries) and stops cleanly when cancelled."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from floorwatch.db.pool import CONNECTION_ERRORS
from floorwatch.errors import UserError
from floorwatch.sim import rows, writer
from floorwatch.sim.machine import Machine
from floorwatch.sim.options import SimReport
from floorwatch.sim.plant import Facility, calendar_of
from floorwatch.sim.resume import load_facility, load_machine

log = logging.getLogger(__name__)

CATCH_UP_STEP_S = 6 * 3600  # simulated seconds written per transaction while catching up
LOCK_NAMESPACE = 0x466C7277  # "Flrw": advisory lock key space of the live writer


class SimClock:
    """Simulated time: `start` at creation, advancing `speed` times faster than real time."""

    def __init__(self, start: datetime, speed: float) -> None:
        self.start = start
        self.speed = speed
        self._t0 = time.monotonic()

    def __call__(self) -> datetime:
        return datetime.fromtimestamp(
            self.start.timestamp() + (time.monotonic() - self._t0) * self.speed, UTC
        )


@dataclass
class _Plant:
    tenant_id: uuid.UUID
    facility: Facility
    machines: list[Machine] = field(default_factory=list)


def _lock_key(facility_id: uuid.UUID) -> int:
    return int.from_bytes(facility_id.bytes[:8], "big", signed=True) ^ LOCK_NAMESPACE


class LiveEngine:
    """Keeps facilities' simulated plants moving with `clock`.

    `max_gap_s`: when the data is further behind the clock than this (the simulator was not
    running), the time before is written as one planned-downtime interval ("plant idle") per
    work center and only the last `max_gap_s` are simulated."""

    def __init__(
        self,
        dsn: str | None,
        facilities: list[tuple[uuid.UUID, uuid.UUID]],
        clock: SimClock,
        *,
        tick_s: float = 1.0,
        max_gap_s: int = 3 * 86_400,
        job_scale: float = 1.0,
        report: SimReport | None = None,
    ) -> None:
        self.dsn = dsn
        self.facilities = facilities
        self.clock = clock
        self.tick_s = tick_s
        self.max_gap_s = max_gap_s
        self.job_scale = job_scale
        self.report = report or SimReport()
        self.plants: list[_Plant] = []
        self._backoff = 0.5

    # ---- loading ------------------------------------------------------------------------

    async def _load(self, w: writer.Writer) -> None:
        conn = w.conn
        self.plants = []
        for tenant_id, facility_id in self.facilities:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _lock_key(facility_id)):
                log.info("facility %s has another live writer; not writing it", facility_id)
                continue
            async with w.writing(tenant_id):
                f = await load_facility(w, facility_id)
                if f is None:
                    continue
                calendar = calendar_of(f)
                cursors = dict(
                    await conn.fetch(
                        f"SELECT id, updated_at FROM {w.source('work_centers')}"
                        " WHERE facility_id = $1",
                        facility_id,
                    )
                )
                plant = _Plant(tenant_id, f)
                for wc in f.work_centers:
                    cursor = int(cursors[wc.id].timestamp())
                    plant.machines.append(
                        await load_machine(w, f, wc, calendar, cursor, self.job_scale)
                    )
            self.plants.append(plant)

    # ---- one step -----------------------------------------------------------------------

    async def step(self, w: writer.Writer) -> bool:
        """Advance every plant towards the clock; True when some plant is still behind."""
        target = int(self.clock().timestamp())
        behind = False
        for plant in self.plants:
            behind |= await self._step_plant(w, plant, target)
        return behind

    async def _step_plant(self, w: writer.Writer, plant: _Plant, target: int) -> bool:
        behind = False
        f = plant.facility
        tables: dict[str, list[rows.Record]] = {t: [] for t in writer.UPSERT_TABLES}
        for m in plant.machines:
            if target - m.t > self.max_gap_s:
                m.idle(target - self.max_gap_s)
            to = min(target, m.t + CATCH_UP_STEP_S)
            behind |= to < target
            m.advance(to)
            rows.add_changes(tables, f, m.wc, m.drain(), m.t)
            tables["work_centers"].append(
                rows.work_center_row(f, m.wc, m.work_center_status, m.t, m.t)
            )
        async with w.writing(plant.tenant_id):
            for table in writer.UPSERT_TABLES:
                n = await w.upsert(table, tables[table])
                self.report.updated[table] = self.report.updated.get(table, 0) + n
        return behind

    # ---- loops --------------------------------------------------------------------------

    async def _session(self, stop_at: float | None) -> None:
        w = await writer.open_writer(self.dsn)
        try:
            await self._load(w)
            self._backoff = 0.5
            while stop_at is None or time.monotonic() < stop_at:
                if not self.plants:  # another process writes these facilities: wait, retry
                    await asyncio.sleep(min(5.0, self.tick_s * 5))
                    await self._load(w)
                    continue
                behind = await self.step(w)
                if not behind:
                    await asyncio.sleep(self.tick_s)
        finally:
            await _close(w.conn)

    async def run_for(self, seconds: float) -> None:
        """Run live for `seconds` of real time (errors other than a lost server propagate)."""
        await self._resilient(time.monotonic() + seconds)

    async def run_forever(self) -> None:
        """Run until cancelled; never raises."""
        await self._resilient(None)

    async def _resilient(self, stop_at: float | None) -> None:
        self._backoff = 0.5
        while stop_at is None or time.monotonic() < stop_at:
            try:
                await self._session(stop_at)
                return
            except asyncio.CancelledError:
                raise
            except (*CONNECTION_ERRORS, UserError) as exc:
                log.warning("live simulator: %s; retrying in %.1f s", _describe(exc), self._backoff)
            except Exception:
                if stop_at is not None:
                    raise
                log.exception("live simulator failed; retrying in %.1f s", self._backoff)
            delay = self._backoff
            if stop_at is not None:
                delay = min(delay, max(0.0, stop_at - time.monotonic()))
            await asyncio.sleep(delay)
            self._backoff = min(self._backoff * 2, 10.0)


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _close(conn: asyncpg.Connection) -> None:
    try:
        await asyncio.wait_for(conn.close(), 2)
    except BaseException:
        with suppress(Exception):
            conn.terminate()
        raise
