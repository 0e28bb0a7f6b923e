"""When a poll fetches. FetchStrategy is the seam; TimerStrategy, the only one today, fetches
every `period` seconds (its interval, stretched while push refresh is on), after a failure once
its backoff has passed, and while its screen is hidden or polling is paused it waits until it
is woken.

Push refresh does not replace it: the app calls `poll_now` on the polls that read the tables a
change notice names (app.py, `PlantChanged`), and the timer catches what only the clock
changes. What the clock will change at a moment known in advance (a pending alert starts
firing: AlertLog.next_change) the app tells the poll with `due_at`, and the timer fetches then
when that comes before its next timed fetch. The app picks the strategy
(`FloorwatchApp.fetch_strategy`); panels and polls do not know which one runs."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

if TYPE_CHECKING:
    from floorwatch.ui.poller import Poll


class FetchStrategy(ABC):
    @abstractmethod
    def start(self, poll: Poll[Any]) -> None:
        """Begin: the first fetch comes at once."""

    @abstractmethod
    def stop(self) -> None: ...

    @abstractmethod
    def poll_now(self, *, force: bool = False) -> None:
        """Fetch at once; `force`: also while paused (an explicit refresh)."""

    @abstractmethod
    def wake(self) -> None:
        """The poll may fetch again (its screen is shown again, or pause ended)."""

    @abstractmethod
    def finished(self, retry_in: float | None) -> None:
        """A fetch ended: None when it succeeded, else fetch again in `retry_in` seconds (a
        backoff after a failure; 0 when the answer was for a facility no longer shown)."""

    def due_at(self, moment: datetime) -> None:  # noqa: B027 (a strategy may not keep time)
        """What the poll shows changes by the clock alone at `moment` (the monitor's clock):
        fetch just after it. A strategy without a timer may ignore it."""


# after the moment a fetch is due for: the timer is wall time, the moment the monitor's clock
CLOCK_GRACE_S = 0.2


class TimerStrategy(FetchStrategy):
    def __init__(self) -> None:
        self.poll: Poll[Any] | None = None
        self.waiting = False  # came due while it could not fetch: wake() fetches
        self._forced = False
        self._timer: Timer | None = None
        self._timer_at = 0.0  # when the timer fires (time.monotonic)
        self._timer_for: datetime | None = None  # the moment the timer was brought forward to
        # the last moment whose timer came due: once is enough (a frozen clock, as the
        # showcase's and the bench's, never reaches it and would otherwise loop)
        self._fetched_for: datetime | None = None

    def start(self, poll: Poll[Any]) -> None:
        self.poll = poll
        self._schedule(0)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def poll_now(self, *, force: bool = False) -> None:
        self._forced = force
        self._schedule(0)

    def wake(self) -> None:
        if self.waiting:
            self._schedule(0)

    def finished(self, retry_in: float | None) -> None:
        assert self.poll is not None
        self._schedule(self.poll.period if retry_in is None else retry_in)

    def due_at(self, moment: datetime) -> None:
        """Brings the next timed fetch forward to just after `moment`, if it comes sooner. Not
        while no timer runs: a fetch is on its way (its answer says what is due next), or it
        is waiting for its screen or the end of pause (wake fetches). A moment not after the
        monitor's now is ignored, and so is one whose timer already came due (a frozen clock
        never reaches it); one whose timer a fetch asked for in between replaced (a notice's)
        is brought forward again."""
        poll = self.poll
        if poll is None or self._timer is None or moment == self._fetched_for:
            return
        seconds = (moment - poll.monitor.now()).total_seconds()
        if seconds <= 0:
            return
        delay = seconds + CLOCK_GRACE_S
        if delay < self._timer_at - time.monotonic():
            self._schedule(delay, moment)

    def _schedule(self, delay: float, moment: datetime | None = None) -> None:
        self.stop()
        self._timer_for = moment
        poll = self.poll
        if poll is None or not poll.owner.is_attached or not poll.owner.app.is_running:
            return  # its panel is gone, or the app is closing (an app poll's owner stays attached)
        # Textual timers divide by their delay: "now" is a hundredth of a second
        delay = max(delay, 0.01)
        self._timer_at = time.monotonic() + delay
        self._timer = poll.owner.set_timer(delay, self._due, name=f"poll-{poll.name}")

    def _due(self) -> None:
        self._timer = None
        if self._timer_for is not None:
            self._fetched_for, self._timer_for = self._timer_for, None
        forced, self._forced = self._forced, False
        assert self.poll is not None
        self.waiting = not self.poll.try_fetch(ignore_pause=forced)
