"""When a poll fetches. FetchStrategy is the seam; TimerStrategy, the only one today, fetches
every `period` seconds (its interval, stretched while push refresh is on), after a failure once
its backoff has passed, and while its screen is hidden or polling is paused it waits until it
is woken.

Push refresh does not replace it: the app calls `poll_now` on the polls that read the tables a
change notice names (app.py, `PlantChanged`), and the timer catches what only the clock
changes. The app picks the strategy (`FloorwatchApp.fetch_strategy`); panels and polls do not
know which one runs."""

from __future__ import annotations

from abc import ABC, abstractmethod
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


class TimerStrategy(FetchStrategy):
    def __init__(self) -> None:
        self.poll: Poll[Any] | None = None
        self.waiting = False  # came due while it could not fetch: wake() fetches
        self._forced = False
        self._timer: Timer | None = None

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

    def _schedule(self, delay: float) -> None:
        self.stop()
        poll = self.poll
        if poll is None or not poll.owner.is_attached or not poll.owner.app.is_running:
            return  # its panel is gone, or the app is closing (an app poll's owner stays attached)
        # Textual timers divide by their delay: "now" is a hundredth of a second
        self._timer = poll.owner.set_timer(max(delay, 0.01), self._due, name=f"poll-{poll.name}")

    def _due(self) -> None:
        self._timer = None
        forced, self._forced = self._forced, False
        assert self.poll is not None
        self.waiting = not self.poll.try_fetch(ignore_pause=forced)
