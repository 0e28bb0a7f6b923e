"""The embedded demo: seeding it on first use, and keeping it live while a monitor runs."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from floorwatch.db.pool import CONNECTION_ERRORS
from floorwatch.domain.models import Scope
from floorwatch.errors import UserError
from floorwatch.sim import writer
from floorwatch.sim.backfill import Progress, simulate
from floorwatch.sim.live import LiveEngine, SimClock
from floorwatch.sim.options import SimOptions, SimReport

log = logging.getLogger(__name__)

DEMO_DAYS = 3
DEMO_WORK_CENTERS = 12
CATCH_UP_DAYS = 3


def local_timezone() -> str:
    """The machine's IANA timezone name when it can be told, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = Path("/etc/localtime").resolve()
        candidates.append(str(target).split("zoneinfo/", 1)[-1])
    except OSError:
        pass
    for name in candidates:
        if name and "/" in name:
            try:
                ZoneInfo(name)
            except (ValueError, OSError):
                continue
            return name
    return "UTC"


def demo_options(until: datetime | None = None) -> SimOptions:
    return SimOptions(
        seed=1,
        backfill_days=DEMO_DAYS,
        work_centers=DEMO_WORK_CENTERS,
        until=until,
        tenant_code="DEMO",
        tenant_name="Demo Print Co.",
        facility_name="demo plant",
        timezone=local_timezone(),
    )


async def seed_demo(dsn: str, on_progress: Progress | None = None) -> SimReport:
    """Seed the embedded demo: one tenant (DEMO), one facility ("demo plant") with twelve work
    centers and three days of history ending now. A coroutine function: the bootstrap calls
    `seed(dsn)` and awaits the result."""
    return await simulate(dsn, demo_options(), on_progress=on_progress)


async def _cursor(dsn: str, scope: Scope) -> datetime | None:
    w = await writer.open_writer(dsn)
    try:
        async with w.writing(scope.tenant_id):
            value = await w.conn.fetchval(
                f"SELECT max(updated_at) FROM {w.source('work_centers')} WHERE facility_id = $1",
                scope.facility_id,
            )
    finally:
        await w.conn.close()
    return value  # type: ignore[no-any-return]


def _read_cursor(dsn: str, scope: Scope) -> datetime | None:
    """The simulated time the facility's data reaches, read without disturbing any running
    event loop (in a thread when one runs); None when the database cannot be read."""
    result: list[datetime | None] = [None]

    def work() -> None:
        try:
            result[0] = asyncio.run(asyncio.wait_for(_cursor(dsn, scope), 5))
        except (*CONNECTION_ERRORS, UserError) as exc:
            log.warning("live demo: cannot read the plant's last state: %s", exc)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        work()
    else:
        thread = threading.Thread(target=work, name="floorwatch-sim-cursor")
        thread.start()
        thread.join()
    return result[0]


def live_demo(
    dsn: str, scope: Scope, speed: float, *, tick_s: float = 1.0
) -> tuple[Callable[[], datetime], Callable[[], Awaitable[None]]]:
    """Keep the demo facility `scope` live while a monitor shows it. Returns (clock, background).

    clock() is the simulated "now" (an aware UTC datetime): it starts where the facility's data
    ends — or at the current wall time when the data ends earlier — and advances `speed`
    simulated seconds per real second. The monitor must use it as "now" for every query and
    for "since"/"ago" texts, because the data runs ahead of the wall clock when speed > 1.

    background is a coroutine function: the monitor starts it once as a long-lived task
    (`asyncio.create_task(background())`) and cancels that task when it exits. It first catches
    up the gap between the data and the clock (days the demo was not running: at most the last
    three days are simulated, the time before is one "plant idle" planned-downtime interval),
    then writes the facility's events every `tick_s` seconds as simulated time passes. It
    survives database outages (logs, backs off, reconnects and resumes from the last committed
    state), never raises, and returns by raising CancelledError when cancelled. When another
    process already writes this facility (a second monitor on the same demo), it only waits.
    """
    cursor = _read_cursor(dsn, scope)
    now = datetime.now(UTC)
    start = max(cursor, now) if cursor is not None else now
    clock = SimClock(start, speed)
    engine = LiveEngine(
        dsn,
        [(scope.tenant_id, scope.facility_id)],
        clock,
        tick_s=tick_s,
        max_gap_s=CATCH_UP_DAYS * 86_400,
    )
    return clock, engine.run_forever
