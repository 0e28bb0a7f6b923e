"""Soak: the real monitor, headless, over the demo plant with the simulator live, for a while.

Runs in its own process (`python -m floorwatch.bench.soak ARGS-JSON`) so the RSS it samples is
the monitor's alone (the simulator runs inside it, as it does under `floorwatch demo`). Prints
one JSON line per sample on stdout ({"t": seconds, "rss_mb": …, "cpu_s": …, "polls": …,
"objects": gc-tracked objects}), then a last line {"done": true, …}. With `trace` it also keeps
tracemalloc snapshots and prints the allocations that grew most between the first sample after
warm-up and the last one, and the gc object counts by type that grew (to find what accumulates).

    python -m floorwatch.bench.soak '{"data_dir": "/tmp/fw-soak", "seconds": 900, "speed": 60}'

`data_dir`: an embedded server of its own (seeded with the demo plant on first use); or `dsn`: a
database to use instead (migrated, and seeded when it has no plant). tests/ui/test_soak.py
runs it for two minutes and asserts that RSS is flat after warm-up.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
from pydantic import BaseModel
from textual.widgets import DataTable

from floorwatch.app import FloorwatchApp
from floorwatch.config import Config
from floorwatch.db import migrate
from floorwatch.db.bootstrap import prepare_embedded, start_embedded
from floorwatch.db.dsn import Target
from floorwatch.db.embedded import lock
from floorwatch.db.pool import connect
from floorwatch.db.queries import read_directory
from floorwatch.db.source import PlantSource
from floorwatch.sim import live_demo, seed_demo

SIZE = (160, 48)


class SoakArgs(BaseModel):
    data_dir: Path | None = None  # the embedded server's, when no dsn is given
    dsn: str | None = None  # a database to migrate and seed with the demo plant if empty
    seconds: float = 120.0
    sample_s: float = 5.0
    speed: float = 600.0
    collect: bool = False  # a full gc before each sample: "objects" counts live ones only
    trace: bool = False
    trace_after_s: float = 60.0  # the reference snapshot: after warm-up
    top: int = 25


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def _types() -> Counter[str]:
    return Counter(type(o).__qualname__ for o in gc.get_objects())


async def soak(args: SoakArgs) -> None:
    server = None
    if args.dsn is None:
        assert args.data_dir is not None, "a data_dir or a dsn"
        server = start_embedded(args.data_dir)
    try:
        if server is not None:
            with lock(server.data_dir):
                target: Target = (await prepare_embedded(server, seed=seed_demo)).target
        else:
            target = Target(args.dsn, "flag")
            await _prepare(target)
        assert target.dsn is not None
        conn = await connect(target)
        try:
            scopes = await read_directory(conn)
        finally:
            await conn.close()
        scope = scopes[0]
        clock, background = live_demo(target.dsn, scope, speed=args.speed)
        config = Config(speed=args.speed)
        source = PlantSource(target, scope, reader_role=config.reader_role or None)
        app = FloorwatchApp(
            source,
            config,
            scopes,
            where="soak",
            demo=True,
            clock=clock,
            background=background,
            state_dir=None,
        )
        process = psutil.Process()
        reference: tracemalloc.Snapshot | None = None
        types0: Counter[str] | None = None
        if args.trace:
            tracemalloc.start(12)
        async with app.run_test(size=SIZE) as pilot:
            started = time.monotonic()
            cpu0 = time.process_time()
            while time.monotonic() - started < args.seconds:
                await pilot.pause(args.sample_s)
                elapsed = time.monotonic() - started
                if args.collect:
                    gc.collect()
                _emit(
                    {
                        "t": round(elapsed, 1),
                        "rss_mb": round(process.memory_info().rss / 2**20, 2),
                        "cpu_s": round(time.process_time() - cpu0, 2),
                        "polls": sum(p.calls for p in app.polls),
                        "objects": len(gc.get_objects()),  # gc-tracked: lists, tuples, …
                        "traced_mb": round(tracemalloc.get_traced_memory()[0] / 2**20, 2)
                        if args.trace
                        else None,
                    }
                )
                if args.trace and reference is None and elapsed >= args.trace_after_s:
                    gc.collect()
                    reference = tracemalloc.take_snapshot()
                    types0 = _types()
            if args.trace and reference is not None and types0 is not None:
                gc.collect()
                last = tracemalloc.take_snapshot()
                for stat in last.compare_to(reference, "traceback")[: args.top]:
                    _emit(
                        {
                            "grew_kb": round(stat.size_diff / 1024, 1),
                            "count_diff": stat.count_diff,
                            "where": [str(f) for f in stat.traceback.format()[-16:]],
                        }
                    )
                grown = _types()
                grown.subtract(types0)
                _emit({"types_grew": dict(grown.most_common(args.top))})
            tables = {
                str(t.id): {
                    name: len(getattr(t, name))
                    for name in (
                        "_cell_render_cache",
                        "_row_render_cache",
                        "_row_renderable_cache",
                        "_line_cache",
                    )
                }
                for t in app.screen.query(DataTable)
            }
            polls = sum(p.calls for p in app.polls)
        _emit({"done": True, "polls": polls, "table_caches": tables})
    finally:
        if server is not None:
            server.stop()


async def _prepare(target: Target) -> None:
    """Migrate the database and seed the demo plant into it unless it has a plant already."""
    conn = await connect(target)
    try:
        await migrate.migrate(conn)
        has_plant = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM facilities)")
    finally:
        await conn.close()
    if not has_plant:
        assert target.dsn is not None
        await seed_demo(target.dsn)


def main(argv: list[str]) -> int:
    import logging

    logging.disable(logging.WARNING)
    args = SoakArgs.model_validate_json(argv[0])
    asyncio.run(soak(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
