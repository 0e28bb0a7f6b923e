"""Where a window's planned time went: the six losses and the downtime Pareto (README: Numbers).

Times come from the status log, clipped to the window: productive, setup, unplanned stops
(breakdown, no operator, no material) lasting at least the small-stop threshold, small stops
(those lasting less, by the stop's whole length), planned downtime. Planned time (ISO 22400
planned busy time) is productive + setup + unplanned + small stops: planned downtime is taken
out of it, time without a status row counts nowhere. The pieces' ideal time comes from the
window's OEE rows (ideal cycle time x pieces, row by row).

    unplanned_stops, planned_stops (setup), small_stops   stop minutes
    slow_cycles = productive - ideal time of the pieces produced  (negative: faster than rated)
    scrap, rework = ideal time of the scrapped / reworked pieces
    fully_productive = ideal time of the good pieces

so the six losses plus fully productive time are the planned time, exactly."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from floorwatch.domain.models import EquipmentState, ErpText, FrozenModel

ZERO = Decimal(0)
SIXTY = Decimal(60)
UNPLANNED = frozenset(
    {EquipmentState.BREAKDOWN, EquipmentState.NO_OPERATOR, EquipmentState.NO_MATERIAL}
)
STOPS = UNPLANNED | {EquipmentState.SETUP}  # the stops inside planned time (the Pareto's)


class LossKind(StrEnum):
    UNPLANNED_STOPS = "unplanned_stops"
    PLANNED_STOPS = "planned_stops"
    SMALL_STOPS = "small_stops"
    SLOW_CYCLES = "slow_cycles"
    SCRAP = "scrap"
    REWORK = "rework"


# how people read the loss kinds and the stop states (the report, the losses screen)
LOSS_WORDS = {
    LossKind.UNPLANNED_STOPS: "unplanned stops",
    LossKind.PLANNED_STOPS: "planned stops (setup)",
    LossKind.SMALL_STOPS: "small stops",
    LossKind.SLOW_CYCLES: "slow cycles",
    LossKind.SCRAP: "scrap",
    LossKind.REWORK: "rework",
}
LOSS_SHORT_WORDS = {  # a table's column
    LossKind.UNPLANNED_STOPS: "unplanned",
    LossKind.PLANNED_STOPS: "setup",
    LossKind.SMALL_STOPS: "small stops",
    LossKind.SLOW_CYCLES: "slow cycles",
    LossKind.SCRAP: "scrap",
    LossKind.REWORK: "rework",
}
STATE_WORDS = {
    EquipmentState.BREAKDOWN: "breakdown",
    EquipmentState.NO_OPERATOR: "no operator",
    EquipmentState.NO_MATERIAL: "no material",
    EquipmentState.SETUP: "setup",
}


class LossRules(BaseModel):
    """[losses] in the config file."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    small_stop_minutes: float = Field(default=5, gt=0, le=240)


class StateMinutes(FrozenModel):
    """One work center's status rows of one state and reason in a window (db/sql/shift_states)."""

    work_center_id: uuid.UUID
    status: EquipmentState
    reason_code: ErpText | None
    reason_description: ErpText | None
    small: bool  # an unplanned stop shorter than the small-stop threshold
    minutes: Decimal  # clipped to the window
    stops: int | None  # rows overlapping the window (None: an ERP's loss column, not counted)


class StateTimes(FrozenModel):
    """Minutes of a window by state group."""

    productive: Decimal = ZERO
    setup: Decimal = ZERO
    unplanned: Decimal = ZERO  # unplanned stops at or over the small-stop threshold
    small_stops: Decimal = ZERO
    planned_down: Decimal = ZERO

    @property
    def planned(self) -> Decimal:
        """Planned (busy) time: everything but planned downtime."""
        return self.productive + self.setup + self.unplanned + self.small_stops

    @property
    def downtime(self) -> Decimal:
        """Unplanned stop minutes, small ones included (the pace's Downtime)."""
        return self.unplanned + self.small_stops

    def __add__(self, other: StateTimes) -> StateTimes:
        return StateTimes(
            productive=self.productive + other.productive,
            setup=self.setup + other.setup,
            unplanned=self.unplanned + other.unplanned,
            small_stops=self.small_stops + other.small_stops,
            planned_down=self.planned_down + other.planned_down,
        )


def state_times(rows: Iterable[StateMinutes]) -> StateTimes:
    sums = dict.fromkeys(("productive", "setup", "unplanned", "small_stops", "planned_down"), ZERO)
    for r in rows:
        if r.status == EquipmentState.PRODUCTIVE:
            key = "productive"
        elif r.status == EquipmentState.SETUP:
            key = "setup"
        elif r.status == EquipmentState.PLANNED_DOWNTIME:
            key = "planned_down"
        else:
            key = "small_stops" if r.small else "unplanned"
        sums[key] += r.minutes
    return StateTimes(**sums)


class Losses(FrozenModel):
    """The six losses of a window in minutes, and the fully productive time."""

    unplanned_stops: Decimal = ZERO
    planned_stops: Decimal = ZERO
    small_stops: Decimal = ZERO
    slow_cycles: Decimal = ZERO
    scrap: Decimal = ZERO
    rework: Decimal = ZERO
    fully_productive: Decimal = ZERO

    def of(self, kind: LossKind) -> Decimal:
        value: Decimal = getattr(self, kind.value)
        return value

    @property
    def total(self) -> Decimal:
        return sum((self.of(k) for k in LossKind), ZERO)

    def top(self) -> LossKind | None:
        """The biggest loss (the first kind on a tie); None when nothing was lost."""
        kind = max(LossKind, key=self.of)
        return kind if self.of(kind) > 0 else None

    def __add__(self, other: Losses) -> Losses:
        return Losses(**{f: getattr(self, f) + getattr(other, f) for f in Losses.model_fields})


def losses_of(
    times: StateTimes,
    *,
    ideal_produced_s: Decimal,
    ideal_good_s: Decimal,
    ideal_rework_s: Decimal,
) -> Losses:
    """The six losses from the window's state minutes and the ideal seconds of its pieces;
    rejects beyond the reworked pieces (scrap, and defective pieces a row does not split) are
    scrap."""
    rejects = ideal_produced_s - ideal_good_s
    return Losses(
        unplanned_stops=times.unplanned,
        planned_stops=times.setup,
        small_stops=times.small_stops,
        slow_cycles=times.productive - ideal_produced_s / SIXTY,
        scrap=(rejects - ideal_rework_s) / SIXTY,
        rework=ideal_rework_s / SIXTY,
        fully_productive=ideal_good_s / SIXTY,
    )


class ParetoEntry(FrozenModel):
    """The stops of one reason: its code, or (no code) the state it was logged with."""

    reason_code: ErpText | None
    status: EquipmentState | None  # the state, for a stop logged without a reason code
    description: ErpText | None
    minutes: Decimal
    count: int | None  # None: from an ERP's loss column, which counts no stops
    share: Decimal  # of the Pareto's minutes, 0..1
    cumulative: Decimal


def pareto(rows: Iterable[StateMinutes]) -> list[ParetoEntry]:
    """The stops inside planned time (unplanned, small, setup) by reason, most minutes first
    (then most stops, then the reason), with each one's share and the cumulative share."""
    groups: dict[tuple[str, str], list[StateMinutes]] = {}
    for r in rows:
        if r.status not in STOPS or r.minutes <= 0:
            continue
        key = ("code", r.reason_code) if r.reason_code else ("state", r.status.value)
        groups.setdefault(key, []).append(r)
    total = sum((r.minutes for g in groups.values() for r in g), ZERO)
    entries = []
    for (kind, name), members in groups.items():
        counts = [m.stops for m in members]
        descriptions = sorted(m.reason_description for m in members if m.reason_description)
        entries.append(
            (
                sum((m.minutes for m in members), ZERO),
                None if None in counts else sum(c for c in counts if c is not None),
                kind,
                name,
                descriptions[0] if descriptions else None,
            )
        )
    entries.sort(key=lambda e: (-e[0], -(e[1] or 0), e[2], e[3]))
    out: list[ParetoEntry] = []
    running = ZERO
    for minutes, count, kind, name, description in entries:
        running += minutes
        out.append(
            ParetoEntry(
                reason_code=name if kind == "code" else None,
                status=EquipmentState(name) if kind == "state" else None,
                description=description,
                minutes=minutes,
                count=count,
                share=minutes / total,
                cumulative=running / total,
            )
        )
    return out


def reason_label(entry: ParetoEntry) -> str:
    """The reason code, or `(breakdown, no reason)` for a stop logged without one."""
    if entry.reason_code:
        return entry.reason_code
    word = STATE_WORDS.get(entry.status, "stop") if entry.status else "stop"
    return f"({word}, no reason)"
