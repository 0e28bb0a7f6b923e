"""Typed results of the panel queries: what the data layer returns and the widgets render."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from floorwatch.domain.finish import Finish, FinishState
from floorwatch.domain.oee import OeeTotals
from floorwatch.text import clean

# Text people typed into the ERP (names, codes, numbers, reasons): cleaned of control and
# invisible characters as it enters a model, so no escape sequence travels further.
ErpText = Annotated[str, AfterValidator(clean)]


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class EquipmentState(StrEnum):
    PRODUCTIVE = "PRODUCTIVE"
    SETUP = "NON_PRODUCTIVE_SETUP"
    BREAKDOWN = "NON_PRODUCTIVE_BREAKDOWN"
    NO_OPERATOR = "NON_PRODUCTIVE_NO_OPERATOR"
    NO_MATERIAL = "NON_PRODUCTIVE_NO_MATERIAL"
    PLANNED_DOWNTIME = "NON_PRODUCTIVE_PLANNED_DOWNTIME"


class RunStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    IN_PROGRESS = "IN_PROGRESS"
    PAUSED = "PAUSED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Scope(FrozenModel):
    """One facility of one tenant: what a monitor shows."""

    tenant_id: uuid.UUID
    tenant_code: ErpText
    tenant_name: ErpText
    facility_id: uuid.UUID
    facility_code: ErpText
    facility_name: ErpText
    timezone: str
    # the shift pattern: the production day starts at first_shift_start (plant-local)
    first_shift_start: time = time(6, 0)
    shift_length_hours: int = 8


class Quantities(FrozenModel):
    """Piece counts; produced = good + scrap + rework (ISO 22400 produced quantity)."""

    good: int = 0
    scrap: int = 0
    rework: int = 0

    @property
    def produced(self) -> int:
        return self.good + self.scrap + self.rework

    @property
    def yield_ratio(self) -> Decimal | None:
        return Decimal(self.good) / self.produced if self.produced else None

    @property
    def scrap_rate(self) -> Decimal | None:
        return Decimal(self.scrap) / self.produced if self.produced else None


class FacilitySummary(FrozenModel):
    as_of: datetime
    local_date: date
    active_runs: int
    paused_runs: int
    scheduled_runs: int
    completed_today: int
    # quantities of the runs completed today (plant-local day), whatever day they started
    completed_quantities: Quantities
    # the pieces those runs were planned for (their quantity_planned): the wall's goal
    completed_planned: int
    # today's shifts (calculation_date = local date), summed over work centers
    oee_today: OeeTotals
    target_oee_percentage: Decimal | None  # planned-time weighted over today's rows


class WorkCenterSummary(FrozenModel):
    work_center_id: uuid.UUID
    work_center_code: ErpText
    work_center_name: ErpText
    work_center_type: ErpText
    status: ErpText
    # None: the ERP gives no (positive) rate (an adopted ERP database; floorwatch's own
    # schema requires one)
    production_rate_per_hour: Decimal | None
    is_active: bool
    oee_today: OeeTotals
    target_oee_percentage: Decimal | None
    completed_today: int
    completed_quantities: Quantities


class _PlannedPieces(FrozenModel):
    """A run's planned and counted pieces, and how far it got."""

    quantity_planned: int | None
    quantities: Quantities

    @property
    def progress(self) -> Decimal | None:
        """Good pieces over planned pieces (None when nothing is planned)."""
        if not self.quantity_planned:
            return None
        return Decimal(self.quantities.good) / self.quantity_planned


class CurrentRun(_PlannedPieces):
    run_id: uuid.UUID
    production_run_number: ErpText
    production_order_number: ErpText | None
    status: RunStatus
    actual_start: datetime | None
    scheduled_end: datetime | None = None
    finish: Finish | None = None  # time to finish (domain/finish.py)


class WorkCenterUtilization(FrozenModel):
    work_center_id: uuid.UUID
    work_center_code: ErpText
    work_center_name: ErpText
    state: EquipmentState | None  # None: no open status row
    state_since: datetime | None
    is_active: bool = True  # False: taken out of service in the ERP, shown as OFF (README: Numbers)
    reason_code: ErpText | None = None
    reason_description: ErpText | None = None
    current_run: CurrentRun | None = None
    # minutes of today (plant-local midnight .. now) per state group
    elapsed_minutes: Decimal
    productive_minutes: Decimal = Decimal(0)
    setup_minutes: Decimal = Decimal(0)
    down_minutes: Decimal = Decimal(0)  # breakdown, no operator, no material
    planned_down_minutes: Decimal = Decimal(0)

    @property
    def available_minutes(self) -> Decimal:
        return max(Decimal(0), self.elapsed_minutes - self.planned_down_minutes)

    @property
    def utilization(self) -> Decimal | None:
        """Productive minutes over today's minutes not in planned downtime."""
        available = self.available_minutes
        return self.productive_minutes / available if available else None


class RunSummary(_PlannedPieces):
    run_id: uuid.UUID
    production_run_number: ErpText
    production_order_number: ErpText | None
    work_center_id: uuid.UUID
    work_center_code: ErpText
    status: RunStatus
    operator_name: ErpText | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    finish: Finish | None = None  # an open (in progress, paused) run's time to finish


class OeePoint(FrozenModel):
    """OEE of one work center (or the facility, work_center_id None) over one period."""

    work_center_id: uuid.UUID | None
    work_center_code: ErpText | None
    calculation_date: date
    shift: ErpText | None  # None for a whole day
    period_start: datetime
    period_end: datetime
    totals: OeeTotals
    target_oee_percentage: Decimal | None


class AlertKind(StrEnum):
    LOW_OEE = "LOW_OEE"
    EQUIPMENT_DOWN = "EQUIPMENT_DOWN"
    HIGH_SCRAP = "HIGH_SCRAP"
    # job rules (domain/job_alerts.py)
    LATE_START = "LATE_START"
    BEHIND_SCHEDULE = "BEHIND_SCHEDULE"
    STALLED = "STALLED"
    NO_OUTPUT = "NO_OUTPUT"
    LONG_SETUP = "LONG_SETUP"
    TREND = "TREND"  # SPC: Western Electric rules (domain/spc.py)


class Severity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"


class DownDetail(FrozenModel):
    """A work center broken down or waiting (for an operator, for material)."""

    kind: Literal[AlertKind.EQUIPMENT_DOWN] = AlertKind.EQUIPMENT_DOWN
    state: EquipmentState
    reason: ErpText | None = None  # the reason logged with the state, if any


class LowOeeDetail(FrozenModel):
    """A shift's OEE below its target."""

    kind: Literal[AlertKind.LOW_OEE] = AlertKind.LOW_OEE
    shift: ErpText
    oee_pct: Decimal
    target_pct: Decimal
    resolve_above_pct: Decimal | None = None  # hysteresis: firing until OEE is above this


class HighScrapDetail(FrozenModel):
    """A run scrapping more than the warning share of what it produced."""

    kind: Literal[AlertKind.HIGH_SCRAP] = AlertKind.HIGH_SCRAP
    production_run_number: ErpText
    scrap_pct: Decimal
    scrap: int
    produced: int
    resolve_below_pct: Decimal | None = None  # hysteresis: firing until scrap is below this


class LateStartDetail(FrozenModel):
    """A scheduled run not started `late_start_minutes` after its scheduled start (or one that
    started that late: resolved)."""

    kind: Literal[AlertKind.LATE_START] = AlertKind.LATE_START
    production_run_number: ErpText
    minutes_late: int  # whole minutes after the scheduled start: as of now, or when it started
    started: bool = False  # the run has started (the alert is resolved then)


class BehindScheduleDetail(FrozenModel):
    """A running job whose expected finish (domain/finish.py) falls after its scheduled end,
    or one that finished after it (resolved)."""

    kind: Literal[AlertKind.BEHIND_SCHEDULE] = AlertKind.BEHIND_SCHEDULE
    production_run_number: ErpText
    # EXPECTED, NO_RATE or FAR as time_to_finish says; None: the run has finished
    finish_state: FinishState | None
    # whole minutes past the scheduled end: of the expected finish (EXPECTED), of now
    # (NO_RATE), of the actual end (finished); None for FAR
    minutes_late: int | None


class StalledDetail(FrozenModel):
    """A running job whose counts have not moved while its work center is productive."""

    kind: Literal[AlertKind.STALLED] = AlertKind.STALLED
    production_run_number: ErpText
    minutes: int  # whole minutes without a count while productive (up to now or its end)


class NoOutputDetail(FrozenModel):
    """A work center with planned time in the last closed shift and no piece made in it."""

    kind: Literal[AlertKind.NO_OUTPUT] = AlertKind.NO_OUTPUT
    shift_date: date  # the shift's production day
    shift_number: int
    planned_minutes: Decimal


class LongSetupDetail(FrozenModel):
    """A setup (make-ready) longer than `setup_factor` times the usual for its work center's
    type."""

    kind: Literal[AlertKind.LONG_SETUP] = AlertKind.LONG_SETUP
    work_center_type: ErpText
    minutes: int  # whole minutes of this setup (up to now or its end)
    usual_minutes: Decimal  # the median of the type's past setups
    reason: ErpText | None = None  # the reason logged with the setup, if any


class TrendDetail(FrozenModel):
    """A work center's per-shift OEE or scrap rate out of statistical control against its own
    last closed shifts (Western Electric rules, domain/spc.py)."""

    kind: Literal[AlertKind.TREND] = AlertKind.TREND
    metric: Literal["oee", "scrap"]
    rules: tuple[int, ...]  # the rules that held (1-4)
    value_pct: Decimal  # the latest closed shift's
    mean_pct: Decimal
    sigma_pct: Decimal
    shifts: int  # the baseline's


# What an alert says happened, as facts: the UI words them (ui/alert_text.py).
AlertDetail = Annotated[
    DownDetail
    | LowOeeDetail
    | HighScrapDetail
    | LateStartDetail
    | BehindScheduleDetail
    | StalledDetail
    | NoOutputDetail
    | LongSetupDetail
    | TrendDetail,
    Field(discriminator="kind"),
]


class Alert(FrozenModel):
    """One alert as its rule reports it from the data, before the monitor's lifecycle
    (domain/alert_log.py) adds what only it knows: acknowledged, muted, escalated."""

    key: str = Field(description="stable across polls and processes for the same condition")
    severity: Severity
    work_center_id: uuid.UUID
    work_center_code: ErpText
    detail: AlertDetail
    started_at: datetime  # when the condition began, from the data
    resolved_at: datetime | None = None
    # when it starts firing: started_at + the rule's `for` (None: at once); pending before
    fires_at: datetime | None = None
    # the value judged and the threshold it crossed, in the rule's unit (minutes, percent)
    value: Decimal | None = None
    threshold: Decimal | None = None
    # inside the rule's hysteresis band: keeps an alert that is already firing from
    # resolving, but does not start one
    holds_only: bool = False
    # how many times it ended and began again within the re-open window (one alert, not many)
    reopened: int = 0
    # set by the alert log: a warning left unacknowledged past escalate_minutes, now critical
    escalated: bool = False

    @property
    def firing_from(self) -> datetime:
        return self.fires_at or self.started_at

    def pending_at(self, now: datetime) -> bool:
        return self.active and now < self.firing_from

    @property
    def kind(self) -> AlertKind:
        return self.detail.kind

    @property
    def active(self) -> bool:
        return self.resolved_at is None


class StatusChange(FrozenModel):
    """One row of equipment_status_log, for the drill-down timeline."""

    status: EquipmentState
    previous_status: EquipmentState | None
    status_start: datetime
    status_end: datetime | None
    reason_code: ErpText | None
    reason_description: ErpText | None
    production_run_number: ErpText | None


class TrendLine(FrozenModel):
    """What the trends panel shows of one work center (or the facility, work_center_id None)
    over the last plant-local days: one bar per recent shift period of the facility, the
    latest row's totals and the summed totals of the whole window."""

    work_center_id: uuid.UUID | None
    work_center_code: ErpText | None
    # OEE ratio of each of the facility's most recent shift periods, oldest first (the same
    # periods on every line); None: no row then, or nothing planned. A float computed from the
    # exact sums (bar heights), or the exact Decimal when asked for (TrendLines exact=True).
    ratios: list[Decimal | float | None]
    # how many of the facility's periods came after this line's latest row (0: it has a row in
    # the latest period); the facility line is always 0
    last_age: int
    last: OeeTotals  # the latest row's totals (facility: the latest period's sums)
    period: OeeTotals  # summed over every row of the window
    # work center: the latest row's target; facility: weighted by planned time over the window
    target_oee_percentage: Decimal | None
