"""Table rows (tuples in COPY column order) from the plant layout and the machines' changes.

The OEE figures of a shift row are computed with floorwatch.domain.oee, the code the monitor
uses, from the same rounded minutes and counts that are stored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from floorwatch.domain.models import EquipmentState as State
from floorwatch.domain.oee import OeeTotals, as_percent
from floorwatch.sim.machine import Changes, Order, Run, ShiftAcc, StatusRow
from floorwatch.sim.plant import Facility, Tenant, WorkCenter

Record = tuple[Any, ...]

COLUMNS: dict[str, tuple[str, ...]] = {
    "tenants": ("id", "tenant_code", "tenant_name", "created_at"),
    "facilities": (
        "id", "tenant_id", "facility_code", "facility_name", "timezone", "first_shift_start",
        "shift_length_hours", "created_at",
    ),
    "users": ("id", "tenant_id", "facility_id", "display_name", "created_at"),
    "work_centers": (
        "id", "tenant_id", "facility_id", "work_center_code", "work_center_name",
        "work_center_type", "production_rate_per_hour", "status", "is_active", "deleted_at",
        "created_at", "updated_at",
    ),
    "production_orders": (
        "id", "tenant_id", "facility_id", "production_order_number", "quantity_ordered",
        "due_date", "priority", "created_at",
    ),
    "production_runs": (
        "id", "tenant_id", "facility_id", "production_run_number", "production_order_id",
        "work_center_id", "operator_user_id", "operator_name", "scheduled_start",
        "scheduled_end", "actual_start", "actual_end", "quantity_planned", "quantity_good",
        "quantity_scrap", "quantity_rework", "setup_time_minutes", "run_time_minutes",
        "downtime_minutes", "status", "created_at", "updated_at",
    ),
    "oee_calculations": (
        "id", "tenant_id", "facility_id", "work_center_id", "calculation_date", "shift",
        "period_start", "period_end", "planned_production_time", "downtime", "runtime",
        "total_pieces_produced", "good_pieces", "defective_pieces", "ideal_cycle_time_seconds",
        "availability_percentage", "performance_percentage", "quality_percentage",
        "oee_percentage", "target_oee_percentage", "created_at", "setup_changeover_minutes",
        "breakdown_minutes", "no_operator_minutes", "no_material_minutes", "scrap_pieces",
        "rework_pieces",
    ),
    "equipment_status_log": (
        "id", "tenant_id", "facility_id", "work_center_id", "status", "previous_status",
        "status_start", "status_end", "production_run_id", "reason_code", "reason_description",
        "created_at",
    ),
}  # fmt: skip

# The ERP's split of an OEE row's downtime (floorwatch's schema has the same columns: V007).
OEE_LOSS_COLUMNS: dict[str, str] = {
    "setup_changeover_minutes": State.SETUP,
    "breakdown_minutes": State.BREAKDOWN,
    "no_operator_minutes": State.NO_OPERATOR,
    "no_material_minutes": State.NO_MATERIAL,
}

_PCT_MAX = Decimal("99999.99")


def ts(t: int) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def _ts_or_none(t: int | None) -> datetime | None:
    return None if t is None else datetime.fromtimestamp(t, UTC)


def minutes(seconds: int) -> Decimal:
    """Seconds as minutes with two decimals (numeric(10, 2))."""
    return Decimal(round(seconds / 0.6)).scaleb(-2)


def tenant_row(tenant: Tenant, t: int) -> Record:
    return (tenant.id, tenant.code, tenant.name, ts(t))


def facility_row(f: Facility, t: int) -> Record:
    return (
        f.id, f.tenant_id, f.code, f.name, f.timezone, f.first_shift_start,
        f.shift_length_hours, ts(t),
    )  # fmt: skip


def user_rows(f: Facility, t: int) -> list[Record]:
    return [(u.id, f.tenant_id, f.id, u.display_name, ts(t)) for u in f.users]


def work_center_row(f: Facility, wc: WorkCenter, status: str, created: int, t: int) -> Record:
    return (
        wc.id, f.tenant_id, f.id, wc.code, wc.name, wc.kind.type, wc.rate_per_hour, status,
        True, None, ts(created), ts(t),
    )  # fmt: skip


def order_row(f: Facility, o: Order) -> Record:
    return (
        o.id, f.tenant_id, f.id, o.number, o.quantity_ordered, o.due_date, o.priority,
        ts(o.created_at),
    )  # fmt: skip


def run_row(f: Facility, wc: WorkCenter, r: Run) -> Record:
    started = r.actual_start is not None
    return (
        r.id, f.tenant_id, f.id, r.number, r.order_id, wc.id, r.operator_id, r.operator_name,
        ts(r.scheduled_start), ts(r.scheduled_end), _ts_or_none(r.actual_start),
        _ts_or_none(r.actual_end), r.quantity_planned,
        r.good if started else None, r.scrap if started else None,
        r.rework if started else None,
        minutes(r.setup_s) if started else None, minutes(r.run_s) if started else None,
        minutes(r.down_s) if started else None,
        r.status, ts(r.created_at), ts(r.updated_at),
    )  # fmt: skip


def status_row(f: Facility, wc: WorkCenter, s: StatusRow) -> Record:
    return (
        s.id, f.tenant_id, f.id, wc.id, s.status, s.previous, ts(s.start), _ts_or_none(s.end),
        s.run_id, s.reason_code, s.reason_description, ts(s.start),
    )  # fmt: skip


def oee_id(wc: WorkCenter, acc: ShiftAcc) -> uuid.UUID:
    return uuid.uuid5(wc.id, f"oee/{acc.shift.local_date.isoformat()}/{acc.shift.label}")


def _pct(ratio: Decimal | None) -> Decimal | None:
    value = as_percent(ratio)
    return None if value is None or value > _PCT_MAX else value


def oee_row(f: Facility, wc: WorkCenter, acc: ShiftAcc, now: int) -> Record:
    """The oee_calculations row of one work center and shift, as accumulated up to `now`."""
    planned = minutes(acc.planned_s)
    downtime = minutes(acc.down_s)
    produced = acc.good + acc.scrap + acc.rework
    ict = wc.ideal_cycle_seconds
    totals = OeeTotals.of_period(
        planned_minutes=planned,
        downtime_minutes=downtime,
        produced=produced,
        good=acc.good,
        ideal_cycle_time_seconds=ict,
    )
    shift = acc.shift
    lost = tuple(minutes(acc.lost_s.get(s, 0)) for s in OEE_LOSS_COLUMNS.values())
    return (
        oee_id(wc, acc), f.tenant_id, f.id, wc.id, shift.local_date, shift.label,
        ts(shift.start), ts(shift.end), planned, downtime, planned - downtime, produced,
        acc.good, acc.scrap + acc.rework, ict, _pct(totals.availability),
        _pct(totals.performance), _pct(totals.quality), _pct(totals.oee),
        Decimal(wc.kind.target_oee), ts(min(shift.end, now)), *lost, acc.scrap, acc.rework,
    )  # fmt: skip


def add_changes(
    tables: dict[str, list[Record]],
    f: Facility,
    wc: WorkCenter,
    changes: Changes,
    now: int,
) -> None:
    """Append the rows of one machine's drained changes to `tables` (by table name)."""
    tables["production_orders"].extend(order_row(f, o) for o in changes.orders)
    tables["production_runs"].extend(run_row(f, wc, r) for r in changes.runs)
    tables["equipment_status_log"].extend(status_row(f, wc, s) for s in changes.statuses)
    tables["oee_calculations"].extend(oee_row(f, wc, a, now) for a in changes.shifts)
