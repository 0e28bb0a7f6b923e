"""The showcase plant for pictures and tests: a fixed demo dataset (simulator seed and end time
fixed), a frozen clock, no animation, and the waits that make a headless run deterministic.
`floorwatch screenshot` (screenshots.py), the snapshot and UI tests and the benchmark's monitor
side all build their app and wait with these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg
from textual.worker import WorkerCancelled

from floorwatch.app import FloorwatchApp
from floorwatch.config import STILL, Config
from floorwatch.db import migrate
from floorwatch.db.changes import ChangeFeed
from floorwatch.db.dsn import Target
from floorwatch.db.queries import read_directory
from floorwatch.db.source import PlantSource
from floorwatch.domain.models import Scope
from floorwatch.ui.panel import Panel

if TYPE_CHECKING:
    from floorwatch.sim import SimOptions

Pause = Callable[[float], Awaitable[None]]

# The simulated "now" of the showcase plant (a Monday morning shift, plant-local).
SHOWCASE_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SHOWCASE_SEED = 7


def showcase_options() -> SimOptions:
    """The simulator's options for the showcase plant."""
    from floorwatch.sim import SimOptions

    return SimOptions(
        seed=SHOWCASE_SEED,
        backfill_days=7,
        duration=0,
        tenants=1,
        facilities=1,
        work_centers=12,
        until=SHOWCASE_NOW,
    )


async def load_showcase(dsn: str) -> Scope:
    """Migrate `dsn` (an empty database) and fill it with the showcase plant."""
    from floorwatch.sim import simulate

    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn)
    finally:
        await conn.close()
    await simulate(dsn, showcase_options())
    return (await showcase_scopes(dsn))[0]


async def showcase_scopes(dsn: str) -> list[Scope]:
    conn = await asyncpg.connect(dsn)
    try:
        return await read_directory(conn)
    finally:
        await conn.close()


class FrozenWall:
    """A wall clock that moves only when told (ages on screen stay deterministic)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def showcase_app(
    dsn: str,
    scope: Scope,
    *,
    config: Config | None = None,
    wall: FrozenWall | None = None,
    state_dir: Path | None = None,
    scopes: list[Scope] | None = None,
    changes: ChangeFeed | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FloorwatchApp:
    """The monitor over the showcase data with a frozen clock (unless given another `clock`)
    and no animation (and no push refresh unless given `changes`)."""
    config = config or Config(intervals=STILL)
    source = PlantSource(Target(dsn, "flag"), scope, rules=config.alerts, losses=config.losses)
    return FloorwatchApp(
        source,
        config,
        scopes or [scope],
        where="showcase",
        demo=True,
        clock=clock or (lambda: SHOWCASE_NOW),
        wall=wall or FrozenWall(),
        state_dir=state_dir,
        changes=changes,
    )


async def settle(app: FloorwatchApp, pause: Pause, *, within: float = 30.0) -> None:
    """Wait until every poll of the visible screen has answered once (or failed), up to
    `within` seconds (30 by default, for a loaded CI machine); then show the panels' ages."""
    for _ in range(int(within / 0.02)):
        await pause(0.02)
        visible = [p for p in app.polls if p.owner.is_attached and app.may_poll(p.owner)]
        pending = [p for p in visible if p.calls == 0 or p.in_flight]
        if visible and not pending:
            break
    # a worker cancelled meanwhile (its screen closed: a kiosk step) has finished too; the
    # change-notice listener runs until the app closes
    finite = [w for w in app.workers if w.group != "changes"]
    if finite:  # (an empty list would mean all of them)
        with suppress(WorkerCancelled):
            await app.workers.wait_for_complete(finite)
    for panel in app.screen.query(Panel):
        panel.refresh_age(app.wall(), app.paused)
    app.refresh_chrome()
    await pause(0.1)


async def until(condition: Callable[[], object], pause: Pause, *, within: float) -> None:
    """Wait until `condition()` is true, checking every 50 ms; fail after `within` seconds."""
    for _ in range(int(within / 0.05)):
        if condition():
            return
        await pause(0.05)
    raise AssertionError(f"condition not reached within {within:g} s")


async def until_screen(app: FloorwatchApp, kind: type, pause: Pause) -> None:
    for _ in range(200):
        if isinstance(app.screen, kind):
            return
        await pause(0.02)


async def until_all_failed(app: FloorwatchApp, pause: Pause) -> None:
    """Wait until every poll has failed once, holding each at its first failure (its retry
    timer stopped) so the picture shows attempt 1 however slow the machine is."""
    for _ in range(600):
        polls = [p for p in app.polls if p.owner.is_attached]
        for poll in polls:
            if poll.failed and not poll.in_flight:
                poll.stop()
        if polls and all(p.failed and not p.in_flight for p in polls):
            return
        await pause(0.02)
