"""Alert rules: pure functions from facts read off the plant database to alerts. An alert
carries what happened as facts (its detail: state and reason, OEE and target, scrap share);
the UI words them (ui/alert_text.py).

Keys are built from row identities only (never from values that change between polls), so the
same condition has the same key across polls and across monitor processes:

    EQUIPMENT_DOWN:<equipment_status_log.id>
    LOW_OEE:<work_center_id>:<calculation_date>:<shift>
    HIGH_SCRAP:<production_runs.id>

Start times come from the data (status_start, period_start, actual_start); an alert whose
condition has ended (status closed, shift over, run completed) is reported resolved at the
row's end time.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from floorwatch.domain.job_alerts import JobFacts, job_alerts
from floorwatch.domain.models import (
    Alert,
    AlertDetail,
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
    wait_warning_minutes: float = Field(default=15, ge=0, le=10080)  # a week
    # job rules (#12 item 4)
    late_start_minutes: float = Field(default=30, ge=0, le=10080)
    stall_minutes: float = Field(default=15, gt=0, le=1440)
    no_output_min_planned_minutes: float = Field(default=60, ge=0, le=1440)
    setup_factor: float = Field(default=2, ge=1, le=100)
    setup_history_days: int = Field(default=30, ge=1, le=366)
    setup_min_past: int = Field(default=5, ge=1, le=100_000)


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


# the states that alert only once they have lasted wait_warning_minutes (a breakdown at once)
WAITS = frozenset({EquipmentState.NO_OPERATOR, EquipmentState.NO_MATERIAL})


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def _alert(
    fact: DownFact | OeeFact | ScrapFact,
    identity: str,
    detail: AlertDetail,
    *,
    critical: bool,
    started_at: datetime,
    resolved_at: datetime | None,
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
    )


def down_alert(fact: DownFact, now: datetime, rules: AlertRules) -> Alert | None:
    # as of `now`: a status that ends after `now` (a replayed clock) is still open then
    ended = fact.status_end if fact.status_end is not None and fact.status_end <= now else None
    if fact.status in WAITS:
        if _minutes(fact.status_start, ended or now) < rules.wait_warning_minutes:
            return None
    elif fact.status != EquipmentState.BREAKDOWN:
        return None
    return _alert(
        fact,
        str(fact.log_id),
        DownDetail(state=fact.status, reason=fact.reason_description),
        critical=fact.status == EquipmentState.BREAKDOWN,
        started_at=fact.status_start,
        resolved_at=ended,
    )


def low_oee_alert(fact: OeeFact, now: datetime, rules: AlertRules) -> Alert | None:
    totals = fact.totals
    if float(totals.planned_minutes) < rules.oee_min_planned_minutes:
        return None  # too little of the shift planned yet to judge
    oee = totals.oee
    if oee is None:
        return None
    oee_pct = oee * 100
    target = fact.target_oee_percentage
    if oee_pct >= target:
        return None
    return _alert(
        fact,
        f"{fact.work_center_id}:{fact.calculation_date}:{fact.shift}",
        LowOeeDetail(shift=fact.shift, oee_pct=oee_pct, target_pct=target),
        critical=oee_band(oee, target, rules.oee_critical_gap_pct) is OeeBand.CRITICAL,
        started_at=fact.period_start,
        resolved_at=fact.period_end if fact.period_end <= now else None,
    )


def high_scrap_alert(fact: ScrapFact, now: datetime, rules: AlertRules) -> Alert | None:
    q = fact.quantities
    if q.produced < rules.scrap_min_pieces or q.scrap_rate is None:
        return None
    rate_pct = q.scrap_rate * 100
    if rate_pct < Decimal(str(rules.scrap_warning_pct)):
        return None
    finished = (
        fact.status in (RunStatus.COMPLETED, RunStatus.CANCELLED)
        and fact.actual_end is not None
        and fact.actual_end <= now
    )
    return _alert(
        fact,
        str(fact.run_id),
        HighScrapDetail(
            production_run_number=fact.production_run_number,
            scrap_pct=rate_pct,
            scrap=q.scrap,
            produced=q.produced,
        ),
        critical=rate_pct >= Decimal(str(rules.scrap_critical_pct)),
        started_at=fact.actual_start,
        resolved_at=fact.actual_end if finished else None,
    )


def evaluate(
    *,
    down: list[DownFact],
    oee: list[OeeFact],
    scrap: list[ScrapFact],
    now: datetime,
    rules: AlertRules,
    jobs: JobFacts | None = None,
) -> list[Alert]:
    """All alerts, active first, then newest first."""
    found = [a for f in down if (a := down_alert(f, now, rules))]
    found += [a for f in oee if (a := low_oee_alert(f, now, rules))]
    found += [a for f in scrap if (a := high_scrap_alert(f, now, rules))]
    found += job_alerts(jobs, now, rules) if jobs is not None else []  # domain/job_alerts.py
    found.sort(key=lambda a: (a.resolved_at is not None, -a.started_at.timestamp(), a.key))
    return found
