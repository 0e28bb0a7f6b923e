"""OEE arithmetic after ISO 22400-2, in one place.

Inputs are sums of times and counts; ratios are computed from the sums only, so an aggregate
over shifts or work centers is the ratio of the summed times and counts, never an average of
percentages.

    availability = APT / PBT                  (run time / planned busy time)
    performance  = sum(ICT x produced) / APT  (ideal cycle time x produced / run time)
    quality      = good / produced
    OEE          = availability x performance x quality

For a single work center and period OEE reduces to ICT x good / PBT. Performance may exceed
1 (the rated speed was beaten); it is reported as it is, not clamped.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

ZERO = Decimal(0)


class OeeTotals(BaseModel):
    """Summable OEE inputs. Times in minutes, ideal time in seconds."""

    model_config = ConfigDict(frozen=True)

    planned_minutes: Decimal = Field(default=ZERO, ge=0)
    runtime_minutes: Decimal = Field(default=ZERO, ge=0)
    produced: int = Field(default=0, ge=0)
    good: int = Field(default=0, ge=0)
    # sum over rows of ideal_cycle_time_seconds x pieces produced
    ideal_seconds: Decimal = Field(default=ZERO, ge=0)

    @classmethod
    def of_period(
        cls,
        *,
        planned_minutes: Decimal | int,
        downtime_minutes: Decimal | int,
        produced: int,
        good: int,
        ideal_cycle_time_seconds: Decimal | int | float,
    ) -> Self:
        """Totals of one work center over one period."""
        planned = Decimal(planned_minutes)
        runtime = max(ZERO, planned - Decimal(downtime_minutes))
        ict = Decimal(str(ideal_cycle_time_seconds))
        return cls(
            planned_minutes=planned,
            runtime_minutes=runtime,
            produced=produced,
            good=good,
            ideal_seconds=ict * produced,
        )

    def __add__(self, other: OeeTotals) -> OeeTotals:
        return OeeTotals(
            planned_minutes=self.planned_minutes + other.planned_minutes,
            runtime_minutes=self.runtime_minutes + other.runtime_minutes,
            produced=self.produced + other.produced,
            good=self.good + other.good,
            ideal_seconds=self.ideal_seconds + other.ideal_seconds,
        )

    @property
    def downtime_minutes(self) -> Decimal:
        return self.planned_minutes - self.runtime_minutes

    @property
    def availability(self) -> Decimal | None:
        if self.planned_minutes == 0:
            return None
        return self.runtime_minutes / self.planned_minutes

    @property
    def performance(self) -> Decimal | None:
        if self.runtime_minutes == 0:
            return None
        return self.ideal_seconds / (self.runtime_minutes * 60)

    @property
    def quality(self) -> Decimal | None:
        if self.produced == 0:
            return None
        return Decimal(self.good) / Decimal(self.produced)

    @property
    def oee(self) -> Decimal | None:
        """None when nothing was planned; 0 when planned time produced nothing."""
        a = self.availability
        if a is None:
            return None
        p = self.performance
        q = self.quality
        if a == 0 or p is None or p == 0 or q is None:
            return ZERO
        return a * p * q


def sum_totals(items: list[OeeTotals]) -> OeeTotals:
    """Field by field, one model at the end (trends add up hundreds of shift rows)."""
    return OeeTotals(
        planned_minutes=sum((t.planned_minutes for t in items), ZERO),
        runtime_minutes=sum((t.runtime_minutes for t in items), ZERO),
        produced=sum(t.produced for t in items),
        good=sum(t.good for t in items),
        ideal_seconds=sum((t.ideal_seconds for t in items), ZERO),
    )


def weighted_target(target_x_planned: Decimal | None, planned_minutes: Decimal) -> Decimal | None:
    """The OEE target of an aggregate (a day, a facility, a window), the one definition: each
    row's target weighted by its planned time, sum(target x planned) / sum(planned), from the
    two sums (never an average of the rows' percentages). None when nothing was planned."""
    if not planned_minutes:
        return None
    return (target_x_planned or ZERO) / planned_minutes


def as_percent(ratio: Decimal | None, places: int = 2) -> Decimal | None:
    """A ratio as a percentage rounded half-up to `places` (the ERP's numeric(…, 2))."""
    if ratio is None:
        return None
    return (ratio * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class OeeBand(IntEnum):
    """Where an OEE figure stands against its target. The colour of every OEE figure and bar
    and the severity of the low-OEE alert are read from this one definition, with the critical
    gap from the config ([alerts] oee_critical_gap_pct)."""

    ON_TARGET = 0
    BELOW = 1
    CRITICAL = 2  # the critical gap or more below the target


def oee_band(
    oee: Decimal | None, target_pct: Decimal | None, critical_gap_pct: float
) -> OeeBand | None:
    """The band of an OEE ratio against a target in percent; None without either."""
    if oee is None or target_pct is None:
        return None
    gap = target_pct - oee * 100
    if gap <= 0:
        return OeeBand.ON_TARGET
    return OeeBand.CRITICAL if gap >= Decimal(str(critical_gap_pct)) else OeeBand.BELOW


def band_edges(critical_gap_pct: float) -> tuple[Decimal, Decimal]:
    """How far below the target each band above ON_TARGET begins, in points."""
    return Decimal(0), Decimal(str(critical_gap_pct))
