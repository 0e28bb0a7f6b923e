"""The panel registry: the one list of what the monitor polls.

A *panel* here is one poll of the main screen: its name (the key of `[intervals]` in the config
file and of `--interval PANEL=SECONDS`), its default seconds between polls, and what it fetches
from PlantData. Config (`Intervals`, `STILL`, the `--interval` parsing), the CLI help,
`panel_calls` (bench, `floorwatch check`) and the app's polls all derive from `PANELS`.

Each entry names the plant tables its fetch `reads`: with push refresh on (db/changes.py) a
change notice naming one of them fetches it at once. A change to `facilities` (its shift pattern,
its time zone) fetches every poll.

A *drill-down* poll belongs to the work-center screen; it has its own name and runs at the
interval of the panel it `follows` (it has no key of its own in the config). A *view* poll
belongs to a screen of the facility's own (the losses screen) and follows a panel the same way.

Define entries only with `panel()`, `drill_down()` and `view()`: they register them, and refuse
a duplicate name or a default out of bounds when this module is imported."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from floorwatch.domain.plant_time import local_day

if TYPE_CHECKING:
    from floorwatch.db.plant import LossWindows, PlantData, ShiftPair
    from floorwatch.domain.models import (
        Alert,
        FacilitySummary,
        OeePoint,
        RunSummary,
        StatusChange,
        TrendLine,
        WorkCenterSummary,
        WorkCenterUtilization,
    )
    from floorwatch.domain.reliability import Reliability
    from floorwatch.domain.shift_report import ShiftReport

T = TypeVar("T")
Fetch = Callable[["PlantData", datetime], Awaitable[T]]
WorkCenterFetch = Callable[["PlantData", datetime, uuid.UUID], Awaitable[T]]

# Bounds of an interval. A poll faster than a second only loads the server (tests inject
# faster ones through config.Intervals.injected).
MIN_POLL_S = 1.0
MAX_POLL_S = 3600.0
TREND_DAYS = 14  # the trends panel: the last 14 plant-local days, 3 shifts a day (as many
# bars as fit the width)
RUN_LIMIT = 200  # the run list's rows
CHART_DAYS = 14  # the drill-down chart: two weeks of shifts
RECENT_RUN_LIMIT = 50


# the plant tables (as the change notices of migrations/V009 name them)
WORK_CENTERS_T = "work_centers"
ORDERS_T = "production_orders"
RUNS_T = "production_runs"
OEE_T = "oee_calculations"
STATUS_T = "equipment_status_log"
FACILITIES_T = "facilities"
Reads = frozenset[str]


def reads(*tables: str) -> Reads:
    return frozenset({*tables, FACILITIES_T})


@dataclass(frozen=True)
class PanelSpec(Generic[T]):
    name: str
    default_seconds: float
    fetch: Fetch[T]
    reads: Reads

    @property
    def interval_key(self) -> str:
        return self.name


@dataclass(frozen=True)
class DrillDownSpec(Generic[T]):
    name: str
    follows: PanelSpec[Any]  # polled at this panel's interval
    fetch: WorkCenterFetch[T]
    reads: Reads

    @property
    def interval_key(self) -> str:
        return self.follows.name

    def of(self, work_center_id: uuid.UUID) -> Fetch[T]:
        """The fetch for one work center."""
        return lambda data, now: self.fetch(data, now, work_center_id)


@dataclass(frozen=True)
class ViewSpec(Generic[T]):
    name: str
    follows: PanelSpec[Any]  # polled at this panel's interval
    fetch: Fetch[T]
    reads: Reads

    @property
    def interval_key(self) -> str:
        return self.follows.name


_panels: list[PanelSpec[Any]] = []
_drill_downs: list[DrillDownSpec[Any]] = []
_views: list[ViewSpec[Any]] = []


def _check_name(name: str) -> None:
    taken = {p.name for p in _panels} | {d.name for d in _drill_downs} | {v.name for v in _views}
    if not name.isidentifier() or name in taken:
        raise ValueError(f"panel registry: {name!r} is not a new identifier")


def panel(name: str, default_seconds: float, fetch: Fetch[T], reads: Reads) -> PanelSpec[T]:
    _check_name(name)
    if not MIN_POLL_S <= default_seconds <= MAX_POLL_S:
        raise ValueError(f"panel registry: {name} default of {default_seconds} s out of bounds")
    spec = PanelSpec(name, default_seconds, fetch, reads)
    _panels.append(spec)
    return spec


def drill_down(
    name: str, follows: PanelSpec[Any], fetch: WorkCenterFetch[T], reads: Reads
) -> DrillDownSpec[T]:
    _check_name(name)
    if follows not in _panels:
        raise ValueError(f"panel registry: {name} follows {follows.name}, which is not a panel")
    spec = DrillDownSpec(name, follows, fetch, reads)
    _drill_downs.append(spec)
    return spec


def view(name: str, follows: PanelSpec[Any], fetch: Fetch[T], reads: Reads) -> ViewSpec[T]:
    _check_name(name)
    if follows not in _panels:
        raise ValueError(f"panel registry: {name} follows {follows.name}, which is not a panel")
    spec = ViewSpec(name, follows, fetch, reads)
    _views.append(spec)
    return spec


# --- the main screen's panels (the ERP dashboard's default intervals) ---


async def _summary(data: PlantData, now: datetime) -> FacilitySummary:
    return await data.summary(now)


async def _work_centers(data: PlantData, now: datetime) -> list[WorkCenterSummary]:
    return await data.work_centers(now)


async def _utilization(data: PlantData, now: datetime) -> list[WorkCenterUtilization]:
    return await data.utilization(now)


async def _runs(data: PlantData, now: datetime) -> list[RunSummary]:
    return await data.runs(now, limit=RUN_LIMIT)


async def _trends(data: PlantData, now: datetime) -> list[TrendLine]:
    return await data.trend_lines(now, shifts=3 * TREND_DAYS, days=TREND_DAYS)


async def _alerts(data: PlantData, now: datetime) -> list[Alert]:
    return await data.alerts(now)


async def _shift(data: PlantData, now: datetime) -> ShiftReport:
    return await data.current_shift(now)


SUMMARY = panel("summary", 30, _summary, reads(WORK_CENTERS_T, RUNS_T, OEE_T))
WORK_CENTERS = panel("work_centers", 30, _work_centers, reads(WORK_CENTERS_T, RUNS_T, OEE_T))
UTILIZATION = panel(
    "utilization", 10, _utilization, reads(WORK_CENTERS_T, ORDERS_T, RUNS_T, STATUS_T)
)
RUNS = panel("runs", 5, _runs, reads(WORK_CENTERS_T, ORDERS_T, RUNS_T, STATUS_T))
TRENDS = panel("trends", 60, _trends, reads(WORK_CENTERS_T, OEE_T))
ALERTS = panel("alerts", 5, _alerts, reads(WORK_CENTERS_T, RUNS_T, OEE_T, STATUS_T))
SHIFT = panel(
    "shift", 30, _shift, reads(WORK_CENTERS_T, OEE_T, STATUS_T)
)  # pace: the grid, the facility panel, the wall, the shift screen


# --- the work-center drill-down ---


async def _breakdown(
    data: PlantData, now: datetime, work_center_id: uuid.UUID
) -> list[WorkCenterSummary]:
    return await data.work_centers(now)  # the panel picks its work center's row


async def _chart(data: PlantData, now: datetime, work_center_id: uuid.UUID) -> list[OeePoint]:
    today = local_day(now, data.scope.timezone).local_date
    first = today - timedelta(days=CHART_DAYS - 1)
    return await data.trends(first, today, per="shift", work_center_id=work_center_id)


async def _state_history(
    data: PlantData, now: datetime, work_center_id: uuid.UUID
) -> list[StatusChange]:
    since = min(local_day(now, data.scope.timezone).start, now - timedelta(hours=24))
    return await data.status_changes(work_center_id, since)


async def _recent_runs(
    data: PlantData, now: datetime, work_center_id: uuid.UUID
) -> list[RunSummary]:
    return await data.runs(now, work_center_id=work_center_id, limit=RECENT_RUN_LIMIT)


async def _work_center_losses(
    data: PlantData, now: datetime, work_center_id: uuid.UUID
) -> LossWindows:
    return await data.loss_windows(now)  # the panel picks its work center's figures


async def _reliability(
    data: PlantData, now: datetime, work_center_id: uuid.UUID
) -> tuple[Reliability, ...]:
    return await data.reliability(work_center_id, now)


BREAKDOWN = drill_down("breakdown", WORK_CENTERS, _breakdown, WORK_CENTERS.reads)
CHART = drill_down("chart", TRENDS, _chart, reads(WORK_CENTERS_T, OEE_T))
STATE_HISTORY = drill_down("state_history", UTILIZATION, _state_history, reads(RUNS_T, STATUS_T))
RECENT_RUNS = drill_down("recent_runs", RUNS, _recent_runs, RUNS.reads)
WORK_CENTER_LOSSES = drill_down(
    "work_center_losses", TRENDS, _work_center_losses, reads(WORK_CENTERS_T, OEE_T, STATUS_T)
)
RELIABILITY = drill_down("reliability", TRENDS, _reliability, reads(OEE_T, STATUS_T))


# --- the facility's screens of their own ---


async def _losses(data: PlantData, now: datetime) -> LossWindows:
    return await data.loss_windows(now)


async def _shifts(data: PlantData, now: datetime) -> ShiftPair:
    return await data.shift_pair(now)  # the shift screen steps back with its own fetch


LOSSES = view("losses", TRENDS, _losses, reads(WORK_CENTERS_T, OEE_T, STATUS_T))
SHIFTS = view("shifts", SHIFT, _shifts, SHIFT.reads)

PANELS: tuple[PanelSpec[Any], ...] = tuple(_panels)
DRILL_DOWNS: tuple[DrillDownSpec[Any], ...] = tuple(_drill_downs)
VIEWS: tuple[ViewSpec[Any], ...] = tuple(_views)


def panel_names() -> tuple[str, ...]:
    return tuple(p.name for p in PANELS)


def interval_key_of(name: str) -> str:
    """The `[intervals]` key a panel, drill-down or view of this name is polled at."""
    for spec in (*PANELS, *DRILL_DOWNS, *VIEWS):
        if spec.name == name:
            return spec.interval_key
    raise KeyError(name)


def reads_of(name: str) -> Reads | None:
    """The tables the panel, drill-down or view of this name reads (None: not in the registry,
    e.g. a test's own poll, which any change notice fetches)."""
    for spec in (*PANELS, *DRILL_DOWNS, *VIEWS):
        if spec.name == name:
            return spec.reads
    return None
