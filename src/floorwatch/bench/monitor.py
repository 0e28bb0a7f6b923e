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

from pydantic import BaseModel

from floorwatch.app import FloorwatchApp
from floorwatch.bench.stats import summarize
from floorwatch.config import STILL, Config
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.source import PlantSource
from floorwatch.domain.models import Scope
from floorwatch.showcase import settle

SIZE = (160, 48)


class MonitorArgs(BaseModel):
    dsn: str
    scope: Scope
    now: datetime
    reader_role: str | None = "floorwatch_reader"
    work_centers: int = 200
    iterations: int = 20
    cpu_seconds: float = 30.0


class MonitorResult(BaseModel):
    render_ms: dict[str, float]
    render_samples: int
    render_parts_p50_ms: dict[str, float]  # apply per poll (summed when a panel has two), paint
    work_centers: int
    monitor_cpu_pct: float
    cpu_seconds: float
    polls_during_cpu: int
    rss_mb: float


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


def _app(args: MonitorArgs, config: Config, plant: type[PlantData]) -> FloorwatchApp:
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


async def measure_cpu(args: MonitorArgs) -> tuple[float, int]:
    app = _app(args, Config(), widening_plant(args.work_centers))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot.pause, within=5)  # a slower poll is not waited for
        calls = sum(p.calls for p in app.polls)
        cpu0, wall0 = time.process_time(), time.monotonic()
        await pilot.pause(args.cpu_seconds)
        cpu = time.process_time() - cpu0
        wall = time.monotonic() - wall0
        calls = sum(p.calls for p in app.polls) - calls
    return 100 * cpu / wall, calls


async def measure(args: MonitorArgs) -> MonitorResult:
    samples, shown, applies = await measure_render(args)
    cpu_pct, calls = await measure_cpu(args) if args.cpu_seconds > 0 else (0.0, 0)
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
