"""Rebuilding machines from what is in the database, so live simulation continues from the
last written state (after a restart, an outage, or on a later day)."""

from __future__ import annotations

import random
import uuid
from datetime import time
from decimal import Decimal

import asyncpg

from floorwatch.domain.models import EquipmentState as State
from floorwatch.domain.models import RunStatus
from floorwatch.sim import catalog
from floorwatch.sim.machine import (
    MIN_STATE_S,
    Machine,
    Run,
    ShiftAcc,
    StatusRow,
    _hours_within,
    run_goal,
    run_performance,
)
from floorwatch.sim.plant import Facility, User, WorkCenter, conditions
from floorwatch.sim.rows import OEE_LOSS_COLUMNS
from floorwatch.sim.shifts import ShiftCalendar
from floorwatch.sim.writer import Writer

_KIND_BY_TYPE = {k.type: k for k in catalog.KINDS.values()}
_DEFAULT_KIND = catalog.KINDS["OFF"]


def _epoch(value: object) -> int:
    return int(value.timestamp())  # type: ignore[attr-defined]


def _seconds(minutes: Decimal | None) -> int:
    return round(float(minutes or 0) * 60)


async def load_facility(w: Writer, facility_id: uuid.UUID) -> Facility | None:
    """The facility with its work centers and operators (call inside `w.writing`)."""
    conn = w.conn
    f = await conn.fetchrow(f"SELECT * FROM {w.source('facilities')} WHERE id = $1", facility_id)
    if f is None:
        return None
    wcs = await conn.fetch(
        f"SELECT * FROM {w.source('work_centers')} WHERE facility_id = $1"
        " AND deleted_at IS NULL ORDER BY work_center_code",
        facility_id,
    )
    users = await conn.fetch(
        f"SELECT id, display_name FROM {w.source('users')} WHERE facility_id = $1"
        " ORDER BY created_at, id",
        facility_id,
    )
    shifts = 24 // f["shift_length_hours"]
    condition = conditions(r["id"] for r in wcs)
    per_crew = max(1, len(users) // shifts)
    return Facility(
        id=f["id"],
        tenant_id=f["tenant_id"],
        code=f["facility_code"],
        name=f["facility_name"],
        timezone=f["timezone"],
        first_shift_start=f["first_shift_start"] or time(6),
        shift_length_hours=f["shift_length_hours"],
        work_centers=tuple(
            WorkCenter(
                id=w["id"],
                code=w["work_center_code"],
                name=w["work_center_name"],
                kind=_KIND_BY_TYPE.get(w["work_center_type"], _DEFAULT_KIND),
                rate_per_hour=w["production_rate_per_hour"],
                seed=w["id"].int,
                condition=condition[w["id"]],
            )
            for w in wcs
        ),
        users=tuple(
            User(id=u["id"], display_name=u["display_name"], crew=min(i // per_crew, shifts - 1))
            for i, u in enumerate(users)
        ),
    )


def _model(run: Run, wc: WorkCenter, rng: random.Random) -> Run:
    """Give a run read from the database a production model (speed, defect rates)."""
    run.speed = float(wc.rate_per_hour) / 3600 * run_performance(wc, rng)
    run.goal = run_goal(run.quantity_planned, rng)
    produced = run.good + run.scrap + run.rework
    if produced >= 200:
        run.scrap_rate = min(0.3, run.scrap / produced)
        run.rework_rate = min(0.05, run.rework / produced)
    else:
        run.scrap_rate = rng.uniform(0.003, 0.03)
    run.base_s, run.base_good = run.run_s, run.good
    run.base_scrap, run.base_rework = run.scrap, run.rework
    return run


def _run(r: asyncpg.Record) -> Run:
    return Run(
        id=r["id"],
        number=r["production_run_number"],
        order_id=r["production_order_id"],
        quantity_planned=r["quantity_planned"] or 0,
        scheduled_start=_epoch(r["scheduled_start"] or r["created_at"]),
        scheduled_end=_epoch(r["scheduled_end"] or r["created_at"]),
        created_at=_epoch(r["created_at"]),
        updated_at=_epoch(r["updated_at"]),
        status=r["status"],
        actual_start=_epoch(r["actual_start"]) if r["actual_start"] else None,
        operator_id=r["operator_user_id"],
        operator_name=r["operator_name"],
        good=r["quantity_good"] or 0,
        scrap=r["quantity_scrap"] or 0,
        rework=r["quantity_rework"] or 0,
        setup_s=_seconds(r["setup_time_minutes"]),
        run_s=_seconds(r["run_time_minutes"]),
        down_s=_seconds(r["downtime_minutes"]),
    )


def _run_seq(number: str | None) -> int:
    try:
        return int((number or "").rsplit("-", 1)[-1])
    except ValueError:
        return 0


async def load_machine(
    w: Writer,
    f: Facility,
    wc: WorkCenter,
    calendar: ShiftCalendar,
    cursor: int,
    job_scale: float = 1.0,
) -> Machine:
    """The machine of `wc` as last written, simulated up to `cursor`."""
    conn = w.conn
    rng = random.Random(f"{wc.id}/{cursor}")
    open_row = await conn.fetchrow(
        f"SELECT * FROM {w.source('equipment_status_log')} WHERE work_center_id = $1"
        " AND status_end IS NULL ORDER BY status_start DESC LIMIT 1",
        wc.id,
    )
    runs = await conn.fetch(
        f"SELECT * FROM {w.source('production_runs')} WHERE work_center_id = $1"
        " AND status IN ('IN_PROGRESS', 'PAUSED', 'SCHEDULED')"
        " ORDER BY status = 'SCHEDULED', scheduled_start, production_run_number",
        wc.id,
    )
    last = await conn.fetchval(
        f"SELECT max(production_run_number) FROM {w.source('production_runs')}"
        " WHERE work_center_id = $1",
        wc.id,
    )
    m = Machine(f, wc, calendar, rng, job_scale)
    m.run_seq = _run_seq(last)
    m.pm_at = cursor + _hours_within(rng, catalog.FIRST_PM_WITHIN_H)
    for r in runs:
        run = _model(_run(r), wc, rng)
        if r["status"] == RunStatus.SCHEDULED:
            run.waste = rng.randint(*wc.kind.waste)
            m.queue.append(run)
        elif m.run is None:
            m.run = run
    await _load_acc(w, m, cursor)
    m.t = cursor
    if open_row is None:
        m.t = cursor
        if m.run is not None:
            m._produce(cursor)
        else:
            m._start_next(cursor)
        return m
    m.cur = StatusRow(
        id=open_row["id"],
        status=open_row["status"],
        previous=open_row["previous_status"],
        start=_epoch(open_row["status_start"]),
        end=None,
        run_id=open_row["production_run_id"],
        reason_code=open_row["reason_code"],
        reason_description=open_row["reason_description"],
    )
    if m.run is not None and m.cur.run_id != m.run.id:
        m.run = None if m.cur.run_id is None else m.run
    _resume_status(m, cursor)
    return m


def _resume_status(m: Machine, cursor: int) -> None:
    """When the open status ends (the rest of its duration is drawn anew)."""
    assert m.cur is not None
    rng = m.rng
    status, start = m.cur.status, m.cur.start
    if status == State.PRODUCTIVE and m.run is not None:
        m.until, m.next_event = m.next_production_event(cursor)
        return
    if status == State.SETUP and m.run is not None:
        m.run.waste = rng.randint(*m.wc.kind.waste)
        seconds = int(rng.uniform(*m.wc.kind.setup) * 60)
    elif status == State.PLANNED_DOWNTIME and m.cur.reason_code == catalog.IDLE_REASON[0]:
        seconds = 0
    else:
        seconds = rng.randrange(5 * 60, 40 * 60)
    if status == State.PRODUCTIVE:  # productive without a run: end it now
        seconds = 0
    m.until = max(cursor + MIN_STATE_S, start + seconds)
    m.next_event = ""


async def _load_acc(w: Writer, m: Machine, cursor: int) -> None:
    shift = m.calendar.at(cursor)
    if cursor == shift.start:
        return
    row = await w.conn.fetchrow(
        f"SELECT * FROM {w.source('oee_calculations')} WHERE work_center_id = $1"
        " AND calculation_date = $2 AND shift = $3",
        m.wc.id,
        shift.local_date,
        shift.label,
    )
    if row is None:
        return
    planned = _seconds(row["planned_production_time"])
    down = _seconds(row["downtime"])
    m.accs[shift.start] = ShiftAcc(
        shift=shift,
        planned_s=planned,
        down_s=down,
        run_s=max(0, planned - down),
        good=row["good_pieces"],
        # floorwatch's own rows keep scrap and rework apart (V007); the ERP's only defective
        scrap=row["defective_pieces"] - (row.get("rework_pieces") or 0),
        rework=row.get("rework_pieces") or 0,
        # the split of down_s, where the writer keeps it (the ERP's loss columns)
        lost_s={s: _seconds(row.get(c)) for c, s in OEE_LOSS_COLUMNS.items() if row.get(c)},
    )
