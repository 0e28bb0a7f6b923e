"""Hand-built rows in the ERP's own tables (src/floorwatch/db/erp/schema.sql), for the tests of
an adopted database.

Rows go in through the ERP's columns, as the ERP writes them, with a plain connection (default
search_path: the ERP's raw tables in public), one call per row, every figure given by the
test. Columns the ERP requires but floorwatch never reads (facilities' address, users'
username and email, production_orders.product_id, production_runs.operation_id) get filler
values. Ids are deterministic (uuid5 of the natural key, as in plant_builder).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import asyncpg

from db.plant_builder import ident, insert_row
from floorwatch.domain.models import Scope

Number = Decimal | int | str | None


def _dec(value: Number) -> Decimal | None:
    return None if value is None else Decimal(str(value))


class ErpBuilder:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self._operations: dict[uuid.UUID, uuid.UUID] = {}
        self._orders: dict[uuid.UUID, uuid.UUID] = {}

    async def _insert(self, table: str, row: dict[str, Any]) -> uuid.UUID:
        return await insert_row(self.conn, f"public.{table}", row)

    async def tenant(self, code: str, *, default_timezone: str | None = None) -> uuid.UUID:
        row: dict[str, Any] = {"id": ident("erp-tenant", code), "tenant_code": code}
        row["tenant_name"] = f"{code} Inc."
        if default_timezone is not None:
            row["default_timezone"] = default_timezone
        return await self._insert("tenants", row)

    async def facility(
        self,
        tenant_id: uuid.UUID,
        tenant_code: str,
        code: str,
        *,
        timezone: str | None = "UTC",
        reads_as_timezone: str | None = None,
        deleted_at: datetime | None = None,
    ) -> Scope:
        """A facility; the Scope is the one the directory should list for it (06:00 x 8 h, and
        `reads_as_timezone` when the ERP's timezone is not one floorwatch reads)."""
        fid = await self._insert(
            "facilities",
            {
                "id": ident("erp-facility", tenant_code, code),
                "tenant_id": tenant_id,
                "facility_code": code,
                "facility_name": f"{code} plant",
                "facility_type": "MANUFACTURING",
                "address_line1": "1 Press Street",
                "city": "Springfield",
                "postal_code": "00000",
                "country": "US",
                "timezone": timezone,
                "deleted_at": deleted_at,
            },
        )
        return Scope(
            tenant_id=tenant_id,
            tenant_code=tenant_code,
            tenant_name=f"{tenant_code} Inc.",
            facility_id=fid,
            facility_code=code,
            facility_name=f"{code} plant",
            timezone=reads_as_timezone or timezone or "UTC",
        )

    async def scope(self, tenant_code: str, facility_code: str, **kw: Any) -> Scope:
        """A new tenant with one facility."""
        tid = await self.tenant(tenant_code)
        return await self.facility(tid, tenant_code, facility_code, **kw)

    async def shift_pattern(self, scope: Scope, first_shift_start: time, hours: int) -> Scope:
        """floorwatch's own shift pattern for the facility (floorwatch.shift_patterns)."""
        await self.conn.execute(
            "INSERT INTO floorwatch.shift_patterns"
            " (facility_id, tenant_id, first_shift_start, shift_length_hours)"
            " VALUES ($1, $2, $3, $4)",
            scope.facility_id,
            scope.tenant_id,
            first_shift_start,
            hours,
        )
        return scope.model_copy(
            update={"first_shift_start": first_shift_start, "shift_length_hours": hours}
        )

    async def user(
        self,
        scope: Scope,
        username: str,
        *,
        display_name: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> uuid.UUID:
        return await self._insert(
            "users",
            {
                "id": ident("erp-user", scope.tenant_id, username),
                "tenant_id": scope.tenant_id,
                "username": f"{scope.tenant_code}.{username}",
                "email": f"{username}@{scope.tenant_code.lower()}.example",
                "display_name": display_name,
                "first_name": first_name,
                "last_name": last_name,
                "default_facility_id": scope.facility_id,
            },
        )

    async def work_center(
        self,
        scope: Scope,
        code: str,
        *,
        kind: str = "OFFSET_PRESS",
        rate: Number = 3600,
        status: str | None = "AVAILABLE",
        is_active: bool | None = True,
        deleted_at: datetime | None = None,
        operating_calendar: Any = None,
    ) -> uuid.UUID:
        return await self._insert(
            "work_centers",
            {
                "id": ident("erp-wc", scope.facility_id, code),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "work_center_code": code,
                "work_center_name": f"{code} ({kind})",
                "work_center_type": kind,
                "production_rate_per_hour": _dec(rate),
                "status": status,
                "is_active": is_active,
                "deleted_at": deleted_at,
                # JSONB: asyncpg sends text; json.dumps of a str makes a JSON string
                "operating_calendar": None
                if operating_calendar is None
                else json.dumps(operating_calendar),
            },
        )

    async def order(
        self, scope: Scope, number: str, quantity: Number = 10_000, *, priority: int | None = 5
    ) -> uuid.UUID:
        return await self._insert(
            "production_orders",
            {
                "id": ident("erp-order", scope.tenant_id, number),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "production_order_number": number,
                "product_id": ident("erp-product", number),
                "quantity_ordered": _dec(quantity),
                "priority": priority,
                "due_date": date(2030, 1, 1),
            },
        )

    async def _operation(self, scope: Scope) -> uuid.UUID:
        if scope.tenant_id not in self._operations:
            self._operations[scope.tenant_id] = await self._insert(
                "operations",
                {
                    "id": ident("erp-operation", scope.tenant_id),
                    "tenant_id": scope.tenant_id,
                    "operation_code": "PRINT",
                    "operation_name": "Printing",
                    "operation_type": "PRINTING",
                },
            )
        return self._operations[scope.tenant_id]

    async def _default_order(self, scope: Scope) -> uuid.UUID:
        """production_runs.production_order_id is NOT NULL in the ERP."""
        if scope.facility_id not in self._orders:
            self._orders[scope.facility_id] = await self.order(
                scope, f"PO-{scope.tenant_code}-{scope.facility_code}-0"
            )
        return self._orders[scope.facility_id]

    async def run(
        self,
        scope: Scope,
        work_center_id: uuid.UUID,
        number: str,
        status: str | None,
        *,
        order_id: uuid.UUID | None = None,
        operator_name: str | None = None,
        scheduled_start: datetime | None = None,
        scheduled_end: datetime | None = None,
        actual_start: datetime | None = None,
        actual_end: datetime | None = None,
        planned: Number = None,
        good: Number = None,
        scrap: Number = None,
        rework: Number = None,
        updated_at: datetime | None = None,
    ) -> uuid.UUID:
        return await self._insert(
            "production_runs",
            {
                "id": ident("erp-run", scope.facility_id, number),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "production_run_number": number,
                "production_order_id": order_id or await self._default_order(scope),
                "work_center_id": work_center_id,
                "operation_id": await self._operation(scope),
                "operator_name": operator_name,
                "scheduled_start": scheduled_start,
                "scheduled_end": scheduled_end,
                "actual_start": actual_start,
                "actual_end": actual_end,
                "quantity_planned": _dec(planned),
                "quantity_good": _dec(good),
                "quantity_scrap": _dec(scrap),
                "quantity_rework": _dec(rework),
                "status": status,
                "updated_at": updated_at,
            },
        )

    async def oee(
        self,
        scope: Scope,
        work_center_id: uuid.UUID,
        *,
        day: date,
        shift: str | None,
        planned: Number,
        runtime: Number,
        produced: int,
        good: int,
        defective: int | None = None,
        downtime: Number = None,
        ict: Number = None,
        target: Number = 85,
        losses: dict[str, Any] | None = None,
    ) -> uuid.UUID:
        return await self._insert(
            "oee_calculations",
            {
                "id": ident("erp-oee", work_center_id, day, shift),
                "tenant_id": scope.tenant_id,
                "facility_id": scope.facility_id,
                "work_center_id": work_center_id,
                "calculation_date": day,
                "shift": shift,
                "planned_production_time": _dec(planned),
                "downtime": _dec(downtime),
                "runtime": _dec(runtime),
                "total_pieces_produced": produced,
                "good_pieces": good,
                "defective_pieces": produced - good if defective is None else defective,
                "ideal_cycle_time_seconds": _dec(ict),
                # the stored percentages are deliberately nonsense: floorwatch must recompute
                "availability_percentage": Decimal("11.11"),
                "performance_percentage": Decimal("22.22"),
                "quality_percentage": Decimal("33.33"),
                "oee_percentage": Decimal("44.44"),
                "target_oee_percentage": _dec(target),
                **(losses or {}),
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
                "id": ident("erp-log", work_center_id, start.isoformat()),
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
