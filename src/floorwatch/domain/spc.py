"""Statistical process control: Western Electric rules 1-4 on each work center's per-shift OEE
and scrap rate, against its own last closed shifts (README: Numbers, Alerts). Pure, no IO.

A series is one work center's values of one metric, oldest first, one per closed shift row
(`oee_calculations`; an ERP's whole-day row is one point too). Its baseline is the series
itself: the mean and the sample standard deviation of its (at most spc_shifts) points. Only the
bad side counts: OEE below the mean, scrap above it. At each point the rules read the points up
to it:

1. the point beyond 3 sigma;
2. 2 of the last 3 points beyond 2 sigma (on the bad side);
3. 4 of the last 5 beyond 1 sigma;
4. the last 8 on the bad side of the mean.

An alert fires while any rule holds at the latest point; it started at the end of the first
shift of the unbroken run of points at which a rule held, and resolves at the end of the first
shift after that run (reported when that is within `resolved_since`).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from floorwatch.domain.models import Alert, AlertKind, Severity, TrendDetail


class SpcMetric(StrEnum):
    OEE = "oee"
    SCRAP = "scrap"


# +1: a higher value is worse (scrap); -1: a lower value is worse (OEE)
BAD_SIDE = {SpcMetric.OEE: -1, SpcMetric.SCRAP: +1}
RULES = (1, 2, 3, 4)
# (points read, how many beyond, sigmas): rule 4 is 8 of 8 beyond 0 sigma (the mean)
_WINDOWS = {1: (1, 1, 3.0), 2: (3, 2, 2.0), 3: (5, 4, 1.0), 4: (8, 8, 0.0)}


@dataclass(frozen=True)
class SpcPoint:
    period_end: datetime  # the end of the shift the value is of
    value: float  # a ratio (OEE, scrap rate), 0..1


@dataclass(frozen=True)
class SpcSeries:
    work_center_id: uuid.UUID
    work_center_code: str
    metric: SpcMetric
    points: tuple[SpcPoint, ...]  # oldest first


@dataclass(frozen=True)
class Baseline:
    mean: float
    sigma: float
    shifts: int


@dataclass(frozen=True)
class SpcSignal:
    """What the rules say of a series as of its latest point."""

    series: SpcSeries
    baseline: Baseline
    rules: tuple[int, ...]  # the rules that held at the run's latest point
    started_at: datetime
    resolved_at: datetime | None
    value: float  # the latest point's


def baseline(values: Sequence[float]) -> Baseline | None:
    """Mean and sample standard deviation; None for fewer than two points or no spread (every
    value the same: nothing to judge a change against)."""
    n = len(values)
    if n < 2:
        return None
    mean = math.fsum(values) / n
    sigma = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    if sigma <= 1e-12:
        return None
    return Baseline(mean=mean, sigma=sigma, shifts=n)


def rules_at(z: Sequence[float], i: int) -> tuple[int, ...]:
    """The rules that hold at point i, given each point's distance from the mean in sigmas on
    the bad side (positive: worse than the mean)."""
    held = []
    for rule in RULES:
        width, needed, sigmas = _WINDOWS[rule]
        if i + 1 < width:
            continue
        window = z[i + 1 - width : i + 1]
        if sum(1 for d in window if d > sigmas) >= needed:
            held.append(rule)
    return tuple(held)


def signal(series: SpcSeries, min_shifts: int) -> SpcSignal | None:
    """The latest run of points at which a rule held, if there is one (None: too few points,
    no spread, or no rule ever held)."""
    points = series.points
    if len(points) < min_shifts:
        return None
    base = baseline([p.value for p in points])
    if base is None:
        return None
    side = BAD_SIDE[series.metric]
    z = [side * (p.value - base.mean) / base.sigma for p in points]
    held = [rules_at(z, i) for i in range(len(points))]
    last = len(points) - 1
    # the latest point at which a rule held, then back to the start of its run
    end = next((i for i in range(last, -1, -1) if held[i]), None)
    if end is None:
        return None
    start = end
    while start > 0 and held[start - 1]:
        start -= 1
    return SpcSignal(
        series=series,
        baseline=base,
        rules=held[end],
        started_at=points[start].period_end,
        resolved_at=None if end == last else points[end + 1].period_end,
        value=points[last].value,
    )


def signals(
    series: Sequence[SpcSeries], *, min_shifts: int, resolved_since: datetime
) -> list[SpcSignal]:
    """The signals of every series: firing ones, and those resolved since `resolved_since`."""
    out = []
    for s in series:
        found = signal(s, min_shifts)
        if found is not None and (found.resolved_at is None or found.resolved_at >= resolved_since):
            out.append(found)
    return out


def as_pct(ratio: float) -> Decimal:
    """A ratio as a percentage to two decimals (what an alert carries)."""
    return Decimal(str(round(ratio * 100, 2)))


def limit(signal: SpcSignal) -> float:
    """The control limit the first of the signal's rules reads (rule 4: the mean)."""
    sigmas = _WINDOWS[min(signal.rules)][2]
    return signal.baseline.mean + BAD_SIDE[signal.series.metric] * sigmas * signal.baseline.sigma


def trend_alert(found: SpcSignal) -> Alert:
    """The alert of a signal: one per work center and metric (TREND:<work center>:<metric>),
    a warning: an early sign, not a stop."""
    series = found.series
    return Alert(
        key=f"{AlertKind.TREND}:{series.work_center_id}:{series.metric}",
        severity=Severity.WARNING,
        work_center_id=series.work_center_id,
        work_center_code=series.work_center_code,
        detail=TrendDetail(
            metric=series.metric.value,
            rules=found.rules,
            value_pct=as_pct(found.value),
            mean_pct=as_pct(found.baseline.mean),
            sigma_pct=as_pct(found.baseline.sigma),
            shifts=found.baseline.shifts,
        ),
        started_at=found.started_at,
        resolved_at=found.resolved_at,
        value=as_pct(found.value),
        threshold=as_pct(limit(found)),
    )
