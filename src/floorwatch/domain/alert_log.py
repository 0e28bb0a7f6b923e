"""The monitor's alert log: what each poll of active alerts adds to what was already seen.

Pure state, no IO: the app feeds it each poll's alerts and the acknowledged keys; it answers
which alerts are new (never acknowledged and still active), in the order a supervisor reads
them (active first, newest first)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from floorwatch.domain.models import Alert

# Resolved alerts stay on screen this long after they stopped being reported (the rules report
# today's, so yesterday's leave the log during the morning); the cap bounds a storm.
KEEP_RESOLVED = timedelta(hours=12)
MAX_ENTRIES = 500


@dataclass(frozen=True)
class AlertLogState:
    """The alert log at one moment, as the views draw it. Immutable: the app hands the same
    snapshot to every view (the alert panel, the grid's marks, any later one)."""

    alerts: tuple[Alert, ...] = ()  # in reading order
    new_keys: frozenset[str] = frozenset()
    polled_at: datetime | None = None  # the poll it holds (None: no poll yet)

    def entries(self) -> list[Alert]:
        return list(self.alerts)

    def is_new(self, alert: Alert) -> bool:
        return alert.key in self.new_keys

    def new(self) -> list[Alert]:
        return [a for a in self.alerts if a.key in self.new_keys]

    def new_work_centers(self) -> frozenset[uuid.UUID]:
        return frozenset(a.work_center_id for a in self.alerts if a.key in self.new_keys)

    def active(self) -> int:
        return sum(1 for a in self.alerts if a.active)


class AlertLog:
    def __init__(self, acknowledged: Iterable[str] = ()) -> None:
        self._alerts: dict[str, Alert] = {}
        self.acknowledged: set[str] = set(acknowledged)
        # the sorted log and its new alerts, kept until the next update or acknowledgement:
        # the panels and the grid's marks ask for them on every alert poll
        self._entries: list[Alert] = []
        self._new: list[Alert] = []
        self._polled_at: datetime | None = None

    def update(self, alerts: Iterable[Alert], now: datetime) -> list[Alert]:
        """Merge one poll; returns the alerts that became new with it (for the bell).

        An alert that was active and is no longer reported is kept, resolved at `now` (the
        condition went away between polls, e.g. the day rolled over)."""
        before = {a.key for a in self.new()}
        self._polled_at = now
        seen: set[str] = set()
        for alert in alerts:
            seen.add(alert.key)
            self._alerts[alert.key] = alert
        for key, alert in list(self._alerts.items()):
            if key in seen:
                continue
            if alert.active:
                self._alerts[key] = alert.model_copy(update={"resolved_at": now})
            elif alert.resolved_at is not None and alert.resolved_at < now - KEEP_RESOLVED:
                del self._alerts[key]
        self._sort()
        for alert in self._entries[MAX_ENTRIES:]:
            if not self.is_new(alert):
                del self._alerts[alert.key]
        self._sort()
        return [a for a in self._new if a.key not in before]

    def _sort(self) -> None:
        self._entries = sorted(
            self._alerts.values(),
            key=lambda a: (not a.active, -a.started_at.timestamp(), a.key),
        )
        self._new = [a for a in self._entries if self.is_new(a)]

    def entries(self) -> list[Alert]:
        return list(self._entries)

    def is_new(self, alert: Alert) -> bool:
        return alert.active and alert.key not in self.acknowledged

    def new(self) -> list[Alert]:
        return list(self._new)

    def new_work_centers(self) -> set[uuid.UUID]:
        return {a.work_center_id for a in self.new()}

    def acknowledge(self, keys: Iterable[str]) -> list[str]:
        """Marks keys acknowledged; returns those that were not already."""
        added = [k for k in dict.fromkeys(keys) if k not in self.acknowledged]
        self.acknowledged.update(added)
        self._new = [a for a in self._new if a.key not in self.acknowledged]
        return added

    def state(self) -> AlertLogState:
        keys = frozenset(a.key for a in self._new)
        return AlertLogState(tuple(self._entries), keys, self._polled_at)
