"""OEE over time from shift rows: shifts summed into days, and the trends panel's lines.

Pure arithmetic on the models the queries return (no IO); every aggregate sums the times and
counts first and divides last (domain/oee.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from floorwatch.domain.models import OeePoint, TrendLine
from floorwatch.domain.oee import ZERO, sum_totals, weighted_target


def by_day(points: list[OeePoint]) -> list[OeePoint]:
    """Shift points summed into days per work center (times and counts summed, targets
    weighted by planned time)."""
    groups: dict[tuple[uuid.UUID | None, date], list[OeePoint]] = {}
    for p in points:
        groups.setdefault((p.work_center_id, p.calculation_date), []).append(p)
    days: list[OeePoint] = []
    for (_wc, day), items in groups.items():
        first = items[0]
        days.append(
            OeePoint(
                work_center_id=first.work_center_id,
                work_center_code=first.work_center_code,
                calculation_date=day,
                shift=None,
                period_start=min(p.period_start for p in items),
                period_end=max(p.period_end for p in items),
                totals=sum_totals([p.totals for p in items]),
                target_oee_percentage=target_of(items),
            )
        )
    return days


def target_of(points: list[OeePoint]) -> Decimal | None:
    """The points' target weighted by their planned time (oee.weighted_target). A point has no
    target only when it is an aggregate of nothing planned, so it weighs nothing either way."""
    target_x_planned = sum(
        ((p.target_oee_percentage or ZERO) * p.totals.planned_minutes for p in points), ZERO
    )
    return weighted_target(target_x_planned, sum((p.totals.planned_minutes for p in points), ZERO))


def facility_first(lines: list[TrendLine]) -> list[TrendLine]:
    """The facility first, then the work centers by code."""
    facility = [line for line in lines if line.work_center_id is None]
    centers = [line for line in lines if line.work_center_id is not None]
    return facility + sorted(centers, key=lambda line: line.work_center_code or "")


def trend_lines_of(points: list[OeePoint], shifts: int) -> list[TrendLine]:
    """The trends panel's lines from shift points, with exact Decimal ratios (OeeTotals.oee):
    what the panel asks for when a float bar of the compact query (db/sql/trend_lines.sql)
    sits too close to a band edge to trust."""
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
    lines = [
        TrendLine(
            work_center_id=None,
            work_center_code=None,
            ratios=[facility[t].oee for t in recent],
            last_age=0,
            last=facility[periods[-1]],
            period=sum_totals(list(facility.values())),
            target_oee_percentage=target_of(points),
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
    return facility_first(lines)
