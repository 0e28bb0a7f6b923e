"""MonitorHost: what widgets may ask of the running app, typed, without importing app.py."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast
from zoneinfo import ZoneInfo

from textual.dom import DOMNode

from floorwatch.config import Config
from floorwatch.db.source import PlantSource
from floorwatch.domain.alert_log import AlertLogState
from floorwatch.domain.shift_report import ShiftReport

if TYPE_CHECKING:
    from floorwatch.ui.fetch_strategy import FetchStrategy
    from floorwatch.ui.poller import Poll


class MonitorHost(Protocol):
    source: PlantSource
    config: Config
    paused: bool
    poll_timeout: float
    ascii: bool
    alerts: AlertLogState  # a reactive: views watch it
    shift: ShiftReport | None  # a reactive: the current shift, from the app's shift poll
    scope_generation: int  # bumped when the facility changes
    interval_stretch: float  # every poll's interval is this many times longer (push is on)

    @property
    def tz(self) -> ZoneInfo: ...
    @property
    def connection_lost(self) -> bool: ...
    def now(self) -> datetime: ...
    def wall(self) -> float: ...
    def fetch_strategy(self, poll_name: str) -> FetchStrategy: ...
    def may_poll(self, owner: DOMNode, *, ignore_pause: bool = False) -> bool: ...
    def register_poll(self, poll: Poll[Any]) -> None: ...
    def polls_shown_in(self, panel_id: str | None) -> list[Poll[Any]]: ...
    def acknowledge(self, keys: Iterable[str]) -> None: ...
    def refresh_chrome(self) -> None: ...
    def wake_polls(self) -> None: ...


def host(node: DOMNode) -> MonitorHost:
    return cast(MonitorHost, node.app)
