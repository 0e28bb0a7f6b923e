"""PlantData: the one object a monitor asks for data — a Database bound to one facility.

Widgets never see SQL or connections: they call these methods from workers and render the
models they get back."""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from floorwatch.db import queries
from floorwatch.db.pool import Database
from floorwatch.domain import spc
from floorwatch.domain.alert_memo import SettledAlerts
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.losses import LossRules
from floorwatch.domain.models import (
    Alert,
    FacilitySummary,
    OeePoint,
    RunStatus,
    RunSummary,
    Scope,
    StatusChange,
    TrendLine,
    WorkCenterSummary,
    WorkCenterUtilization,
)
from floorwatch.domain.plant_time import local_day, production_day
from floorwatch.domain.reliability import Reliability
from floorwatch.domain.shift_report import ShiftReport
from floorwatch.domain.shift_window import ShiftWindow, day_window, previous_shift, shift_at
from floorwatch.domain.trends import TrendPart, compact_lines, trend_lines_of
from floorwatch.panels import PANELS, VIEWS


class PlantData:
    def __init__(
        self,
        db: Database,
        scope: Scope,
        rules: AlertRules | None = None,
        *,
        losses: LossRules | None = None,
    ) -> None:
        self.db = db
        self.scope = scope
        self.rules = rules or AlertRules()
        self.losses = losses or LossRules()
        self._closed: OrderedDict[str, ShiftReport] = OrderedDict()
        self._trends: tuple[tuple[str, bool], list[Alert]] | None = None
        self._usual: queries.SetupUsual | None = None
        self._settled = SettledAlerts()  # the alerts of settled facts, poll to poll
        # the trends panel's closed shifts: (first, last day, running shift start, settled)
        self._trend_rows: tuple[tuple[date, date, datetime, bool], TrendPart] | None = None

    async def summary(self, now: datetime) -> FacilitySummary:
        return await queries.facility_summary(self.db, self.scope, now)

    async def work_centers(self, now: datetime) -> list[WorkCenterSummary]:
        return await queries.work_center_summaries(self.db, self.scope, now)

    async def utilization(self, now: datetime) -> list[WorkCenterUtilization]:
        return await queries.utilization(self.db, self.scope, now)

    async def runs(
        self,
        now: datetime,
        *,
        work_center_id: uuid.UUID | None = None,
        statuses: list[RunStatus] | None = None,
        limit: int = 200,
    ) -> list[RunSummary]:
        return await queries.run_summaries(
            self.db, self.scope, now, work_center_id=work_center_id, statuses=statuses, limit=limit
        )

    async def trends(
        self,
        first: date,
        last: date,
        *,
        per: str = "shift",
        work_center_id: uuid.UUID | None = None,
    ) -> list[OeePoint]:
        return await queries.oee_trends(
            self.db, self.scope, first, last, per=per, work_center_id=work_center_id
        )

    async def trend_lines(
        self, now: datetime, *, shifts: int = 21, days: int = 7, exact: bool = False
    ) -> list[TrendLine]:
        """The trends panel: the facility's line first, then one per work center by code, over
        the last `days` plant-local days, with bars for the last `shifts` shift periods.
        Bars are float ratios; `exact` computes them as Decimals from the shift rows (slower)."""
        today = local_day(now, self.scope.timezone).local_date
        first = today - timedelta(days=days - 1)
        if exact:
            return trend_lines_of(await self.trends(first, today), shifts)
        # the closed shifts' rows (periods starting before the running shift) are read once,
        # again when a shift has closed or the day has rolled over, and once more when the
        # just-closed shift has settled (late rows); each poll reads the running shift's
        running = shift_at(now, self.scope)
        key = (first, today, running.start, now >= running.start + SETTLED_AFTER)
        if self._trend_rows is None or self._trend_rows[0] != key:
            closed = await queries.trend_part(
                self.db, self.scope, first, today, until=running.start
            )
            self._trend_rows = (key, closed)
        # a row whose period starts in the running shift is of its production day or later;
        # a day earlier still, for a calculation_date the ERP gives by the calendar
        since_day = production_day(running.start, self.scope.timezone, self.scope.first_shift_start)
        open_ = await queries.trend_part(
            self.db,
            self.scope,
            max(first, since_day - timedelta(days=1)),
            today,
            since=running.start,
        )
        return compact_lines(self._trend_rows[1], open_, shifts)

    async def alerts(self, now: datetime) -> list[Alert]:
        """The rules' alerts and the SPC trend alerts (README: Numbers, Alerts)."""
        usual = await self.setup_usual(now)
        found = await queries.active_alerts(
            self.db, self.scope, now, self.rules, usual, self._settled
        )
        return found + await self.trend_alerts(now)

    async def setup_usual(self, now: datetime) -> queries.SetupUsual:
        """Each work center type's usual setup (the history before today): read once a day."""
        day_start = queries.job_windows(self.scope, now, self.rules).day_start
        if self._usual is None or self._usual.day_start != day_start:
            self._usual = await queries.read_setup_usual(self.db, self.scope, now, self.rules)
        return self._usual

    async def trend_alerts(self, now: datetime) -> list[Alert]:
        """SPC over closed shifts only: read again when a shift has closed, and once more when
        it has settled (late rows), not on every poll."""
        if not self.rules.spc:
            return []
        closed = previous_shift(shift_at(now, self.scope), self.scope)
        key = (closed.key, now >= closed.end + SETTLED_AFTER)
        if self._trends is None or self._trends[0] != key:
            series = await queries.spc_series(self.db, self.scope, now, self.rules.spc_shifts)
            day = local_day(now, self.scope.timezone)
            found = spc.signals(
                series, min_shifts=self.rules.spc_min_shifts, resolved_since=day.start
            )
            self._trends = (key, [spc.trend_alert(f) for f in found])
        return list(self._trends[1])

    async def status_changes(
        self, work_center_id: uuid.UUID, since: datetime
    ) -> list[StatusChange]:
        return await queries.status_changes(self.db, self.scope, work_center_id, since)

    async def window_report(
        self, key: str, start: datetime, end: datetime, now: datetime
    ) -> ShiftReport:
        """Pace, counts, OEE, losses and Pareto of [start, end) as of `now` (README: Numbers)."""
        return await queries.shift_report(
            self.db, self.scope, key, start, end, now, self.losses.small_stop_minutes
        )

    async def shift_report(self, window: ShiftWindow, now: datetime) -> ShiftReport:
        """A shift's report; a shift closed SETTLED_AFTER ago never changes again and is read
        from the database once (the last CLOSED_KEPT of them are kept)."""
        settled = now >= window.end + SETTLED_AFTER
        if settled and (kept := self._closed.get(window.key)) is not None:
            self._closed.move_to_end(window.key)
            return kept
        report = await self.window_report(window.key, window.start, window.end, now)
        if settled:
            self._closed[window.key] = report
            while len(self._closed) > CLOSED_KEPT:
                self._closed.popitem(last=False)
        return report

    async def shift_pair(self, now: datetime, back: int = 0) -> ShiftPair:
        """The shift `back` shifts before the current one, and the one before it."""
        shown = shift_at(now, self.scope)
        for _ in range(back):
            shown = previous_shift(shown, self.scope)
        before = previous_shift(shown, self.scope)
        return ShiftPair(
            back=back,
            shown=await self.shift_report(shown, now),
            before=await self.shift_report(before, now),
        )

    async def current_shift(self, now: datetime) -> ShiftReport:
        return await self.shift_report(shift_at(now, self.scope), now)

    async def reliability(
        self, work_center_id: uuid.UUID, now: datetime
    ) -> tuple[Reliability, ...]:
        """MTBF, MTTR and TEEP of one work center over each of RELIABILITY_DAYS up to now."""
        small = self.losses.small_stop_minutes
        return tuple(
            [
                await queries.reliability(self.db, self.scope, work_center_id, days, now, small)
                for days in RELIABILITY_DAYS
            ]
        )

    async def loss_windows(self, now: datetime) -> LossWindows:
        """The losses views' three windows: the current shift, today (the production day so
        far) and the last 7 production days (today's included)."""
        shift = shift_at(now, self.scope)
        day_start, day_end = day_window(shift.local_date, self.scope)
        week_start, _ = day_window(shift.local_date - timedelta(days=LOSS_DAYS - 1), self.scope)
        return LossWindows(
            shift=await self.shift_report(shift, now),
            today=await self.window_report(shift.local_date.isoformat(), day_start, day_end, now),
            week=await self.window_report(f"{LOSS_DAYS}d", week_start, day_end, now),
        )


LOSS_DAYS = 7
LOSS_WINDOW_LABELS = ("shift", "today", f"{LOSS_DAYS} days")  # LossWindows' windows
RELIABILITY_DAYS = (7, 30)
# Rows of a closed shift may still arrive a little late (an ERP's OEE job, an operator's entry)
SETTLED_AFTER = timedelta(minutes=15)
CLOSED_KEPT = 64


@dataclass(frozen=True)
class ShiftPair:
    back: int  # shifts before the current one
    shown: ShiftReport
    before: ShiftReport


@dataclass(frozen=True)
class LossWindows:
    shift: ShiftReport
    today: ShiftReport
    week: ShiftReport

    def reports(self) -> tuple[tuple[str, ShiftReport], ...]:
        """(label, report) of each window, in LOSS_WINDOW_LABELS' order."""
        reports = (self.shift, self.today, self.week)
        return tuple(zip(LOSS_WINDOW_LABELS, reports, strict=True))


PanelCall = Callable[[], Awaitable[Any]]


def panel_calls(data: PlantData, now: datetime, *, views: bool = True) -> dict[str, PanelCall]:
    """One call per panel of the registry (and, with `views`, per view: the shift and losses
    screens'), as the monitor makes it; without views, what the main screen polls."""
    specs = (*PANELS, *VIEWS) if views else PANELS
    return {spec.name: partial(spec.fetch, data, now) for spec in specs}
