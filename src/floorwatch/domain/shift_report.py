"""A window's figures per work center and for the facility: pace, counts, OEE, losses, Pareto.

The handover report (shift screen, `floorwatch report`), the pace in the grid, the facility panel
and the wall, and the losses views all read this one model (README: Numbers)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import cached_property

from pydantic import Field

from floorwatch.domain.losses import (
    ZERO,
    Losses,
    ParetoEntry,
    StateMinutes,
    StateTimes,
    losses_of,
    pareto,
    state_times,
)
from floorwatch.domain.models import EquipmentState, ErpText, FrozenModel
from floorwatch.domain.oee import OeeTotals, sum_totals, weighted_target
from floorwatch.domain.pace import efficiency, goal_pieces, target_pieces


class ShiftCounts(FrozenModel):
    """One work center and its OEE rows in the window, summed (db/sql/shift_counts)."""

    work_center_id: uuid.UUID
    work_center_code: ErpText
    work_center_name: ErpText
    production_rate_per_hour: Decimal | None
    oee: OeeTotals = OeeTotals()
    target_x_planned: Decimal | None = None
    defective: int = 0
    rework: int | None = None  # None: a row does not split defective pieces (an ERP's)
    ideal_good_seconds: Decimal = ZERO
    ideal_rework_seconds: Decimal = ZERO
    # the ERP's loss columns summed (None: no row fills the column)
    erp_setup_minutes: Decimal | None = None
    erp_breakdown_minutes: Decimal | None = None
    erp_no_operator_minutes: Decimal | None = None
    erp_no_material_minutes: Decimal | None = None

    @property
    def fills_erp_losses(self) -> bool:
        return any(
            v is not None
            for v in (
                self.erp_setup_minutes,
                self.erp_breakdown_minutes,
                self.erp_no_operator_minutes,
                self.erp_no_material_minutes,
            )
        )

    def erp_state_minutes(self) -> list[StateMinutes]:
        """The window's times from the ERP's loss columns (a work center without status rows):
        productive = runtime, setup and the three unplanned stops as the columns give them; the
        downtime they leave unsplit is counted as breakdown without a reason."""
        given = {
            EquipmentState.SETUP: self.erp_setup_minutes,
            EquipmentState.BREAKDOWN: self.erp_breakdown_minutes,
            EquipmentState.NO_OPERATOR: self.erp_no_operator_minutes,
            EquipmentState.NO_MATERIAL: self.erp_no_material_minutes,
        }
        split = sum((v or ZERO for v in given.values()), ZERO)
        rest = self.oee.downtime_minutes - split
        if rest > 0:
            given[EquipmentState.BREAKDOWN] = (given[EquipmentState.BREAKDOWN] or ZERO) + rest
        given[EquipmentState.PRODUCTIVE] = self.oee.runtime_minutes
        return [
            StateMinutes(
                work_center_id=self.work_center_id,
                status=status,
                reason_code=None,
                reason_description=None,
                small=False,
                minutes=minutes,
                stops=None,
            )
            for status, minutes in given.items()
            if minutes
        ]


class ShiftFigures(FrozenModel):
    """One work center (or the facility: work_center_id None) over one window."""

    work_center_id: uuid.UUID | None
    work_center_code: ErpText | None
    work_center_name: ErpText | None
    times: StateTimes
    times_from_erp: bool = False  # from the ERP's loss columns: no status row in the window
    oee: OeeTotals
    target_oee_percentage: Decimal | None  # weighted by planned time over the window's rows
    target: Decimal | None  # pieces at the rated speed in the planned time (None: no rate)
    goal: Decimal | None  # good pieces at the rated speed and OEE target in the whole window
    good: int
    scrap: int
    rework: int | None  # None: the rows do not split defective pieces (all counted as scrap)
    losses: Losses
    # the window's stop rows the Pareto is made of (its status rows, or the ERP's loss columns)
    stops: tuple[StateMinutes, ...] = Field(default=(), repr=False)

    @cached_property
    def pareto(self) -> list[ParetoEntry]:
        """Made when first read (the losses views and the report read it; the pace in the grid,
        polled far more often, does not)."""
        return pareto(self.stops)

    @property
    def actual(self) -> int:
        """Pieces produced: good + scrap + rework."""
        return self.oee.produced

    @property
    def efficiency(self) -> Decimal | None:
        return efficiency(self.actual, self.target)

    @property
    def downtime_minutes(self) -> Decimal:
        return self.times.downtime

    @property
    def scrap_rate(self) -> Decimal | None:
        """(Scrap + rework) / produced: the pieces not good first time."""
        return Decimal(self.actual - self.good) / self.actual if self.actual else None


class ShiftReport(FrozenModel):
    """A window: a shift (`key` 2026-11-02/2), a production day or the last days."""

    key: str
    start: datetime
    end: datetime
    as_of: datetime  # min(end, now): the figures stop here
    closed: bool
    work_centers: list[ShiftFigures]
    facility: ShiftFigures


def _figures(
    counts: ShiftCounts, rows: list[StateMinutes], window_minutes: Decimal
) -> ShiftFigures:
    from_erp = not rows and counts.fills_erp_losses
    if from_erp:
        rows = counts.erp_state_minutes()
    times = state_times(rows)
    oee = counts.oee
    rework = counts.rework
    target_oee = weighted_target(counts.target_x_planned, oee.planned_minutes)
    ideal_rework = counts.ideal_rework_seconds if rework is not None else ZERO
    return ShiftFigures(
        work_center_id=counts.work_center_id,
        work_center_code=counts.work_center_code,
        work_center_name=counts.work_center_name,
        times=times,
        times_from_erp=from_erp,
        oee=oee,
        target_oee_percentage=target_oee,
        target=target_pieces(counts.production_rate_per_hour, times.planned),
        goal=goal_pieces(counts.production_rate_per_hour, window_minutes, target_oee),
        good=oee.good,
        scrap=oee.produced - oee.good - (rework or 0),
        rework=rework,
        losses=losses_of(
            times,
            ideal_produced_s=oee.ideal_seconds,
            ideal_good_s=counts.ideal_good_seconds,
            ideal_rework_s=ideal_rework,
        ),
        stops=tuple(rows),
    )


def _facility(
    figures: list[ShiftFigures], counts: Sequence[ShiftCounts], rows: list[StateMinutes]
) -> ShiftFigures:
    oee = sum_totals([f.oee for f in figures])
    targets = [f.target for f in figures if f.target is not None]
    goals = [f.goal for f in figures if f.goal is not None]
    reworks = [f.rework for f in figures]
    target_x_planned = sum((c.target_x_planned or ZERO for c in counts), ZERO)
    return ShiftFigures(
        work_center_id=None,
        work_center_code=None,
        work_center_name=None,
        times=sum((f.times for f in figures), StateTimes()),
        times_from_erp=any(f.times_from_erp for f in figures),
        oee=oee,
        target_oee_percentage=weighted_target(target_x_planned, oee.planned_minutes),
        target=sum(targets, ZERO) if targets else None,
        goal=sum(goals, ZERO) if goals else None,
        good=oee.good,
        scrap=sum(f.scrap for f in figures),
        rework=None if None in reworks else sum(r for r in reworks if r is not None),
        losses=sum((f.losses for f in figures), Losses()),
        stops=tuple(rows),
    )


def assemble(
    key: str,
    start: datetime,
    end: datetime,
    now: datetime,
    counts: Sequence[ShiftCounts],
    states: Sequence[StateMinutes],
) -> ShiftReport:
    """The report of one window from its two queries: a work center per ShiftCounts (by code),
    the facility their sums (target and goal: of the work centers that have one)."""
    by_wc: dict[uuid.UUID, list[StateMinutes]] = {}
    for s in states:
        by_wc.setdefault(s.work_center_id, []).append(s)
    window_minutes = Decimal((end - start).total_seconds()) / 60
    figures = [_figures(c, by_wc.get(c.work_center_id, []), window_minutes) for c in counts]
    used: list[StateMinutes] = []
    for c, f in zip(counts, figures, strict=True):
        used.extend(c.erp_state_minutes() if f.times_from_erp else by_wc.get(c.work_center_id, []))
    return ShiftReport(
        key=key,
        start=start,
        end=end,
        as_of=max(start, min(end, now)),
        closed=now >= end,
        work_centers=figures,
        facility=_facility(figures, counts, used),
    )
