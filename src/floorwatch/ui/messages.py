"""Messages the panels post to the app (one place, so the flow is easy to follow)."""

from __future__ import annotations

import uuid

from textual.message import Message

from floorwatch.db.changes import FeedState
from floorwatch.domain.models import Alert


class PollSucceeded(Message):
    """A poll answered: the connection is up."""


class PollFailed(Message):
    """A poll could not reach the database (connection_lost) or failed otherwise."""

    def __init__(self, reason: str, *, connection_lost: bool) -> None:
        super().__init__()
        self.reason = reason
        self.connection_lost = connection_lost


class OpenWorkCenter(Message):
    """Show the drill-down of this work center."""

    def __init__(self, work_center_id: uuid.UUID) -> None:
        super().__init__()
        self.work_center_id = work_center_id


class AlertsPolled(Message):
    """A poll of the alert rules returned; the app merges it into its alert log."""

    def __init__(self, alerts: list[Alert]) -> None:
        super().__init__()
        self.alerts = alerts


class PlantChanged(Message):
    """The database says these plant tables of the facility changed (push refresh)."""

    def __init__(self, tables: frozenset[str]) -> None:
        super().__init__()
        self.tables = tables


class PushStateChanged(Message):
    """Push refresh went on or off (db/changes.py)."""

    def __init__(self, state: FeedState) -> None:
        super().__init__()
        self.state = state
