"""Monitor side of the benchmark, headless: the real FloorwatchApp in `App.run_test`.

Runs in its own process (`python -m floorwatch.bench.monitor ARGS-JSON`, printing a JSON
result), so its CPU time and peak RSS are the monitor's alone, not the loader's or the
benchmark's. With soak.py, the only benchmark modules that import Textual.

- render: the main screen's six polls' data (fetched once from the database and widened to
  `work_centers` work centers by cloning rows under new ids) handed to the panels' apply
  callbacks, until the screen has processed the resulting events and repainted
  (`Pilot.pause()`), in CPU time of this process (the pilot's waits are sleeps); two data
  sets (now and five minutes earlier) alternate so every apply changes something.
- CPU: the monitor at the default intervals against the database (each poll queries, then
  the work-center rows are widened the same way), process CPU time over wall time.
- CPU with push: the same with push refresh on (db/changes.py; intervals stretched), nothing
  writing.
- push: commit to screen. A writer in this process turns one working work center's open
  PRODUCTIVE state into a breakdown a minute before `now` and commits; the time from its
  commit returning to the new alert being in the app's alert log (polled every 5 ms) is one
  sample. Then the
  change is undone (the kept load stays as it was). Meanwhile another task touches one run
  every 0.5 s (a no-op UPDATE: the notices of a live plant, fetches in flight), so notices
  also arrive while the alerts poll runs.
- RSS: peak resident set size of this process (ru_maxrss).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from pydantic import BaseModel

from floorwatch.app import FloorwatchApp
from floorwatch.bench.stats import summarize
from floorwatch.config import STILL, Config
from floorwatch.db.changes import ChangeFeed
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.source import PlantSource
from floorwatch.domain.models import AlertKind, Scope
from floorwatch.showcase import settle, until

SIZE = (160, 48)


class MonitorArgs(BaseModel):
    dsn: str
    scope: Scope
    now: datetime
    reader_role: str | None = "floorwatch_reader"
    work_centers: int = 200
    iterations: int = 20
    cpu_seconds: float = 30.0
    push_trials: int = 20


class MonitorResult(BaseModel):
    render_ms: dict[str, float]
    render_samples: int
    render_parts_p50_ms: dict[str, float]  # apply per poll (summed when a panel has two), paint
    work_centers: int
    monitor_cpu_pct: float
    cpu_seconds: float
    polls_during_cpu: int
    rss_mb: float
    monitor_cpu_push_pct: float | None = None  # push on, nothing writing
    push_ms: dict[str, float] | None = None  # commit to alert in the app: p50, p95
    push_samples: int = 0
    push_state: str = ""  # push, or why not


def widen(items: list[Any], count: int) -> list[Any]:
    """Rows of one work center each, repeated under new ids and codes up to `count` centers."""
    ids = list(dict.fromkeys(getattr(i, "work_center_id", None) for i in items))
    ids = [i for i in ids if i is not None]
    if not ids or len(ids) >= count:
        return items
    out = list(items)
    copy = 1
    while len(ids) * copy < count:
        wanted = set(ids[: count - len(ids) * copy])
        for item in items:
            wc = getattr(item, "work_center_id", None)
            if wc not in wanted:
                continue
            update: dict[str, Any] = {"work_center_id": uuid.uuid5(wc, f"bench-{copy}")}
            code = getattr(item, "work_center_code", None)
            if code is not None:
                update["work_center_code"] = f"{code}~{copy}"
            out.append(item.model_copy(update=update))
        copy += 1
    return out


def widening_plant(count: int) -> type[PlantData]:
    class WideningPlant(PlantData):
        """Real queries; work-center rows widened to `count` centers."""

        async def work_centers(self, now: datetime) -> Any:
            return widen(await super().work_centers(now), count)

        async def utilization(self, now: datetime) -> Any:
            return widen(await super().utilization(now), count)

        async def trends(self, first: Any, last: Any, **kw: Any) -> Any:
            return widen(await super().trends(first, last, **kw), count)

        async def trend_lines(self, now: datetime, **kw: Any) -> Any:
            return widen(await super().trend_lines(now, **kw), count)

    return WideningPlant


def _app(
    args: MonitorArgs,
    config: Config,
    plant: type[PlantData],
    changes: ChangeFeed | None = None,
) -> FloorwatchApp:
    source = PlantSource(
        Target(args.dsn, "flag"), args.scope, reader_role=args.reader_role, plant_class=plant
    )
    return FloorwatchApp(
        source,
        config,
        [args.scope],
        where="bench",
        clock=lambda: args.now,
        state_dir=None,
        changes=changes,
    )


async def measure_render(
    args: MonitorArgs,
) -> tuple[list[float], int, dict[str, list[float]]]:
    plant_class = widening_plant(args.work_centers)
    app = _app(args, Config(intervals=STILL), plant_class)
    samples: list[float] = []
    applies: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot.pause, within=5)  # a slower poll is not waited for
        data = await app.source.data()
        polls = [p for p in app.polls if p.owner.is_attached and app.may_poll(p.owner)]
        # data arrives: the results of each visible poll at two moments
        sets = []
        for moment in (args.now, args.now - timedelta(minutes=5)):
            sets.append([(p, await p.fetch(data, moment)) for p in polls])
        shown = len({getattr(u, "work_center_id", None) for u in await data.utilization(args.now)})
        # CPU time of this process (the monitor), not wall time: the pilot's own waits for the
        # screen to settle are sleeps, and would count as render time on a wall clock
        for i in range(args.iterations + 3):
            await pilot.pause()
            started = time.process_time()
            parts: dict[str, float] = {}
            for poll, result in sets[i % 2]:
                began = time.process_time()
                poll.apply(result)
                parts[poll.name] = parts.get(poll.name, 0.0) + (time.process_time() - began) * 1000
            if i >= 3:
                for name, ms in parts.items():
                    applies.setdefault(name, []).append(ms)
            painted = time.process_time()
            await pilot.pause()
            if i >= 3:  # the first few warm caches
                samples.append((time.process_time() - started) * 1000)
                applies.setdefault("(events, layout, paint)", []).append(
                    (time.process_time() - painted) * 1000
                )
    return samples, shown, applies


def _feed(args: MonitorArgs) -> ChangeFeed:
    return ChangeFeed(Target(args.dsn, "flag"), retry_seconds=5)


async def measure_cpu(args: MonitorArgs, *, push: bool = False) -> tuple[float, int]:
    changes = _feed(args) if push else None
    app = _app(args, Config(), widening_plant(args.work_centers), changes)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot.pause, within=5)  # a slower poll is not waited for
        if push:
            await until(lambda: app.push.push, pilot.pause, within=15)
        calls = sum(p.calls for p in app.polls)
        cpu0, wall0 = time.process_time(), time.monotonic()
        await pilot.pause(args.cpu_seconds)
        cpu = time.process_time() - cpu0
        wall = time.monotonic() - wall0
        calls = sum(p.calls for p in app.polls) - calls
    return 100 * cpu / wall, calls


_WORKING = """
SELECT e.id, e.work_center_id FROM equipment_status_log e
WHERE e.tenant_id = $1 AND e.facility_id = $2 AND e.status_end IS NULL
  AND e.status = 'PRODUCTIVE' AND e.status_start < $3
  AND EXISTS (SELECT 1 FROM production_runs r WHERE r.tenant_id = $1 AND r.facility_id = $2
              AND r.work_center_id = e.work_center_id AND r.status = 'IN_PROGRESS')
ORDER BY e.work_center_id LIMIT 1
"""
_BREAK = """
INSERT INTO equipment_status_log (id, tenant_id, facility_id, work_center_id, status,
    previous_status, status_start)
VALUES ($1, $2, $3, $4, 'NON_PRODUCTIVE_BREAKDOWN', 'PRODUCTIVE', $5)
"""


async def _touch_runs(conn: asyncpg.Connection, scope: Scope) -> None:
    run = await conn.fetchval(
        "SELECT id FROM production_runs WHERE tenant_id = $1 AND facility_id = $2 LIMIT 1",
        scope.tenant_id,
        scope.facility_id,
    )
    while run is not None:
        await conn.execute("UPDATE production_runs SET updated_at = updated_at WHERE id = $1", run)
        await asyncio.sleep(0.5)


async def measure_push(args: MonitorArgs) -> tuple[list[float], str]:
    """Commit to alert on screen, in ms (see the module's docstring); and the push state."""
    app = _app(args, Config(), widening_plant(args.work_centers), _feed(args))
    scope = args.scope
    writer = await asyncpg.connect(args.dsn)
    toucher = await asyncpg.connect(args.dsn)
    samples: list[float] = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot.pause, within=5)
            try:
                await until(lambda: app.push.push, pilot.pause, within=15)
            except AssertionError:
                return [], app.push.reason or "no push"
            down_at = args.now - timedelta(minutes=1)
            working = await writer.fetchrow(_WORKING, scope.tenant_id, scope.facility_id, down_at)
            if working is None:
                return [], "no working work center to break down"
            touching = asyncio.create_task(_touch_runs(toucher, scope))
            try:
                for _ in range(args.push_trials):
                    samples.append(await _one_breakdown(app, writer, args, working, down_at))
                    await asyncio.sleep(0.3)
            finally:
                touching.cancel()
                await asyncio.gather(touching, return_exceptions=True)
            return samples, "push"
    finally:
        await writer.close()
        await toucher.close()


async def _one_breakdown(
    app: FloorwatchApp,
    writer: asyncpg.Connection,
    args: MonitorArgs,
    working: Any,
    down_at: datetime,
) -> float:
    scope, log_id = args.scope, uuid.uuid4()
    wc = working["work_center_id"]

    def shown() -> bool:
        return any(
            a.kind == AlertKind.EQUIPMENT_DOWN and a.work_center_id == wc and a.resolved_at is None
            for a in app.alerts.alerts
        )

    async with writer.transaction():
        await writer.execute(
            "UPDATE equipment_status_log SET status_end = $2 WHERE id = $1",
            working["id"],
            down_at,
        )
        await writer.execute(_BREAK, log_id, scope.tenant_id, scope.facility_id, wc, down_at)
    committed = time.monotonic()
    try:
        while not shown():
            if time.monotonic() - committed > 30:
                raise RuntimeError("the breakdown did not reach the alert log in 30 s")
            await asyncio.sleep(0.005)
        return (time.monotonic() - committed) * 1000
    finally:
        async with writer.transaction():  # undone: the kept load stays as it was
            await writer.execute("DELETE FROM equipment_status_log WHERE id = $1", log_id)
            await writer.execute(
                "UPDATE equipment_status_log SET status_end = NULL WHERE id = $1", working["id"]
            )
        for _ in range(1500):  # gone from the log before the next trial, 30 s at most
            if not shown():
                break
            await asyncio.sleep(0.02)


async def measure(args: MonitorArgs) -> MonitorResult:
    samples, shown, applies = await measure_render(args)
    cpu_pct, calls = await measure_cpu(args) if args.cpu_seconds > 0 else (0.0, 0)
    push_cpu = (await measure_cpu(args, push=True))[0] if args.cpu_seconds > 0 else None
    pushed, push_state = await measure_push(args) if args.push_trials else ([], "not measured")
    push_stats = summarize(pushed, with_p99=False) if pushed else None
    stats = summarize(samples, with_p99=False)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return MonitorResult(
        render_ms={"p50": stats.p50, "p95": stats.p95},
        render_samples=len(samples),
        render_parts_p50_ms={k: summarize(v, with_p99=False).p50 for k, v in applies.items()},
        work_centers=shown,
        monitor_cpu_pct=round(cpu_pct, 2),
        cpu_seconds=args.cpu_seconds,
        polls_during_cpu=calls,
        rss_mb=round(rss_kb / 1024, 1),
        monitor_cpu_push_pct=None if push_cpu is None else round(push_cpu, 2),
        push_ms=None if push_stats is None else {"p50": push_stats.p50, "p95": push_stats.p95},
        push_samples=len(pushed),
        push_state=push_state,
    )


def main(argv: list[str]) -> int:
    import logging

    logging.disable(logging.WARNING)
    args = MonitorArgs.model_validate_json(argv[0])
    result = asyncio.run(measure(args))
    sys.stdout.write(json.dumps(result.model_dump(mode="json")) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
