"""Panel: a bordered region of the main screen that owns one or more polls and shows in its
border how old its data is."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from textual.containers import Vertical

from floorwatch.db.plant import PlantData
from floorwatch.ui.host import MonitorHost, host
from floorwatch.ui.poller import Poll

T = TypeVar("T")


class Panel(Vertical):
    DEFAULT_CLASSES = "panel"

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self.polls: list[Poll[Any]] = []

    @property
    def monitor(self) -> MonitorHost:
        return host(self)

    def add_poll(
        self,
        name: str,
        fetch: Callable[[PlantData, datetime], Awaitable[T]],
        apply: Callable[[T], None],
        interval: float | None = None,
    ) -> Poll[T]:
        seconds = interval if interval is not None else self.monitor.interval(name)
        poll: Poll[T] = Poll(self, name, seconds, fetch, apply)
        self.polls.append(poll)
        poll.start()
        return poll

    def refresh_age(self, wall: float, paused: bool) -> None:
        if not self.polls:
            return
        lost = self.monitor.connection_lost
        looks = {poll: poll.age_text(wall, paused, lost=lost) for poll in self.polls}
        stale = [text for text, is_stale in looks.values() if is_stale]
        oldest = min(self.polls, key=lambda p: (p.fetched_at is not None, p.fetched_at or 0.0))
        subtitle = stale[0] if stale else looks[oldest][0]
        if subtitle != self.border_subtitle:
            self.border_subtitle = subtitle
        if bool(stale) != self.has_class("-stale"):
            self.set_class(bool(stale), "-stale")

    def poll_now(self) -> None:
        for poll in self.polls:
            poll.poll_now()

    def reset(self) -> None:
        """The facility changed: forget the data and fetch again."""
        for poll in self.polls:
            poll.reset()
        self.clear_data()
        self.poll_now()

    def clear_data(self) -> None:
        """Drop what is shown (override)."""
