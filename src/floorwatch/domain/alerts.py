"""Alert rules: pure functions from facts read off the plant database to alerts. An alert
carries what happened as facts (its detail: state and reason, OEE and target, scrap share);
the UI words them (ui/alert_text.py).

Keys are built from row identities only (never from values that change between polls), so the
same condition has the same key across polls and across monitor processes:

    EQUIPMENT_DOWN:<equipment_status_log.id>
    LOW_OEE:<work_center_id>:<calculation_date>:<shift>
    HIGH_SCRAP:<production_runs.id>

A down alert re-opened within reopen_minutes keeps its first row's key (`chained`).

Start times come from the data (status_start, period_start, actual_start), and so does the
moment an alert starts firing (start + the rule's `for`); an alert whose condition has ended
(status closed, shift over, run completed) is reported resolved at the row's end time. What
the data cannot tell (acknowledged, muted, escalated, an alert held by hysteresis) the
monitor's alert log adds (domain/alert_log.py).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from floorwatch.domain.alert_memo import SettledAlerts, apply_rule
from floorwatch.domain.job_alerts import JobFacts, job_alerts
from floorwatch.domain.models import (
    Alert,
    AlertDetail,
    AlertKind,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    LowOeeDetail,
    Quantities,
    RunStatus,
    Severity,
)
from floorwatch.domain.oee import OeeBand, OeeTotals, oee_band


class AlertRules(BaseModel):
    """Thresholds (configurable under [alerts] in the config file): strict types (no "5" or
    true for a number), finite, and within bounds the queries' parameters accept."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    scrap_warning_pct: float = Field(default=5, gt=0, le=100)
    scrap_critical_pct: float = Field(default=10, gt=0, le=100)
    scrap_min_pieces: int = Field(default=100, ge=1, le=1_000_000_000)
    oee_critical_gap_pct: float = Field(default=15, ge=0, le=100)
    oee_min_planned_minutes: float = Field(default=60, ge=0, le=1440)  # a shift is within a day
    # the `for` of the waits: pending until a wait has lasted this long
    wait_warning_minutes: float = Field(default=15, ge=0, le=10080)  # a week
    # lifecycle (README: Alerts): `for` durations, hysteresis, re-opening, escalation
    down_for_minutes: float = Field(default=0, ge=0, le=10080)
    # counted from oee_min_planned_minutes into the shift
    oee_for_minutes: float = Field(default=0, ge=0, le=1440)
    scrap_for_minutes: float = Field(default=0, ge=0, le=10080)  # counted from the run's start
    oee_warning_gap_pct: float = Field(default=0, ge=0, le=100)  # fires below target - gap
    oee_resolve_margin_pct: float = Field(default=2, ge=0, le=100)
    scrap_resolve_margin_pct: float = Field(default=1, ge=0, le=100)
    reopen_minutes: float = Field(default=10, ge=0, le=1440)
    escalate_minutes: float = Field(default=60, ge=0, le=10080)  # 0: never
    # job rules (#12 item 4)
    late_start_minutes: float = Field(default=30, ge=0, le=10080)
    stall_minutes: float = Field(default=15, gt=0, le=1440)
    no_output_min_planned_minutes: float = Field(default=60, ge=0, le=1440)
    setup_factor: float = Field(default=2, ge=1, le=100)
    setup_history_days: int = Field(default=30, ge=1, le=366)
    setup_min_past: int = Field(default=5, ge=1, le=100_000)
    # no equipment or OEE alerts for a work center in planned downtime or without work this
    # shift (off for a plant whose ERP does not record runs on every work center)
    snooze_by_plan: bool = True
    # SPC (domain/spc.py): Western Electric rules against each work center's last closed shifts
    spc: bool = True
    spc_shifts: int = Field(default=30, ge=8, le=200)
    spc_min_shifts: int = Field(default=20, ge=8, le=200)


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True)


class DownFact(_Fact):
    log_id: uuid.UUID
    work_center_id: uuid.UUID
    work_center_code: str
    status: EquipmentState
    status_start: datetime
    status_end: datetime | None
    reason_description: str | None = None


class OeeFact(_Fact):
    work_center_id: uuid.UUID
    work_center_code: str
    calculation_date: date
    shift: str
    period_start: datetime
    period_end: datetime
    totals: OeeTotals
    target_oee_percentage: Decimal


class ScrapFact(_Fact):
    run_id: uuid.UUID
    production_run_number: str
    work_center_id: uuid.UUID
    work_center_code: str
    status: RunStatus
    actual_start: datetime
    actual_end: datetime | None
    quantities: Quantities


# the states whose `for` is wait_warning_minutes (a breakdown's is down_for_minutes)
WAITS = frozenset({EquipmentState.NO_OPERATOR, EquipmentState.NO_MATERIAL})


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def _after(start: datetime, minutes: float) -> datetime | None:
    return start + timedelta(minutes=minutes) if minutes else None


def _pct(value: float) -> Decimal:
    return Decimal(str(value))


def _alert(
    fact: DownFact | OeeFact | ScrapFact,
    identity: str,
    detail: AlertDetail,
    *,
    critical: bool,
    started_at: datetime,
    resolved_at: datetime | None,
    **lifecycle: Any,
) -> Alert:
    """The alert of one fact; its key is the kind and the identity of the fact's row."""
    return Alert(
        key=f"{detail.kind}:{identity}",
        severity=Severity.CRITICAL if critical else Severity.WARNING,
        work_center_id=fact.work_center_id,
        work_center_code=fact.work_center_code,
        detail=detail,
        started_at=started_at,
        resolved_at=resolved_at,
        **lifecycle,
    )


def down_alert(fact: DownFact, now: datetime, rules: AlertRules) -> Alert | None:
    """A breakdown or a wait, pending until it has lasted its `for`; one that ended before
    that never fired and is no alert."""
    # as of `now`: a status that ends after `now` (a replayed clock) is still open then
    ended = fact.status_end if fact.status_end is not None and fact.status_end <= now else None
    if fact.status in WAITS:
        wait_for = rules.wait_warning_minutes
    elif fact.status == EquipmentState.BREAKDOWN:
        wait_for = rules.down_for_minutes
    else:
        return None
    lasted = _minutes(fact.status_start, ended or now)
    if ended is not None and lasted < wait_for:
        return None
    return _alert(
        fact,
        str(fact.log_id),
        DownDetail(state=fact.status, reason=fact.reason_description),
        critical=fact.status == EquipmentState.BREAKDOWN,
        started_at=fact.status_start,
        resolved_at=ended,
        fires_at=_after(fact.status_start, wait_for),
        value=Decimal(lasted).quantize(Decimal("0.1")),
        threshold=_pct(wait_for),
    )


def down_settled(fact: DownFact, now: datetime) -> bool:
    """Ended as of `now`: its alert (or none) is the same for any later `now`."""
    return fact.status_end is not None and fact.status_end <= now


def chained(alerts: list[Alert], rules: AlertRules) -> list[Alert]:
    """Down alerts of one work center and state that begin again within reopen_minutes of
    the last one's end are one alert, re-opened: the first row's key and start, the latest
    row's reason and end. Only an alert that fired is re-opened; the one that re-opens it
    fires at once (its condition already met `for`)."""
    window = timedelta(minutes=rules.reopen_minutes)
    chains: dict[tuple[uuid.UUID, object], int] = {}  # the group's latest alert in `out`
    out: list[Alert] = []
    for alert in sorted(alerts, key=lambda a: (a.started_at, a.key)):
        group = (alert.work_center_id, getattr(alert.detail, "state", None))
        at = chains.get(group)
        last = out[at] if at is not None else None
        if (
            at is not None
            and last is not None
            and last.resolved_at is not None
            and last.firing_from <= last.resolved_at
            and alert.started_at - last.resolved_at <= window
        ):
            out[at] = last.model_copy(
                update={
                    "detail": alert.detail,
                    "resolved_at": alert.resolved_at,
                    "value": alert.value,
                    "reopened": last.reopened + 1,
                }
            )
            continue
        chains[group] = len(out)
        out.append(alert)
    return out


def low_oee_alert(fact: OeeFact, now: datetime, rules: AlertRules) -> Alert | None:
    """Fires below target - oee_warning_gap_pct; between that and oee_resolve_margin_pct
    above it (inclusive) only holds an alert that is already firing (hysteresis)."""
    totals = fact.totals
    if float(totals.planned_minutes) < rules.oee_min_planned_minutes:
        return None  # too little of the shift planned yet to judge
    oee = totals.oee
    if oee is None:
        return None
    oee_pct = oee * 100
    target = fact.target_oee_percentage
    fire_below = target - _pct(rules.oee_warning_gap_pct)
    resolve_above = fire_below + _pct(rules.oee_resolve_margin_pct)
    if oee_pct > resolve_above:
        return None
    return _alert(
        fact,
        f"{fact.work_center_id}:{fact.calculation_date}:{fact.shift}",
        LowOeeDetail(
            shift=fact.shift, oee_pct=oee_pct, target_pct=target, resolve_above_pct=resolve_above
        ),
        critical=oee_band(oee, target, rules.oee_critical_gap_pct) is OeeBand.CRITICAL,
        started_at=fact.period_start,
        resolved_at=fact.period_end if fact.period_end <= now else None,
        # judged from min planned minutes into the shift at the earliest: `for` counts from then
        fires_at=_after(fact.period_start, rules.oee_min_planned_minutes + rules.oee_for_minutes),
        value=oee_pct,
        threshold=fire_below,
        holds_only=oee_pct >= fire_below,
    )


def low_oee_settled(fact: OeeFact, now: datetime) -> bool:
    return fact.period_end <= now


def high_scrap_alert(fact: ScrapFact, now: datetime, rules: AlertRules) -> Alert | None:
    """Fires at scrap_warning_pct; between that less scrap_resolve_margin_pct and it only
    holds an alert that is already firing (hysteresis)."""
    q = fact.quantities
    if q.produced < rules.scrap_min_pieces or q.scrap_rate is None:
        return None
    rate_pct = q.scrap_rate * 100
    warning = _pct(rules.scrap_warning_pct)
    if rate_pct < warning - _pct(rules.scrap_resolve_margin_pct):
        return None
    finished = (
        fact.status in (RunStatus.COMPLETED, RunStatus.CANCELLED)
        and fact.actual_end is not None
        and fact.actual_end <= now
    )
    critical = rate_pct >= _pct(rules.scrap_critical_pct)
    return _alert(
        fact,
        str(fact.run_id),
        HighScrapDetail(
            production_run_number=fact.production_run_number,
            scrap_pct=rate_pct,
            scrap=q.scrap,
            produced=q.produced,
            resolve_below_pct=warning - _pct(rules.scrap_resolve_margin_pct),
        ),
        critical=critical,
        started_at=fact.actual_start,
        resolved_at=fact.actual_end if finished else None,
        fires_at=_after(fact.actual_start, rules.scrap_for_minutes),
        value=rate_pct,
        threshold=_pct(rules.scrap_critical_pct) if critical else warning,
        holds_only=rate_pct < warning,
    )


def high_scrap_settled(fact: ScrapFact, now: datetime) -> bool:
    """`now` counts only for a finished run's end not reached yet (a replayed clock)."""
    return fact.actual_end is None or fact.actual_end <= now


def evaluate(
    *,
    down: list[DownFact],
    oee: list[OeeFact],
    scrap: list[ScrapFact],
    now: datetime,
    rules: AlertRules,
    jobs: JobFacts | None = None,
    memo: SettledAlerts | None = None,
) -> list[Alert]:
    """All alerts, active first, then newest first (`memo`: the settled facts' alerts of the
    poll before, domain/alert_memo.py)."""
    found = chained(apply_rule(memo, down_alert, down_settled, down, now, rules), rules)
    found += apply_rule(memo, low_oee_alert, low_oee_settled, oee, now, rules)
    found += apply_rule(memo, high_scrap_alert, high_scrap_settled, scrap, now, rules)
    found += job_alerts(jobs, now, rules, memo) if jobs is not None else []  # job_alerts.py
    if memo is not None:
        memo.poll_done()
    found.sort(key=lambda a: (a.resolved_at is not None, -a.started_at.timestamp(), a.key))
    return found


# the kinds the plan snoozes: a stop or a low OEE means nothing while nothing is planned
SNOOZED_KINDS = frozenset({AlertKind.EQUIPMENT_DOWN, AlertKind.LOW_OEE})


def snoozed_by_plan(alerts: list[Alert], off_plan: frozenset[uuid.UUID]) -> list[Alert]:
    """Without the equipment and OEE alerts of the work centers off the plan (in planned
    downtime, or with no scheduled work this shift: db/sql/alert_off_plan.sql)."""
    return [a for a in alerts if not (a.kind in SNOOZED_KINDS and a.work_center_id in off_plan)]
