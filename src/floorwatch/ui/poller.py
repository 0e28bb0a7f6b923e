"""Poll: one panel's fetch-and-show loop.

Each fetch runs in an exclusive worker and its strategy (ui/fetch_strategy.py) is told when it
has finished, so a slow query never piles up fetches and a stall is not followed by a burst. A
fetch that comes due while its screen is hidden or polling is paused is not made."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from textual.dom import DOMNode

from floorwatch.db.plant import PlantData
from floorwatch.db.source import SourceUnavailable
from floorwatch.panels import reads_of
from floorwatch.ui.fetch_strategy import FetchStrategy
from floorwatch.ui.format import duration
from floorwatch.ui.host import MonitorHost, host
from floorwatch.ui.messages import PollFailed, PollSucceeded

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_BACKOFF_S = 30.0


def backoff(failures: int) -> float:
    """1, 2, 4 … 30 s after successive failures, never sooner than a second."""
    return min(MAX_BACKOFF_S, 2.0 ** max(0, failures - 1))


class Poll(Generic[T]):
    """`owner`: the panel whose screen it polls for, or the app itself for a poll that runs on
    every screen (the alerts)."""

    def __init__(
        self,
        owner: DOMNode,
        name: str,
        interval: float,
        fetch: Callable[[PlantData, datetime], Awaitable[T]],
        apply: Callable[[T], None],
        strategy: FetchStrategy,
    ) -> None:
        self.owner = owner
        self.name = name
        self.interval = interval
        self.fetch = fetch
        self.apply = apply
        self.strategy = strategy
        self.reads = reads_of(name)
        self.fetched_at: float | None = None
        self.failed: str | None = None
        self.failures = 0
        self.calls = 0
        self.in_flight = False
        self.again = False  # asked to poll while a poll was on its way: poll once more after it
        self.missed_change = False  # told of a change while it could not poll

    @property
    def monitor(self) -> MonitorHost:
        return host(self.owner)

    @property
    def period(self) -> float:
        """Seconds between its timed fetches now: the interval, stretched while push refresh
        is on (a change is then fetched when the database says it was made)."""
        return self.interval * self.monitor.interval_stretch

    def start(self) -> None:
        self.monitor.register_poll(self)
        self.strategy.start(self)

    def stop(self) -> None:
        self.strategy.stop()

    def poll_now(self, *, force: bool = False) -> None:
        """Poll at once; while a poll is on its way, once more as soon as it has answered (its
        snapshot may predate the change that asked for this one). `force` polls even while
        paused (an explicit refresh)."""
        if self.in_flight:
            self.again = True
        else:
            self.strategy.poll_now(force=force)

    def due_at(self, moment: datetime) -> None:
        """What it shows changes by the clock alone at `moment` (the monitor's clock, e.g. a
        pending alert starts firing): its strategy fetches just after it, if that comes before
        its next timed fetch."""
        self.strategy.due_at(moment)

    def wake(self) -> None:
        if self.missed_change:
            self.missed_change = False
            self.poll_now()
        else:
            self.strategy.wake()

    def changed(self) -> None:
        """What it shows changed in the database (push refresh): poll now, or, while its
        screen is hidden or polling is paused, as soon as it may (`wake`)."""
        if self.monitor.may_poll(self.owner):
            self.poll_now()
        else:
            self.missed_change = True

    def reads_any(self, tables: frozenset[str]) -> bool:
        """Whether a change to these tables may change what it shows."""
        return self.reads is None or not self.reads.isdisjoint(tables)

    def reset(self) -> None:
        """Forget the data's age (the facility changed)."""
        self.fetched_at = None
        self.failed = None

    def try_fetch(self, *, ignore_pause: bool = False) -> bool:
        """Start a fetch, unless the screen is hidden or polling is paused (False)."""
        if not self.monitor.may_poll(self.owner, ignore_pause=ignore_pause):
            return False
        self.in_flight = True
        self.owner.run_worker(
            self._run(),
            group=f"poll-{self.name}",
            exclusive=True,
            exit_on_error=False,
            description=f"poll {self.name}",
        )
        return True

    async def _run(self) -> None:
        monitor = self.monitor
        generation = monitor.scope_generation
        retry_in: float | None = None
        self.calls += 1
        try:
            try:
                result = await monitor.source.fetch(self.fetch, monitor.now(), monitor.poll_timeout)
            except SourceUnavailable as exc:
                retry_in = self._failed(exc.reason, connection=exc.connection_lost)
                return
            if generation != monitor.scope_generation:
                retry_in = 0  # the facility changed while this poll ran: the answer is stale
                return
            if not self.owner.is_attached:
                return  # its screen closed while this poll ran (a kiosk step): nothing to draw
            self.fetched_at = monitor.wall()
            self.failures = 0
            self.failed = None
            self.apply(result)
            self.owner.post_message(PollSucceeded())
        except asyncio.CancelledError:
            raise
        except Exception:  # a bad row or a bug must not take a wall monitor down
            log.exception("%s poll failed", self.name)
            self._drop_shown()
            retry_in = self._failed("error (see log)", connection=False)
        finally:
            self.in_flight = False
            if not asyncio.current_task().cancelling():  # type: ignore[union-attr]
                refresh_age = getattr(self.owner, "refresh_age", None)
                if refresh_age is not None:
                    refresh_age(monitor.wall(), monitor.paused)
                again, self.again = self.again, False
                if again and retry_in is None:
                    self.strategy.poll_now()
                else:
                    self.strategy.finished(retry_in)

    def _drop_shown(self) -> None:
        """After a failed apply the panel may hold data it cannot draw (and a half-filled
        table): drop it, so a later resize or restyle, which redraws from that data outside
        this guard, cannot raise into Textual and close the app."""
        clear_data = getattr(self.owner, "clear_data", None)
        if clear_data is None:
            return
        try:
            clear_data()
        except Exception:
            log.exception("%s: clearing after a failed poll failed", self.name)

    def _failed(self, reason: str, *, connection: bool) -> float:
        self.failures += 1
        self.failed = reason
        if connection:
            log.warning("%s poll failed (%d): %s", self.name, self.failures, reason)
        self.owner.post_message(PollFailed(reason, connection_lost=connection))
        return backoff(self.failures)

    def age_text(self, wall: float, paused: bool, *, lost: bool = False) -> tuple[str, bool]:
        """('12s ago' | 'stale 2m' | 'paused, 20s old' | 'loading' …, stale?) for a panel's
        border. Paused data is never called stale for its age alone. `lost`: the
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
        if self.failed or lost:
            return f"stale {text}", True
        if paused:  # not stale: nothing was asked for, so nothing is late
            return f"paused, {text} old", False
        if age > 2 * self.period + 5:
            return f"stale {text}", True
        return f"{text} ago", False


def duration_text(seconds: float) -> str:
    return duration(timedelta(seconds=seconds))
