"""Poll: one panel's polling loop.

Each poll runs in an exclusive worker; the next one is scheduled only when it has finished, so a
slow query never piles up polls and a stall is not followed by a burst. A poll that comes due
while its screen is hidden or polling is paused waits until it is woken."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from textual.timer import Timer
from textual.widget import Widget

from floorwatch.db.dsn import scrub
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import CONNECTION_ERRORS
from floorwatch.errors import UserError
from floorwatch.text import clean
from floorwatch.ui.format import duration
from floorwatch.ui.host import MonitorHost, host
from floorwatch.ui.messages import PollFailed, PollSucceeded

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BACKOFF_S = 30.0


def backoff(failures: int) -> float:
    """1, 2, 4 … 30 s after successive failures, never sooner than a second."""
    return min(MAX_BACKOFF_S, 2.0 ** max(0, failures - 1))


def _reason(exc: BaseException, dsn: str | None) -> str:
    """One line for the banner; server messages can quote hostile names (a database called
    `fw[/]x`, a role with an escape in it), so the line is cleaned here."""
    return clean(_describe(exc, dsn))


def _describe(exc: BaseException, dsn: str | None) -> str:
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return "query timed out"
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"server not reachable ({exc.strerror or type(exc).__name__})"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return scrub(text, dsn)


class Poll(Generic[T]):
    def __init__(
        self,
        owner: Widget,
        name: str,
        interval: float,
        fetch: Callable[[PlantData, datetime], Awaitable[T]],
        apply: Callable[[T], None],
    ) -> None:
        self.owner = owner
        self.name = name
        self.interval = interval
        self.fetch = fetch
        self.apply = apply
        self.fetched_at: float | None = None
        self.failed: str | None = None
        self.failures = 0
        self.calls = 0
        self.waiting = False
        self.in_flight = False
        self._forced = False
        self._timer: Timer | None = None

    @property
    def monitor(self) -> MonitorHost:
        return host(self.owner)

    def start(self) -> None:
        self.monitor.register_poll(self)
        self._schedule(0)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def poll_now(self, *, force: bool = False) -> None:
        """Poll at once unless a poll is already on its way; `force` polls even while paused
        (an explicit refresh)."""
        if not self.in_flight:
            self._forced = force
            self._schedule(0)

    def wake(self) -> None:
        if self.waiting:
            self._schedule(0)

    def reset(self) -> None:
        """Forget the data's age (the facility changed)."""
        self.fetched_at = None
        self.failed = None

    def _schedule(self, delay: float) -> None:
        self.stop()
        if not self.owner.is_attached:
            return
        # Textual timers divide by their delay: "now" is a hundredth of a second
        self._timer = self.owner.set_timer(max(delay, 0.01), self._due, name=f"poll-{self.name}")

    def _due(self) -> None:
        self._timer = None
        forced, self._forced = self._forced, False
        if not self.monitor.may_poll(self.owner, ignore_pause=forced):
            self.waiting = True
            return
        self.waiting = False
        self.in_flight = True
        self.owner.run_worker(
            self._run(),
            group=f"poll-{self.name}",
            exclusive=True,
            exit_on_error=False,
            description=f"poll {self.name}",
        )

    async def _run(self) -> None:
        monitor = self.monitor
        generation = monitor.scope_generation
        delay = self.interval
        self.calls += 1
        try:
            try:
                data = await monitor.source.data()
                result = await asyncio.wait_for(
                    self.fetch(data, monitor.now()), monitor.poll_timeout
                )
            except (UserError, *CONNECTION_ERRORS) as exc:
                delay = self._failed(_reason(exc, monitor.source.target.dsn), connection=True)
                return
            if generation != monitor.scope_generation:
                delay = 0  # the facility changed while this poll ran: its answer is for another
                return
            self.fetched_at = monitor.wall()
            self.failures = 0
            self.failed = None
            self.apply(result)
            self.owner.post_message(PollSucceeded(self.name))
        except asyncio.CancelledError:
            raise
        except Exception:  # a bad row or a bug must not take a wall monitor down
            log.exception("%s poll failed", self.name)
            delay = self._failed("error (see log)", connection=False)
        finally:
            self.in_flight = False
            if not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                refresh_age = getattr(self.owner, "refresh_age", None)
                if refresh_age is not None:
                    refresh_age(monitor.wall(), monitor.paused)
                self._schedule(delay)

    def _failed(self, reason: str, *, connection: bool) -> float:
        self.failures += 1
        self.failed = reason
        if connection:
            log.warning("%s poll failed (%d): %s", self.name, self.failures, reason)
        self.owner.post_message(PollFailed(self.name, reason, connection_lost=connection))
        return backoff(self.failures)

    def age_text(self, wall: float, paused: bool, *, lost: bool = False) -> tuple[str, bool]:
        """('12s ago' | 'stale 2m' | 'loading' …, stale?) for the panel's border. `lost`: the
        connection is down, so whatever is shown is stale, also when this poll has not come
        due since (a 60 s trends poll during a 20 s outage)."""
        if self.fetched_at is None:
            if self.failed:
                return f"no data: {self.failed}", True
            return "loading", False
        age = wall - self.fetched_at
        # under a minute in steps of 5 s: the border is repainted when its text changes, and a
        # second-by-second count costs a repaint of every panel every second for nothing
        text = duration_text(age - age % 5 if age < 60 else age)
        if self.failed or lost or age > 2 * self.interval + 5:
            return f"stale {text}", True
        return ("paused " if paused else "") + f"{text} ago", False


def duration_text(seconds: float) -> str:
    return duration(timedelta(seconds=seconds))
