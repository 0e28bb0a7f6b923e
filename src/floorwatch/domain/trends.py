"""OEE over time from shift rows: shifts summed into days, and the trends panel's lines.

Pure arithmetic on the models the queries return (no IO); every aggregate sums the times and
counts first and divides last (domain/oee.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from floorwatch.domain.models import OeePoint, TrendLine
from floorwatch.domain.oee import ZERO, OeeTotals, sum_totals, weighted_target
from floorwatch.text import clean_optional


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
    what the panel asks for when a float bar of the compact path (compact_lines over
    db/sql/trend_rows.sql) sits too close to a band edge to trust."""
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


@dataclass
class _Center:
    """One work center's rows of a TrendPart."""

    code: str | None
    ratios: dict[datetime, float | None] = field(default_factory=dict)
    latest: datetime | None = None
    last: OeeTotals | None = None  # the latest row's totals
    target: Decimal | None = None  # the latest row's target
    sums: list[Any] = field(default_factory=lambda: [ZERO, ZERO, 0, 0, ZERO])
    target_x_planned: Decimal = ZERO


_SUMMED = ("planned_minutes", "runtime_minutes", "produced", "oee_good", "ideal_seconds")


def _totals(values: Iterable[Any]) -> OeeTotals:
    """Totals from sums SQL typed (Decimal minutes and ideal seconds, int counts); validated
    (faster than model_construct for this flat model)."""
    planned, runtime, produced, good, ideal = values
    return OeeTotals(
        planned_minutes=planned,
        runtime_minutes=runtime,
        produced=produced,
        good=good,
        ideal_seconds=ideal,
    )


@dataclass
class TrendPart:
    """The trends panel's rows of some shift periods (db/sql/trend_rows.sql), summed per work
    center: the closed shifts' part is read once and kept, the running shift's on each poll,
    and compact_lines merges them. Every period of a part is whole (all its rows)."""

    periods: list[datetime] = field(default_factory=list)  # the facility's, oldest first
    facility: dict[datetime, tuple[float | None, OeeTotals]] = field(default_factory=dict)
    centers: dict[uuid.UUID, _Center] = field(default_factory=dict)

    @classmethod
    def of_rows(cls, rows: Iterable[Mapping[str, Any]]) -> TrendPart:
        part = cls()
        for r in rows:
            start = r["period_start"]
            values = [r[k] for k in _SUMMED]
            wc = r["work_center_id"]
            if wc is None:
                part.facility[start] = (r["ratio"], _totals(values))
                continue
            c = part.centers.get(wc)
            if c is None:
                c = part.centers[wc] = _Center(r["work_center_code"])
            c.ratios[start] = r["ratio"]
            if c.latest is None or start > c.latest:
                c.latest, c.last, c.target = start, _totals(values), r["target"]
            c.sums = [a + b for a, b in zip(c.sums, values, strict=True)]
            if r["target"] is not None:
                c.target_x_planned += r["target"] * r["planned_minutes"]
        part.periods = sorted(part.facility)
        return part


def _merged(old: _Center | None, new: _Center | None) -> _Center:
    """A work center's rows of two parts, `new` the later periods."""
    if old is None or new is None:
        kept = old or new
        assert kept is not None
        return kept
    return _Center(
        new.code,
        {**old.ratios, **new.ratios},
        new.latest,
        new.last,
        new.target,
        [a + b for a, b in zip(old.sums, new.sums, strict=True)],
        old.target_x_planned + new.target_x_planned,
    )


def compact_lines(closed: TrendPart, open_: TrendPart, shifts: int) -> list[TrendLine]:
    """The trends panel's lines (float bars, exact sums) from the closed periods' part and the
    later, open periods' part: bars of the facility's last `shifts` periods, each work center's
    latest row and the window's sums."""
    periods = closed.periods + open_.periods
    if not periods:
        return []
    facility = {**closed.facility, **open_.facility}
    recent = periods[-shifts:]
    age = {t: len(periods) - 1 - i for i, t in enumerate(periods)}
    centers = [
        (wc, _merged(closed.centers.get(wc), open_.centers.get(wc)))
        for wc in {**closed.centers, **open_.centers}
    ]
    period = [sum(c.sums[i] for _, c in centers) for i in range(len(_SUMMED))]
    lines = [
        TrendLine.model_construct(
            work_center_id=None,
            work_center_code=None,
            ratios=[facility[t][0] for t in recent],
            last_age=0,
            last=facility[periods[-1]][1],
            period=_totals(period),
            target_oee_percentage=weighted_target(
                sum((c.target_x_planned for _, c in centers), ZERO), period[0]
            ),
        )
    ]
    for wc, c in centers:
        assert c.latest is not None
        lines.append(
            # model_construct: 4 us against 20 validated (the list of ratios); typed by SQL
            TrendLine.model_construct(
                work_center_id=wc,
                work_center_code=clean_optional(c.code),
                ratios=[c.ratios.get(t) for t in recent],
                last_age=age[c.latest],
                last=c.last,
                period=_totals(c.sums),
                target_oee_percentage=c.target,
            )
        )
    return facility_first(lines)
