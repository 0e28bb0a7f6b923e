"""The monitor's alert log: each alert's lifecycle over the polls (README: Alerts).

Pure state, no IO. The rules (domain/alerts.py) say from the data when each condition began,
when it starts firing (its `for`) and whether it ended. The log adds what the data cannot tell:
- hysteresis: an alert reported `holds_only` (inside its rule's band) stays firing if it was
  firing, and is ignored otherwise;
- re-opening: an alert the log had resolved that is reported again is the same alert, firing
  again (`reopened` counts it);
- acknowledgements and mutes (kept by the app, acks.py), and escalation: a warning firing
  unacknowledged for escalate_minutes becomes critical.
It answers each alert's status, which alerts are new (firing, neither acknowledged nor muted),
which started firing or escalated with a poll (for the bell and the alert command), and when
it will next change by the clock alone (`next_change`: the alerts poll fetches then)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import Alert, Severity

# Resolved alerts stay on screen this long after they stopped being reported (the rules report
# today's, so yesterday's leave the log during the morning); the cap bounds a storm.
KEEP_RESOLVED = timedelta(hours=12)
MAX_ENTRIES = 500


class AlertStatus(StrEnum):
    PENDING = "pending"  # its condition holds, for less than the rule's `for`
    FIRING = "firing"  # and new: neither acknowledged nor muted
    ACKNOWLEDGED = "acknowledged"  # firing, acknowledged
    MUTED = "muted"  # active, on a muted work center
    RESOLVED = "resolved"


# reading order: firing first (new or acknowledged alike, newest first), then pending, muted,
# resolved
_RANK = {
    AlertStatus.FIRING: 0,
    AlertStatus.ACKNOWLEDGED: 0,
    AlertStatus.PENDING: 1,
    AlertStatus.MUTED: 2,
    AlertStatus.RESOLVED: 3,
}


@dataclass(frozen=True)
class Ack:
    at: datetime | None  # None: acknowledged before the time was kept
    by: str  # the login that acknowledged it ("" when not known)


@dataclass(frozen=True)
class Mute:
    until: datetime
    by: str
    at: datetime


class Transition(StrEnum):
    FIRING = "firing"  # started firing (first time, or re-opened)
    ESCALATED = "escalated"  # a warning left unacknowledged became critical


@dataclass(frozen=True)
class AlertEvent:
    transition: Transition
    alert: Alert


@dataclass(frozen=True)
class AlertLogState:
    """The alert log at one moment, as the views draw it. Immutable: the app hands the same
    snapshot to every view (the alert panel, the grid's marks, any later one)."""

    alerts: tuple[Alert, ...] = ()  # in reading order
    new_keys: frozenset[str] = frozenset()
    polled_at: datetime | None = None  # the poll it holds (None: no poll yet)
    statuses: Mapping[str, AlertStatus] = field(default_factory=dict)
    acks: Mapping[str, Ack] = field(default_factory=dict)
    mutes: Mapping[uuid.UUID, Mute] = field(default_factory=dict)

    def entries(self) -> list[Alert]:
        return list(self.alerts)

    def status(self, alert: Alert) -> AlertStatus:
        return self.statuses.get(alert.key, AlertStatus.FIRING)

    def is_new(self, alert: Alert) -> bool:
        return alert.key in self.new_keys

    def new(self) -> list[Alert]:
        return [a for a in self.alerts if a.key in self.new_keys]

    def new_work_centers(self) -> frozenset[uuid.UUID]:
        return frozenset(a.work_center_id for a in self.alerts if a.key in self.new_keys)

    def count(self, *statuses: AlertStatus) -> int:
        return sum(1 for a in self.alerts if self.status(a) in statuses)

    def active(self) -> int:
        """Firing, acknowledged or not (pending and muted alerts are not counted)."""
        return self.count(AlertStatus.FIRING, AlertStatus.ACKNOWLEDGED)


def _acks(acknowledged: Iterable[str] | Mapping[str, Ack]) -> dict[str, Ack]:
    if isinstance(acknowledged, Mapping):
        return dict(acknowledged)
    return {key: Ack(at=None, by="") for key in acknowledged}


class AlertLog:
    def __init__(
        self,
        acknowledged: Iterable[str] | Mapping[str, Ack] = (),
        mutes: Mapping[uuid.UUID, Mute] | None = None,
        rules: AlertRules | None = None,
    ) -> None:
        self._alerts: dict[str, Alert] = {}
        self.acknowledged: dict[str, Ack] = _acks(acknowledged)
        self.mutes: dict[uuid.UUID, Mute] = dict(mutes or {})
        self.rules = rules or AlertRules()
        self._firing: set[str] = set()  # keys firing as of the last poll (hysteresis)
        self._loud: set[str] = set()  # ... of those, neither muted nor acknowledged
        self._escalated: set[str] = set()  # warnings escalated in their current episode
        # the sorted log, its statuses and new alerts, kept until the next change: the panels
        # and the grid's marks ask for them on every alert poll
        self._entries: list[Alert] = []
        self._statuses: dict[str, AlertStatus] = {}
        self._new: list[Alert] = []
        self._polled_at: datetime | None = None

    def update(self, alerts: Iterable[Alert], now: datetime) -> list[AlertEvent]:
        """Merge one poll; returns the alerts that started firing (neither acknowledged nor
        muted) or escalated with it.

        An alert that was active and is no longer reported is kept, resolved at `now` (the
        condition went away between polls, e.g. the day rolled over)."""
        self._polled_at = now
        escalated_before = set(self._escalated)
        self.mutes = {wc: m for wc, m in self.mutes.items() if m.until > now}
        seen: set[str] = set()
        for alert in alerts:
            before = self._alerts.get(alert.key)
            if alert.holds_only and alert.key not in self._firing:
                continue  # inside the band: holds a firing alert, never starts one
            if before is not None and not before.active and alert.active:
                alert = alert.model_copy(update={"reopened": before.reopened + 1})
            elif before is not None and before.reopened > alert.reopened:
                alert = alert.model_copy(update={"reopened": before.reopened})
            seen.add(alert.key)
            self._alerts[alert.key] = self._escalate(alert, now)
        for key, alert in list(self._alerts.items()):
            if key in seen:
                continue
            if alert.active:
                self._alerts[key] = alert.model_copy(update={"resolved_at": now})
            elif alert.resolved_at is not None and alert.resolved_at < now - KEEP_RESOLVED:
                del self._alerts[key]
        was_firing, was_loud = self._firing, self._loud
        self._firing = {k for k, a in self._alerts.items() if a.active and not a.pending_at(now)}
        # firing and news: neither muted nor acknowledged (a mute's end makes it news again)
        self._loud = {
            k
            for k in self._firing
            if not self._is_muted(self._alerts[k]) and k not in self.acknowledged
        }
        events = [AlertEvent(Transition.FIRING, self._alerts[k]) for k in self._loud - was_loud]
        for key in self._escalated - escalated_before:
            if key in was_firing and key in self._firing:
                events.append(AlertEvent(Transition.ESCALATED, self._alerts[key]))
        # an episode that ends (resolved) starts over: a re-opened warning escalates again
        self._escalated &= self._firing
        self._sort()
        for alert in self._entries[MAX_ENTRIES:]:
            if not self.is_new(alert):
                del self._alerts[alert.key]
        self._sort()
        events.sort(key=lambda e: (-e.alert.started_at.timestamp(), e.alert.key))
        return events

    def next_change(self, now: datetime) -> datetime | None:
        """The earliest moment after `now` at which this log, as of its last poll, changes by
        the clock alone, with no new row: a pending alert starts firing (its `fires_at`), a
        warning firing unacknowledged escalates (`escalate_minutes` after it started firing;
        not while muted), a mute ends. None: nothing is due. Moments at or before `now` are
        not due (a poll at `now` already saw them).

        What it does not know it cannot promise: a condition the rules do not report yet (a
        low OEE before `oee_min_planned_minutes` is planned, a job alert's threshold) appears
        when a poll reads it, and a resolved entry leaving the log after KEEP_RESOLVED waits
        for a poll too."""
        moments: list[datetime] = [m.until for m in self.mutes.values()]
        minutes = self.rules.escalate_minutes
        for alert in self._alerts.values():
            if not alert.active:
                continue
            moments.append(alert.firing_from)
            if (
                minutes
                and alert.severity is Severity.WARNING
                and alert.key not in self.acknowledged
                and not self._is_muted(alert)
            ):
                moments.append(alert.firing_from + timedelta(minutes=minutes))
        return min((m for m in moments if m > now), default=None)

    def _escalate(self, alert: Alert, now: datetime) -> Alert:
        minutes = self.rules.escalate_minutes
        if (
            minutes
            and alert.severity is Severity.WARNING
            and alert.active
            and alert.key not in self.acknowledged
            and not self._is_muted(alert)
            and now >= alert.firing_from + timedelta(minutes=minutes)
        ):
            self._escalated.add(alert.key)
        if alert.key in self._escalated:
            return alert.model_copy(update={"severity": Severity.CRITICAL, "escalated": True})
        return alert

    def _is_muted(self, alert: Alert) -> bool:
        mute = self.mutes.get(alert.work_center_id)
        return mute is not None and (self._polled_at is None or mute.until > self._polled_at)

    def _status(self, alert: Alert) -> AlertStatus:
        if not alert.active:
            return AlertStatus.RESOLVED
        if self._is_muted(alert):
            return AlertStatus.MUTED
        if self._polled_at is not None and alert.pending_at(self._polled_at):
            return AlertStatus.PENDING
        if alert.key in self.acknowledged:
            return AlertStatus.ACKNOWLEDGED
        return AlertStatus.FIRING

    def _sort(self) -> None:
        self._statuses = {k: self._status(a) for k, a in self._alerts.items()}
        self._entries = sorted(
            self._alerts.values(),
            key=lambda a: (_RANK[self._statuses[a.key]], -a.started_at.timestamp(), a.key),
        )
        self._new = [a for a in self._entries if self._statuses[a.key] is AlertStatus.FIRING]

    def entries(self) -> list[Alert]:
        return list(self._entries)

    def status(self, alert: Alert) -> AlertStatus:
        return self._statuses.get(alert.key) or self._status(alert)

    def is_new(self, alert: Alert) -> bool:
        return self.status(alert) is AlertStatus.FIRING

    def new(self) -> list[Alert]:
        return list(self._new)

    def new_work_centers(self) -> set[uuid.UUID]:
        return {a.work_center_id for a in self.new()}

    def acknowledge(self, keys: Iterable[str], ack: Ack | None = None) -> list[str]:
        """Marks keys acknowledged; returns those that were not already."""
        added = [k for k in dict.fromkeys(keys) if k not in self.acknowledged]
        stamp = ack or Ack(at=self._polled_at, by="")
        self.acknowledged.update(dict.fromkeys(added, stamp))
        self._sort()
        return added

    def mute(self, work_center_id: uuid.UUID, mute: Mute) -> None:
        self.mutes[work_center_id] = mute
        self._sort()

    def unmute(self, work_center_id: uuid.UUID) -> bool:
        found = self.mutes.pop(work_center_id, None) is not None
        self._sort()
        return found

    def state(self) -> AlertLogState:
        keys = frozenset(a.key for a in self._new)
        return AlertLogState(
            tuple(self._entries),
            keys,
            self._polled_at,
            dict(self._statuses),
            dict(self.acknowledged),
            dict(self.mutes),
        )
