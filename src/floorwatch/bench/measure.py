"""Database-side measurements: the round-trip floor, each panel through the real data layer,
a full refresh, plan shapes, and panel latency under N concurrent monitors."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from contextlib import suppress
from datetime import datetime
from functools import partial
from typing import Any

import asyncpg
from pydantic import BaseModel

from floorwatch.bench import plans, round_trips
from floorwatch.bench.recording import RecordingDatabase
from floorwatch.bench.stats import Percentiles, summarize
from floorwatch.config import Intervals
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData, panel_calls
from floorwatch.db.pool import CONNECTION_ERRORS, Database, open_database
from floorwatch.domain.models import Scope
from floorwatch.errors import UserError
from floorwatch.panels import interval_key_of


class PanelResult(BaseModel):
    p50: float
    p95: float
    p99: float | None
    seq_scans: list[str]
    whole_index_scans: list[str] = []  # an index of a big table walked whole (plans.py)
    node_types: list[str]
    round_trips: float | None = None  # per poll, counted on a socket (round_trips_per_poll)


class RoundTrips(BaseModel):
    """Round trips per poll after warm-up, counted on a TCP socket (bench/round_trips.py)."""

    select_one: float  # SELECT 1 through Database.fetch
    panels: dict[str, float]
    polls: int  # polls counted per panel


async def _timed(call: Any) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def round_trip_floor(pool: asyncpg.Pool, iterations: int) -> Percentiles:
    samples: list[float] = []
    async with pool.acquire() as conn:
        for _ in range(iterations):
            started = time.perf_counter()
            await conn.fetchval("SELECT 1")
            samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples, with_p99=False)


async def fetch_floor(db: Database, scope: Scope, iterations: int) -> Percentiles:
    """`SELECT 1` through Database.fetch: what the data layer adds to one round trip."""
    await db.fetch(scope.tenant_id, "SELECT 1")
    samples = [
        await _timed(partial(db.fetch, scope.tenant_id, "SELECT 1")) for _ in range(iterations)
    ]
    return summarize(samples, with_p99=False)


async def round_trips_per_poll(
    target: Target, scope: Scope, now: datetime, reader_role: str | None, polls: int = 5
) -> RoundTrips | None:
    """Each panel's round trips per poll through the real data layer, on one connection through
    a counting proxy, after three warm-up polls (statements prepared, per-day reads cached).
    None when the DSN is not one the proxy can stand in front of (several hosts)."""
    upstream = round_trips.upstream_of(target.dsn)
    if upstream is None or target.dsn is None:
        return None
    async with round_trips.RoundTripProxy(upstream) as proxy:
        db = await _reading_database(Target(proxy.dsn(target.dsn), target.source), reader_role)
        try:

            async def count(call: Any) -> float:
                for _ in range(3):
                    await call()
                before = proxy.round_trips
                for _ in range(polls):
                    await call()
                return (proxy.round_trips - before) / polls

            select_one = await count(partial(db.fetch, scope.tenant_id, "SELECT 1"))
            data = PlantData(db, scope)
            counted = {name: await count(call) for name, call in panel_calls(data, now).items()}
        finally:
            await db.close()
    return RoundTrips(select_one=select_one, panels=counted, polls=polls)


async def _reading_database(target: Target, reader_role: str | None) -> Database:
    return await open_database(target, reader_role=reader_role, min_size=1, max_size=1)


async def panels(
    db: Database, scope: Scope, now: datetime, iterations: int
) -> dict[str, PanelResult]:
    data = PlantData(db, scope)
    results: dict[str, PanelResult] = {}
    async with db.pool.acquire() as conn:
        leading = await plans.leading_columns(conn)
    for name, call in panel_calls(data, now).items():
        for _ in range(3):  # warm: prepared statements, caches
            await call()
        samples = [await _timed(call) for _ in range(iterations)]
        recorder = RecordingDatabase(db.pool, db.reader_role)
        await panel_calls(PlantData(recorder, scope), now)[name]()
        nodes: list[dict[str, Any]] = []
        for sql, args in recorder.log:
            nodes += await plans.explain(db, scope.tenant_id, sql, args)
        stats = summarize(samples)
        results[name] = PanelResult(
            p50=stats.p50,
            p95=stats.p95,
            p99=stats.p99,
            seq_scans=plans.seq_scans_on_big_tables(nodes),
            whole_index_scans=plans.whole_index_scans(nodes, leading),
            node_types=plans.node_types(nodes),
        )
    return results


async def full_refresh(db: Database, scope: Scope, now: datetime, iterations: int) -> Percentiles:
    """The main screen's panels at once, as `r` (refresh now) asks for them there."""
    data = PlantData(db, scope)
    calls = list(panel_calls(data, now, views=False).values())

    async def everything() -> None:
        await asyncio.gather(*(call() for call in calls))

    await everything()
    samples = [await _timed(everything) for _ in range(iterations)]
    return summarize(samples, with_p99=False)


# monitors per load process: the 100 monitors run in several processes, so what is measured
# is the database under their load, not one Python event loop queueing 100 monitors' decoding
MONITORS_PER_PROCESS = 25


class LoadArgs(BaseModel):
    """One load process's share of the concurrent monitors (`python -m floorwatch.bench.load`)."""

    dsn: str
    scopes: list[Scope]
    now: datetime
    monitors: int
    first: int  # the index of its first monitor (scopes are dealt out by index)
    seconds: float
    reader_role: str | None
    start_at: float  # wall clock (time.time()) when every process's monitors start measuring


# each process warms its monitors up first (a monitor's first polls prepare its statements and
# read what its PlantData keeps: the closed shifts of the trends, the usual setups, the SPC
# series), so what is measured is monitors that have been running, not 100 starting at once
WARM_UP_S = 30.0


async def concurrent_monitors(
    target: Target,
    scopes: list[Scope],
    now: datetime,
    *,
    monitors: int,
    seconds: float,
    reader_role: str | None,
) -> tuple[dict[str, Percentiles], dict[str, int]]:
    """N monitors on their main screens, each with its own connection, polling each panel at
    its default interval (first polls spread over the interval), for `seconds`, in processes
    of MONITORS_PER_PROCESS monitors each, after each monitor has polled every panel once
    (WARM_UP_S); panel latency under that load (the views poll only while their screen is
    open: not here). Also the polls that failed (a statement timeout under the load), by
    panel: they are not samples."""
    start_at = time.time() + min(WARM_UP_S, 2 + 0.3 * monitors)  # (the smoke test runs 2)
    shares = [
        (first, min(MONITORS_PER_PROCESS, monitors - first))
        for first in range(0, monitors, MONITORS_PER_PROCESS)
    ]
    procs = []
    for first, count in shares:
        args = LoadArgs(
            dsn=target.dsn or "",
            scopes=scopes,
            now=now,
            monitors=count,
            first=first,
            seconds=seconds,
            reader_role=reader_role,
            start_at=start_at,
        )
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "floorwatch.bench.load",
                args.model_dump_json(),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
        )
    samples: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    for proc in procs:
        out, err = await proc.communicate()
        if proc.returncode != 0:
            tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"load process failed: {tail[0]}")
        answer = json.loads(out.decode().strip().splitlines()[-1])
        for name, values in answer["samples"].items():
            samples.setdefault(name, []).extend(values)
        for name, count in answer["failed"].items():
            failed[name] = failed.get(name, 0) + count
    stats = {name: summarize(values) for name, values in sorted(samples.items()) if values}
    return stats, failed


async def monitor_samples(args: LoadArgs) -> tuple[dict[str, list[float]], dict[str, int]]:
    """One load process: its monitors' panel times in ms, by panel (default intervals), and
    how many polls failed."""
    intervals = Intervals()
    target = Target(args.dsn, "flag")
    samples: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    rng = random.Random(7 + args.first)
    deadline = 0.0  # set when measuring starts

    async def panel_loop(data: PlantData, name: str, call: Any, every: float) -> None:
        pause = rng.uniform(0, every)
        while time.monotonic() + pause < deadline:  # never sleep past the end
            await asyncio.sleep(pause)
            try:
                samples.setdefault(name, []).append(await _timed(call))
            except (*CONNECTION_ERRORS, UserError):
                failed[name] = failed.get(name, 0) + 1
            pause = every

    async def monitor(index: int) -> None:
        db = await open_database(target, reader_role=args.reader_role, min_size=1, max_size=1)
        try:
            scope = args.scopes[index % len(args.scopes)]
            data = PlantData(db, scope)
            calls = panel_calls(data, args.now, views=False)
            for call in calls.values():
                with suppress(*CONNECTION_ERRORS, UserError):
                    await call()  # warm-up, not measured
            await started.wait()
            await asyncio.gather(
                *(
                    panel_loop(data, name, call, intervals.seconds(interval_key_of(name)))
                    for name, call in calls.items()
                )
            )
        finally:
            await db.close()

    started = asyncio.Event()

    async def start() -> None:
        nonlocal deadline
        await asyncio.sleep(max(0.0, args.start_at - time.time()))
        deadline = time.monotonic() + args.seconds
        started.set()

    await asyncio.gather(start(), *(monitor(args.first + i) for i in range(args.monitors)))
    return samples, failed
