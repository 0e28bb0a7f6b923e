"""The plant simulator: a believable print plant written through the floorwatch schema.

- `simulate(dsn, SimOptions, on_progress)`: backfill history with COPY, then optionally live.
- `seed_demo(dsn, on_progress)`: the embedded demo's first-use seeding (a coroutine function).
- `live_demo(dsn, scope, speed)`: (clock, background) that keep the demo live in a monitor.

The names are imported on first use, so the command line can read `floorwatch.sim.options`
(the bounds of `simulate`'s flags) without loading the simulator and asyncpg.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from floorwatch.sim.backfill import simulate
    from floorwatch.sim.demo import live_demo, seed_demo
    from floorwatch.sim.live import LiveEngine, SimClock
    from floorwatch.sim.options import SimOptions, SimReport

_WHERE = {
    "LiveEngine": "live",
    "SimClock": "live",
    "SimOptions": "options",
    "SimReport": "options",
    "live_demo": "demo",
    "seed_demo": "demo",
    "simulate": "backfill",
}

__all__ = [
    "LiveEngine",
    "SimClock",
    "SimOptions",
    "SimReport",
    "live_demo",
    "seed_demo",
    "simulate",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
