"""Alert rules: pure functions from facts read off the plant database to alerts.

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

from floorwatch.domain.models import (
    Alert,
    AlertKind,
    EquipmentState,
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


_WAITS = {
    EquipmentState.NO_OPERATOR: "no operator",
    EquipmentState.NO_MATERIAL: "waiting for material",
}


def _minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60


def down_alert(fact: DownFact, now: datetime, rules: AlertRules) -> Alert | None:
    # as of `now`: a status that ends after `now` (a replayed clock) is still open then
    ended = fact.status_end if fact.status_end is not None and fact.status_end <= now else None
    end = ended or now
    if fact.status == EquipmentState.BREAKDOWN:
        severity, what = Severity.CRITICAL, "breakdown"
    elif fact.status in _WAITS:
        if _minutes(fact.status_start, end) < rules.wait_warning_minutes:
            return None
        severity, what = Severity.WARNING, _WAITS[fact.status]
    else:
        return None
    reason = f": {fact.reason_description}" if fact.reason_description else ""
    return Alert(
        key=f"{AlertKind.EQUIPMENT_DOWN}:{fact.log_id}",
        kind=AlertKind.EQUIPMENT_DOWN,
        severity=severity,
        work_center_id=fact.work_center_id,
        work_center_code=fact.work_center_code,
        message=f"{fact.work_center_code} down, {what}{reason}",
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
    critical = oee_band(oee, target, rules.oee_critical_gap_pct) is OeeBand.CRITICAL
    return Alert(
        key=f"{AlertKind.LOW_OEE}:{fact.work_center_id}:{fact.calculation_date}:{fact.shift}",
        kind=AlertKind.LOW_OEE,
        severity=Severity.CRITICAL if critical else Severity.WARNING,
        work_center_id=fact.work_center_id,
        work_center_code=fact.work_center_code,
        message=(
            f"{fact.work_center_code} OEE {oee_pct:.1f}% below target {target:.0f}% "
            f"(shift {fact.shift})"
        ),
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
    critical = rate_pct >= Decimal(str(rules.scrap_critical_pct))
    finished = (
        fact.status in (RunStatus.COMPLETED, RunStatus.CANCELLED)
        and fact.actual_end is not None
        and fact.actual_end <= now
    )
    return Alert(
        key=f"{AlertKind.HIGH_SCRAP}:{fact.run_id}",
        kind=AlertKind.HIGH_SCRAP,
        severity=Severity.CRITICAL if critical else Severity.WARNING,
        work_center_id=fact.work_center_id,
        work_center_code=fact.work_center_code,
        message=(
            f"{fact.work_center_code} scrap {rate_pct:.1f}% on run "
            f"{fact.production_run_number} ({q.scrap} of {q.produced})"
        ),
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
) -> list[Alert]:
    """All alerts, active first, then newest first."""
    found = [a for f in down if (a := down_alert(f, now, rules))]
    found += [a for f in oee if (a := low_oee_alert(f, now, rules))]
    found += [a for f in scrap if (a := high_scrap_alert(f, now, rules))]
    found.sort(key=lambda a: (a.resolved_at is not None, -a.started_at.timestamp(), a.key))
    return found
