"""PlantData: the one object a monitor asks for data — a Database bound to one facility.

Widgets never see SQL or connections: they call these methods from workers and render the
models they get back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from floorwatch.db import queries
from floorwatch.db.pool import Database
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import (
    Alert,
    FacilitySummary,
    OeePoint,
    RunStatus,
    RunSummary,
    Scope,
    StatusChange,
    WorkCenterSummary,
    WorkCenterUtilization,
)
from floorwatch.domain.plant_time import local_day


class PlantData:
    def __init__(self, db: Database, scope: Scope, rules: AlertRules | None = None) -> None:
        self.db = db
        self.scope = scope
        self.rules = rules or AlertRules()

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

    async def alerts(self, now: datetime) -> list[Alert]:
        return await queries.active_alerts(self.db, self.scope, now, self.rules)

    async def status_changes(
        self, work_center_id: uuid.UUID, since: datetime
    ) -> list[StatusChange]:
        return await queries.status_changes(self.db, self.scope, work_center_id, since)


PanelCall = Callable[[], Awaitable[Any]]


def panel_calls(data: PlantData, now: datetime) -> dict[str, PanelCall]:
    """One call per panel as the monitor makes it (trends: the last 7 plant-local days)."""
    today = local_day(now, data.scope.timezone).local_date
    return {
        "summary": lambda: data.summary(now),
        "work_centers": lambda: data.work_centers(now),
        "utilization": lambda: data.utilization(now),
        "runs": lambda: data.runs(now),
        "trends": lambda: data.trends(today - timedelta(days=6), today),
        "alerts": lambda: data.alerts(now),
    }
