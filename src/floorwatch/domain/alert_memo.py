"""The alerts of settled facts, kept from one poll to the next.

A fact is settled as of a poll's `now` when its rule's answer no longer depends on the clock:
the stop, the shift row, the setup has ended, the run has started or finished (each rule's
`*_settled` predicate, next to the rule; tests/unit/test_alert_memo.py holds every rule to
its predicate for any later `now`). Most of a day's alerts are resolved ones, so most facts
of a poll are the same settled rows as the poll before, and their rule need not run again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from floorwatch.domain.models import Alert

F = TypeVar("F")
Rule = Callable[[F, datetime, Any], Alert | None]
Settled = Callable[[F, datetime], bool]


class SettledAlerts:
    """What the rules answered for the settled facts of the last poll (facts are frozen models:
    a fact's key is its values). A poll that changes the rules starts afresh."""

    def __init__(self) -> None:
        self._rules: object = None
        self._kept: dict[tuple[object, object], Alert | None] = {}
        self._used: dict[tuple[object, object], Alert | None] = {}

    def apply(
        self, rule: Rule[F], settled: Settled[F], facts: Iterable[F], now: datetime, rules: Any
    ) -> list[Alert]:
        if rules is not self._rules:
            self._rules, self._kept, self._used = rules, {}, {}
        found: list[Alert] = []
        for fact in facts:
            if settled(fact, now):
                key = (rule, fact)
                alert = self._kept[key] if key in self._kept else rule(fact, now, rules)
                self._used[key] = alert
            else:
                alert = rule(fact, now, rules)
            if alert is not None:
                found.append(alert)
        return found

    def poll_done(self) -> None:
        """Keep what this poll used (the facts of today; older ones drop out)."""
        self._kept, self._used = self._used, {}


def apply_rule(
    memo: SettledAlerts | None,
    rule: Rule[F],
    settled: Settled[F],
    facts: Iterable[F],
    now: datetime,
    rules: Any,
) -> list[Alert]:
    """The rule's alerts of `facts`, through `memo` when there is one."""
    if memo is not None:
        return memo.apply(rule, settled, facts, now, rules)
    return [a for f in facts if (a := rule(f, now, rules)) is not None]
