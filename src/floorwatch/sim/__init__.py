"""The plant simulator: a believable print plant written through the floorwatch schema.

- `simulate(dsn, SimOptions, on_progress)`: backfill history with COPY, then optionally live.
- `seed_demo(dsn, on_progress)`: the embedded demo's first-use seeding (a coroutine function).
- `live_demo(dsn, scope, speed)`: (clock, background) that keep the demo live in a monitor.
"""

from floorwatch.sim.backfill import simulate
from floorwatch.sim.demo import live_demo, seed_demo
from floorwatch.sim.live import LiveEngine, SimClock
from floorwatch.sim.options import SimOptions, SimReport

__all__ = [
    "LiveEngine",
    "SimClock",
    "SimOptions",
    "SimReport",
    "live_demo",
    "seed_demo",
    "simulate",
]
