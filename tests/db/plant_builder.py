"""Hand-built plant rows for the panel and security tests.

Rows are inserted directly with asyncpg as the connecting login (the test superuser, which
bypasses row-level security), one call per row, with every figure given by the test. Ids are
deterministic (uuid5 of the natural key) so failures are easy to read.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from floorwatch.db import pool
from floorwatch.db.dsn import Target
from floorwatch.db.pool import Database
from floorwatch.domain.models import Scope

NS = uuid.UUID("6f1c1f4e-6d0b-4c4b-9a53-0d2f1b1c0000")


def ident(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NS, "/".join(str(p) for p in parts))


async def insert_row(conn: asyncpg.Connection, table: str, row: dict[str, Any]) -> uuid.UUID:
    """INSERT one row given as column -> value; returns its id."""
    cols = ", ".join(row)
    params = ", ".join(f"${i}" for i in range(1, len(row) + 1))
    await conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({params})", *row.values())
    return row["id"]


def local(tz: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """A plant-local wall-clock time as an aware datetime."""
    return datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(tz))


async def open_database(dsn: str, pooler: str = "none") -> Database:
    """The monitor's Database (reader role, read-only) over a small pool of its own, as the
    monitor opens it (`pooler`: the config setting)."""
    return await pool.open_database(Target(dsn, "flag"), min_size=1, max_size=2, pooler=pooler)


class PlantBuilder:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def _insert(self, table: str, row: dict[str, Any]) -> uuid.UUID:
        return await insert_row(self.conn, table, row)

    async def tenant(self, code: str) -> uuid.UUID:
        return await self._insert(
            "tenants", {"id": ident("tenant", code), "tenant_code": code, "tenant_name": code}
        )

    async def facility(
        self,
        tenant_id: uuid.UUID,
        tenant_code: str,
        code: str,
        *,
        timezone: str = "UTC",
        first_shift_start: time = time(6),
        shift_length_hours: int = 8,
    ) -> Scope:
        fid = await self._insert(
            "facilities",
            {
                "id": ident("facility", tenant_code, code),
                "tenant_id": tenant_id,
                "facility_code": code,
                "facility_name": f"{code} plant",
                "timezone": timezone,
                "first_shift_start": first_shift_start,
                "shift_length_hours": shift_length_hours,
            },
        )
        return Scope(
            tenant_id=tenant_id,
            tenant_code=tenant_code,
            tenant_name=tenant_code,
            facility_id=fid,
            facility_code=code,
            facility_name=f"{code} plant",
            timezone=timezone,
            first_shift_start=first_shift_start,
            shift_length_hours=shift_length_hours,
        )

    async def scope(self, tenant_code: str, facility_code: str, **kw: Any) -> Scope:
        """A new tenant with one facility."""
        tid = await self.tenant(tenant_code)
        return await self.facility(tid, tenant_code, facility_code, **kw)

    async def user(self, scope: Scope, name: str) -> uuid.UUID:
        return await self._insert(
            "users",
            {
                "id": ident("user", scope.facility_id, name),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "display_name": name,
            },
        )

    async def work_center(
        self,
        scope: Scope,
        code: str,
        *,
        kind: str = "offset press",
        rate: Decimal | int = 3600,
        status: str = "AVAILABLE",
        is_active: bool = True,
        deleted_at: datetime | None = None,
    ) -> uuid.UUID:
        return await self._insert(
            "work_centers",
            {
                "id": ident("wc", scope.facility_id, code),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "work_center_code": code,
                "work_center_name": f"{code} ({kind})",
                "work_center_type": kind,
                "production_rate_per_hour": Decimal(rate),
                "status": status,
                "is_active": is_active,
                "deleted_at": deleted_at,
            },
        )

    async def order(self, scope: Scope, number: str, quantity: int = 10_000) -> uuid.UUID:
        return await self._insert(
            "production_orders",
            {
                "id": ident("order", scope.tenant_id, number),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "production_order_number": number,
                "quantity_ordered": quantity,
                "due_date": date(2030, 1, 1),
            },
        )

    async def working(self, scope: Scope, work_center_id: uuid.UUID, since: datetime) -> uuid.UUID:
        """A run in progress on the work center since `since`, nothing counted yet: the plan
        has work for it (alerts are snoozed on a work center without any, README: Alerts)."""
        return await self.run(
            scope, work_center_id, f"WORK-{work_center_id.hex[:8]}", "IN_PROGRESS",
            actual_start=since, planned=1_000_000,
        )  # fmt: skip

    async def run(
        self,
        scope: Scope,
        work_center_id: uuid.UUID,
        number: str,
        status: str,
        *,
        order_id: uuid.UUID | None = None,
        operator_user_id: uuid.UUID | None = None,
        operator_name: str | None = None,
        scheduled_start: datetime | None = None,
        scheduled_end: datetime | None = None,
        actual_start: datetime | None = None,
        actual_end: datetime | None = None,
        planned: int | None = None,
        good: int | None = None,
        scrap: int | None = None,
        rework: int | None = None,
        updated_at: datetime | None = None,
    ) -> uuid.UUID:
        """`updated_at`: the row's last update (the counts' last move); default now()."""
        when = {} if updated_at is None else {"updated_at": updated_at}
        return await self._insert(
            "production_runs",
            {
                "id": ident("run", scope.facility_id, number),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "production_run_number": number,
                "production_order_id": order_id,
                "work_center_id": work_center_id,
                "operator_user_id": operator_user_id,
                "operator_name": operator_name,
                "scheduled_start": scheduled_start,
                "scheduled_end": scheduled_end,
                "actual_start": actual_start,
                "actual_end": actual_end,
                "quantity_planned": planned,
                "quantity_good": good,
                "quantity_scrap": scrap,
                "quantity_rework": rework,
                "status": status,
                **when,
            },
        )

    async def oee(
        self,
        scope: Scope,
        work_center_id: uuid.UUID,
        *,
        day: date,
        shift: str,
        start: datetime,
        end: datetime | None = None,
        planned: Decimal | int,
        downtime: Decimal | int,
        produced: int,
        good: int,
        ict: Decimal | int | str,
        target: Decimal | int = 85,
        defective: int | None = None,
        extra: dict[str, Any] | None = None,
    ) -> uuid.UUID:
        """`extra`: other columns (scrap_pieces, rework_pieces, the ERP's loss columns)."""
        planned, downtime = Decimal(planned), Decimal(downtime)
        return await self._insert(
            "oee_calculations",
            {
                "id": ident("oee", work_center_id, day, shift),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "work_center_id": work_center_id,
                "calculation_date": day,
                "shift": shift,
                "period_start": start,
                "period_end": end or start + timedelta(hours=8),
                "planned_production_time": planned,
                "downtime": downtime,
                "runtime": planned - downtime,
                "total_pieces_produced": produced,
                "good_pieces": good,
                "defective_pieces": produced - good if defective is None else defective,
                "ideal_cycle_time_seconds": Decimal(str(ict)),
                # the stored percentages are deliberately nonsense: floorwatch must recompute
                "availability_percentage": Decimal("11.11"),
                "performance_percentage": Decimal("22.22"),
                "quality_percentage": Decimal("33.33"),
                "oee_percentage": Decimal("44.44"),
                "target_oee_percentage": Decimal(target),
                **(extra or {}),
            },
        )

    async def status(
        self,
        scope: Scope,
        work_center_id: uuid.UUID,
        status: str,
        start: datetime,
        end: datetime | None = None,
        *,
        previous: str | None = None,
        run_id: uuid.UUID | None = None,
        reason_code: str | None = None,
        reason_description: str | None = None,
    ) -> uuid.UUID:
        return await self._insert(
            "equipment_status_log",
            {
                "id": ident("log", work_center_id, start.isoformat()),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "work_center_id": work_center_id,
                "status": status,
                "previous_status": previous,
                "status_start": start,
                "status_end": end,
                "production_run_id": run_id,
                "reason_code": reason_code,
                "reason_description": reason_description,
            },
        )
