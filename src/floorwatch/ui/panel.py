"""Panel: a bordered region of a screen that owns one or more polls and shows in its border
how old its data is. Each poll is an entry of the panel registry (floorwatch/panels.py). A
panel may also show the age of a poll the app owns (the alert log's, which runs on every
screen): the app names the panel (`MonitorHost.polls_shown_in`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Self, TypeVar

from textual.containers import Vertical
from textual.geometry import Region

from floorwatch.panels import DrillDownSpec, Fetch, PanelSpec, ViewSpec
from floorwatch.ui.host import MonitorHost, host
from floorwatch.ui.poller import Poll

T = TypeVar("T")


class Panel(Vertical):
    DEFAULT_CLASSES = "panel"

    def __init__(self, title: str, *, id: str | None = None) -> None:
        self._bottom_line_only = False  # a refresh of the age in the border: that line only
        super().__init__(id=id)
        self.border_title = title
        self.polls: list[Poll[Any]] = []

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._bottom_line_only and not regions and not layout and not recompose:
            # the border's bottom line, in the content coordinates refresh takes
            width, height = self.outer_size
            offset = self.content_offset
            regions = (Region(-offset.x, height - 1 - offset.y, width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    @property
    def monitor(self) -> MonitorHost:
        return host(self)

    def add_poll(
        self,
        spec: PanelSpec[T] | ViewSpec[T],
        apply: Callable[[T], None],
        *,
        fetch: Fetch[T] | None = None,
    ) -> Poll[T]:
        """Poll the registry's panel or view `spec` at its configured interval and `apply` each
        answer; `fetch` replaces the registry's fetch (a refinement of it, as the trends' and
        the shift screen's are)."""
        return self._start(spec.name, spec.interval_key, fetch or spec.fetch, apply)

    def add_drill_down_poll(
        self, spec: DrillDownSpec[T], work_center_id: uuid.UUID, apply: Callable[[T], None]
    ) -> Poll[T]:
        """Poll one work center's drill-down `spec` at the interval of the panel it follows."""
        return self._start(spec.name, spec.interval_key, spec.of(work_center_id), apply)

    def _start(
        self, name: str, interval_key: str, fetch: Fetch[T], apply: Callable[[T], None]
    ) -> Poll[T]:
        monitor = self.monitor
        seconds = monitor.config.intervals.seconds(interval_key)
        poll: Poll[T] = Poll(self, name, seconds, fetch, apply, monitor.fetch_strategy(name))
        self.polls.append(poll)
        poll.start()
        return poll

    def aged_polls(self) -> list[Poll[Any]]:
        """The polls whose data this panel shows: its own and the app's it shows."""
        return self.polls + self.monitor.polls_shown_in(self.id)

    def refresh_age(self, wall: float, paused: bool) -> None:
        polls = self.aged_polls()
        if not polls:
            return
        lost = self.monitor.connection_lost
        looks = {poll: poll.age_text(wall, paused, lost=lost) for poll in polls}
        stale = [text for text, is_stale in looks.values() if is_stale]
        oldest = min(polls, key=lambda p: (p.fetched_at is not None, p.fetched_at or 0.0))
        subtitle = stale[0] if stale else looks[oldest][0]
        if subtitle != self.border_subtitle:
            # the age changes every 5 s: a repaint of the whole panel each time (every line
            # of its border and background, and its children re-composited) was most of an
            # idle monitor's CPU
            self._bottom_line_only = self.is_mounted
            try:
                self.border_subtitle = subtitle
            finally:
                self._bottom_line_only = False
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
