"""One async function per panel. Each is scoped to a tenant and facility, runs in a read-only
transaction as the reader role (Database.reading), and returns pydantic models. SQL lives in
db/sql/*.sql; the ratios are computed from the sums by domain/oee.py and domain/alerts.py."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

import asyncpg

from floorwatch.db.pool import Database, quote_ident
from floorwatch.domain import alerts as alert_rules
from floorwatch.domain.models import (
    Alert,
    CurrentRun,
    EquipmentState,
    FacilitySummary,
    OeePoint,
    Quantities,
    RunStatus,
    RunSummary,
    Scope,
    StatusChange,
    TrendLine,
    WorkCenterSummary,
    WorkCenterUtilization,
)
from floorwatch.domain.oee import OeeTotals, sum_totals
from floorwatch.domain.plant_time import local_day, production_day
from floorwatch.text import clean_optional

RUNS_WINDOW = timedelta(hours=24)


def _utc(moment: datetime) -> datetime:
    """Aware datetime in UTC: arithmetic on it counts real time, also on DST days."""
    return moment.astimezone(UTC)


@cache
def sql(name: str) -> str:
    return files("floorwatch.db").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _totals(row: asyncpg.Record) -> OeeTotals:
    return OeeTotals(
        planned_minutes=row["planned_minutes"],
        runtime_minutes=row["runtime_minutes"],
        produced=row["produced"],
        good=row["oee_good"],
        ideal_seconds=row["ideal_seconds"],
    )


def _shift_row(r: asyncpg.Record) -> dict[str, Any]:
    """One oee_calculations row as the fields OeePoint and the low-OEE fact share."""
    return {
        "work_center_id": r["work_center_id"],
        "work_center_code": r["work_center_code"],
        "calculation_date": r["calculation_date"],
        "shift": r["shift"],
        "period_start": r["period_start"],
        "period_end": r["period_end"],
        "totals": _totals(r),
        "target_oee_percentage": r["target_oee_percentage"],
    }


def _quantities(row: asyncpg.Record | dict[str, Any]) -> Quantities:
    return Quantities(good=row["good"], scrap=row["scrap"], rework=row["rework"])


async def read_directory(conn: asyncpg.Connection) -> list[Scope]:
    rows = await conn.fetch(sql("directory"))
    return [
        Scope(**{k: row[k] for k in Scope.model_fields})
        for row in rows
        if row["facility_id"] is not None
    ]


async def read_directory_as(conn: asyncpg.Connection, role: str | None) -> list[Scope]:
    """The directory as the monitor reads it: as `role` (SET LOCAL ROLE) when one is given, so
    a login whose membership does not inherit the role's privileges reads it too."""
    if not role:
        return await read_directory(conn)
    async with conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL ROLE {quote_ident(role)}")
        return await read_directory(conn)


def _oee_day(scope: Scope, now: datetime) -> date:
    """Today's OEE rows are those of the production day (the shift running now), not of the
    calendar day: between midnight and the first shift the night shift is still yesterday's."""
    return production_day(now, scope.timezone, scope.first_shift_start)


async def facility_summary(db: Database, scope: Scope, now: datetime) -> FacilitySummary:
    day = local_day(now, scope.timezone)
    row = await db.fetchrow(
        scope.tenant_id,
        sql("facility_summary"),
        scope.tenant_id,
        scope.facility_id,
        day.start,
        now,
        _oee_day(scope, now),
    )
    assert row is not None  # aggregates always return one row
    return FacilitySummary(
        as_of=now,
        local_date=day.local_date,
        active_runs=row["active_runs"],
        paused_runs=row["paused_runs"],
        scheduled_runs=row["scheduled_runs"],
        completed_today=row["completed_today"],
        completed_quantities=_quantities(row),
        oee_today=_totals(row),
        target_oee_percentage=row["target_oee_percentage"],
    )


async def work_center_summaries(
    db: Database, scope: Scope, now: datetime
) -> list[WorkCenterSummary]:
    day = local_day(now, scope.timezone)
    rows = await db.fetch(
        scope.tenant_id,
        sql("work_center_summaries"),
        scope.tenant_id,
        scope.facility_id,
        day.start,
        now,
        _oee_day(scope, now),
    )
    return [
        WorkCenterSummary(
            work_center_id=r["work_center_id"],
            work_center_code=r["work_center_code"],
            work_center_name=r["work_center_name"],
            work_center_type=r["work_center_type"],
            status=r["status"],
            production_rate_per_hour=r["production_rate_per_hour"],
            is_active=r["is_active"],
            oee_today=_totals(r),
            target_oee_percentage=r["target_oee_percentage"],
            completed_today=r["completed_today"],
            completed_quantities=_quantities(r),
        )
        for r in rows
    ]


def _current_run(r: asyncpg.Record) -> CurrentRun | None:
    if r["run_id"] is None:
        return None
    return CurrentRun(
        run_id=r["run_id"],
        production_run_number=r["production_run_number"],
        production_order_number=r["production_order_number"],
        status=RunStatus(r["run_status"]),
        actual_start=r["actual_start"],
        quantity_planned=r["quantity_planned"],
        quantities=_quantities(r),
    )


async def utilization(db: Database, scope: Scope, now: datetime) -> list[WorkCenterUtilization]:
    day = local_day(now, scope.timezone)
    rows = await db.fetch(
        scope.tenant_id, sql("utilization"), scope.tenant_id, scope.facility_id, day.start, now
    )
    # real minutes: subtracting two datetimes of the same ZoneInfo would count wall-clock time
    # (wrong on DST days), so subtract in UTC
    elapsed = Decimal(str((_utc(now) - _utc(day.start)).total_seconds())) / 60
    return [
        WorkCenterUtilization(
            work_center_id=r["work_center_id"],
            work_center_code=r["work_center_code"],
            work_center_name=r["work_center_name"],
            state=EquipmentState(r["state"]) if r["state"] else None,
            state_since=r["state_since"],
            reason_code=r["reason_code"],
            reason_description=r["reason_description"],
            current_run=_current_run(r),
            elapsed_minutes=elapsed,
            productive_minutes=r["productive_minutes"],
            setup_minutes=r["setup_minutes"],
            down_minutes=r["down_minutes"],
            planned_down_minutes=r["planned_down_minutes"],
        )
        for r in rows
    ]


async def run_summaries(
    db: Database,
    scope: Scope,
    now: datetime,
    *,
    work_center_id: uuid.UUID | None = None,
    statuses: list[RunStatus] | None = None,
    limit: int = 200,
) -> list[RunSummary]:
    rows = await db.fetch(
        scope.tenant_id,
        sql("run_summaries"),
        scope.tenant_id,
        scope.facility_id,
        _utc(now) - RUNS_WINDOW,  # 24 real hours, also across a DST change
        now,
        work_center_id,
        [s.value for s in statuses] if statuses else None,
        limit,
    )
    return [
        RunSummary(
            run_id=r["run_id"],
            production_run_number=r["production_run_number"],
            production_order_number=r["production_order_number"],
            work_center_id=r["work_center_id"],
            work_center_code=r["work_center_code"],
            status=RunStatus(r["status"]),
            operator_name=r["operator_name"],
            scheduled_start=r["scheduled_start"],
            scheduled_end=r["scheduled_end"],
            actual_start=r["actual_start"],
            actual_end=r["actual_end"],
            quantity_planned=r["quantity_planned"],
            quantities=_quantities(r),
        )
        for r in rows
    ]


async def oee_shifts(
    db: Database,
    scope: Scope,
    first: date,
    last: date,
    work_center_id: uuid.UUID | None = None,
) -> list[OeePoint]:
    """Per work center and shift, oldest first within each work center."""
    rows = await db.fetch(
        scope.tenant_id,
        sql("oee_trends"),
        scope.tenant_id,
        scope.facility_id,
        first,
        last,
        work_center_id,
    )
    return [OeePoint(**_shift_row(r)) for r in rows]


def by_day(points: list[OeePoint]) -> list[OeePoint]:
    """Shift points summed into days per work center (times and counts summed, targets
    weighted by planned time)."""
    groups: dict[tuple[uuid.UUID | None, date], list[OeePoint]] = {}
    for p in points:
        groups.setdefault((p.work_center_id, p.calculation_date), []).append(p)
    days: list[OeePoint] = []
    for (_wc, day), items in groups.items():
        totals = OeeTotals()
        weighted = Decimal(0)
        for p in items:
            totals = totals + p.totals
            weighted += (p.target_oee_percentage or 0) * p.totals.planned_minutes
        target = weighted / totals.planned_minutes if totals.planned_minutes else None
        first = items[0]
        days.append(
            OeePoint(
                work_center_id=first.work_center_id,
                work_center_code=first.work_center_code,
                calculation_date=day,
                shift=None,
                period_start=min(p.period_start for p in items),
                period_end=max(p.period_end for p in items),
                totals=totals,
                target_oee_percentage=target,
            )
        )
    return days


async def oee_trends(
    db: Database,
    scope: Scope,
    first: date,
    last: date,
    *,
    per: str = "shift",
    work_center_id: uuid.UUID | None = None,
) -> list[OeePoint]:
    """OEE over a date range, per shift or per day."""
    if per not in ("shift", "day"):
        raise ValueError("per must be 'shift' or 'day'")
    points = await oee_shifts(db, scope, first, last, work_center_id)
    return points if per == "shift" else by_day(points)


def _sums(row: asyncpg.Record, prefix: str = "") -> OeeTotals:
    return OeeTotals(
        planned_minutes=row[f"{prefix}planned"],
        runtime_minutes=row[f"{prefix}runtime"],
        produced=row[f"{prefix}produced"],
        good=row[f"{prefix}good"],
        ideal_seconds=row[f"{prefix}ideal"],
    )


def _by_code(lines: list[TrendLine]) -> list[TrendLine]:
    """The facility first, then the work centers by code."""
    facility = [line for line in lines if line.work_center_id is None]
    centers = [line for line in lines if line.work_center_id is not None]
    return facility + sorted(centers, key=lambda line: line.work_center_code or "")


async def trend_lines(
    db: Database, scope: Scope, first: date, last: date, shifts: int
) -> list[TrendLine]:
    """The trends panel in one row per work center (and the facility): bars of the facility's
    last `shifts` shift periods as float ratios, the latest row's and the window's summed
    totals exactly (see sql/trend_lines.sql)."""
    rows = await db.fetch(
        scope.tenant_id, sql("trend_lines"), scope.tenant_id, scope.facility_id, first, last, shifts
    )
    lines = []
    for r in rows:
        target = r["target"]
        if r["work_center_id"] is None:
            planned = r["target_planned"]
            target = r["weighted_target"] / planned if planned else None
        recent = r["recent"]
        ratios: list[Decimal | float | None] = [None] * recent
        for age, ratio in zip(r["ages"] or (), r["ratios"] or (), strict=True):
            ratios[recent - 1 - age] = ratio
        # model_construct: measured 4 us against 20 us validated (the list of ratios); the
        # totals are validated (model_construct is slower there)
        lines.append(
            TrendLine.model_construct(
                work_center_id=r["work_center_id"],
                work_center_code=clean_optional(r["work_center_code"]),  # not validated here
                ratios=ratios,
                last_age=r["last_age"],
                last=_sums(r, "last_"),
                period=_sums(r),
                target_oee_percentage=target,
            )
        )
    return _by_code(lines)


def trend_lines_of(points: list[OeePoint], shifts: int) -> list[TrendLine]:
    """The same lines from shift points, with exact Decimal ratios (OeeTotals.oee): what the
    trends panel asks for when a float bar sits too close to a band edge to trust."""
    if not points:
        return []
    periods = sorted({p.period_start for p in points})
    recent = periods[-shifts:]
    age = {t: len(periods) - 1 - i for i, t in enumerate(periods)}
    by_wc: dict[tuple[str, uuid.UUID | None], dict[datetime, OeePoint]] = {}
    for p in points:
        by_wc.setdefault((p.work_center_code or "", p.work_center_id), {})[p.period_start] = p
    facility = {
        t: sum_totals([series[t].totals for series in by_wc.values() if t in series])
        for t in periods
    }
    weighted = [(p.target_oee_percentage, p.totals.planned_minutes) for p in points]
    planned = sum((m for t, m in weighted if t is not None), Decimal(0))
    target = (
        sum((t * m for t, m in weighted if t is not None), Decimal(0)) / planned
        if planned
        else None
    )
    lines = [
        TrendLine(
            work_center_id=None,
            work_center_code=None,
            ratios=[facility[t].oee for t in recent],
            last_age=0,
            last=facility[periods[-1]],
            period=sum_totals(list(facility.values())),
            target_oee_percentage=target,
        )
    ]
    for (code, wc_id), series in by_wc.items():
        latest = max(series)
        lines.append(
            TrendLine(
                work_center_id=wc_id,
                work_center_code=code,
                ratios=[series[t].totals.oee if t in series else None for t in recent],
                last_age=age[latest],
                last=series[latest].totals,
                period=sum_totals([p.totals for p in series.values()]),
                target_oee_percentage=series[latest].target_oee_percentage,
            )
        )
    return _by_code(lines)


async def active_alerts(
    db: Database,
    scope: Scope,
    now: datetime,
    rules: alert_rules.AlertRules | None = None,
) -> list[Alert]:
    """Alerts of today: active ones and those resolved since plant-local midnight."""
    rules = rules or alert_rules.AlertRules()
    day = local_day(now, scope.timezone)
    t, f = scope.tenant_id, scope.facility_id
    async with db.reading(t) as conn:
        # the SQL pre-filters on the thresholds (only rows that may alert come back); the
        # rules below decide
        down_rows = await conn.fetch(
            sql("alert_down_facts"), t, f, day.start, now, float(rules.wait_warning_minutes)
        )
        oee_rows = await conn.fetch(
            sql("alert_oee_facts"),
            t,
            f,
            _oee_day(scope, now),
            now,
            Decimal(str(rules.oee_min_planned_minutes)),
        )
        scrap_rows = await conn.fetch(
            sql("alert_scrap_facts"),
            t,
            f,
            day.start,
            now,
            rules.scrap_min_pieces,
            Decimal(str(rules.scrap_warning_pct)),
        )
    down = [
        alert_rules.DownFact(
            log_id=r["log_id"],
            work_center_id=r["work_center_id"],
            work_center_code=r["work_center_code"],
            status=EquipmentState(r["status"]),
            status_start=r["status_start"],
            status_end=r["status_end"],
            reason_description=r["reason_description"],
        )
        for r in down_rows
    ]
    oee = [alert_rules.OeeFact(**_shift_row(r)) for r in oee_rows]
    scrap = [
        alert_rules.ScrapFact(
            run_id=r["run_id"],
            production_run_number=r["production_run_number"],
            work_center_id=r["work_center_id"],
            work_center_code=r["work_center_code"],
            status=RunStatus(r["status"]),
            actual_start=r["actual_start"],
            actual_end=r["actual_end"],
            quantities=_quantities(r),
        )
        for r in scrap_rows
    ]
    return alert_rules.evaluate(down=down, oee=oee, scrap=scrap, now=now, rules=rules)


async def status_changes(
    db: Database, scope: Scope, work_center_id: uuid.UUID, since: datetime
) -> list[StatusChange]:
    """State changes of one work center since `since`, newest first (drill-down)."""
    rows = await db.fetch(
        scope.tenant_id,
        sql("status_changes"),
        scope.tenant_id,
        scope.facility_id,
        work_center_id,
        since,
    )
    return [
        StatusChange(
            status=EquipmentState(r["status"]),
            previous_status=EquipmentState(r["previous_status"]) if r["previous_status"] else None,
            status_start=r["status_start"],
            status_end=r["status_end"],
            reason_code=r["reason_code"],
            reason_description=r["reason_description"],
            production_run_number=r["production_run_number"],
        )
        for r in rows
    ]
