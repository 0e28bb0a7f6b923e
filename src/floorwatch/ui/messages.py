"""Messages the panels post to the app (one place, so the flow is easy to follow)."""

from __future__ import annotations

from textual.message import Message


class PollSucceeded(Message):
    def __init__(self, panel: str) -> None:
        super().__init__()
        self.panel = panel


class PollFailed(Message):
    """A poll could not reach the database (connection_lost) or failed otherwise."""

    def __init__(self, panel: str, reason: str, *, connection_lost: bool) -> None:
        super().__init__()
        self.panel = panel
        self.reason = reason
        self.connection_lost = connection_lost


class OpenWorkCenter(Message):
    def __init__(self, work_center_id: object) -> None:
        super().__init__()
        self.work_center_id = work_center_id


class AlertsPolled(Message):
    """A poll of the alert rules returned; the app merges it into its alert log."""

    def __init__(self, alerts: list[object]) -> None:
        super().__init__()
        self.alerts = alerts
