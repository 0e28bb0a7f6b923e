"""The simulated plant is believable and internally consistent (one 12-work-center plant,
7 days ending the day after a DST change)."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import pytest
from sim_support import PLANT

from floorwatch.domain.oee import OeeTotals, as_percent, sum_totals
from floorwatch.errors import UserError
from floorwatch.sim import simulate


def _totals(r: asyncpg.Record) -> OeeTotals:
    return OeeTotals.of_period(
        planned_minutes=r["planned_production_time"],
        downtime_minutes=r["downtime"],
        produced=r["total_pieces_produced"],
        good=r["good_pieces"],
        ideal_cycle_time_seconds=r["ideal_cycle_time_seconds"],
    )


async def test_plant_oee_is_believable(conn: asyncpg.Connection) -> None:
    rows = await conn.fetch("SELECT * FROM oee_calculations")
    plant = sum_totals([_totals(r) for r in rows])
    assert plant.oee is not None and Decimal("0.40") <= plant.oee <= Decimal("0.90")
    assert plant.availability is not None and Decimal("0.5") <= plant.availability <= 1
    assert plant.performance is not None and Decimal("0.7") <= plant.performance <= Decimal("1.05")
    assert plant.quality is not None and Decimal("0.9") <= plant.quality <= 1
    by_wc: dict[object, list[OeeTotals]] = {}
    for r in rows:
        by_wc.setdefault(r["work_center_id"], []).append(_totals(r))
    for items in by_wc.values():
        oee = sum_totals(items).oee
        assert oee is not None and Decimal("0.30") <= oee <= Decimal("0.95")


async def test_oee_rows_match_the_domain_arithmetic(conn: asyncpg.Connection) -> None:
    rows = await conn.fetch("SELECT * FROM oee_calculations")
    for r in rows:
        assert r["runtime"] == r["planned_production_time"] - r["downtime"]
        assert r["good_pieces"] + r["defective_pieces"] == r["total_pieces_produced"]
        t = _totals(r)
        assert r["availability_percentage"] == as_percent(t.availability)
        assert r["oee_percentage"] == as_percent(t.oee)
        assert r["quality_percentage"] == as_percent(t.quality)
        assert r["ideal_cycle_time_seconds"] > 0


async def test_one_row_per_work_center_and_shift(conn: asyncpg.Connection) -> None:
    counts = await conn.fetch(
        "SELECT work_center_id, count(*) AS n, count(DISTINCT (calculation_date, shift)) AS d,"
        " min(period_start) AS first, max(period_end) AS last"
        " FROM oee_calculations GROUP BY 1"
    )
    assert len(counts) == PLANT.work_centers
    assert len({r["n"] for r in counts}) == 1
    for r in counts:
        assert r["n"] == r["d"]
        # from the first shift start in the 7 days (23 March, 14:00 Berlin) to the shift in
        # progress (30 March, 06:00): 2 + 6 x 3 + 1
        assert r["n"] == 21
    gaps = await conn.fetchval(
        "SELECT count(*) FROM (SELECT period_start, lag(period_end) OVER w AS prev_end"
        " FROM oee_calculations WINDOW w AS (PARTITION BY work_center_id ORDER BY period_start))"
        " x WHERE prev_end IS NOT NULL AND prev_end <> period_start"
    )
    assert gaps == 0
    # the DST change (29 March, Berlin) makes one night shift an hour shorter
    lengths = await conn.fetch(
        "SELECT DISTINCT extract(epoch FROM period_end - period_start) / 3600 AS h"
        " FROM oee_calculations ORDER BY 1"
    )
    assert [float(r["h"]) for r in lengths] == [7.0, 8.0]


async def test_shift_times_agree_with_the_status_log(conn: asyncpg.Connection) -> None:
    """runtime = productive minutes in the shift; planned = shift minus planned downtime."""
    rows = await conn.fetch(
        """
        SELECT o.planned_production_time, o.runtime, o.period_start, o.period_end,
               sum(extract(epoch FROM least(coalesce(l.status_end, $1), o.period_end)
                   - greatest(l.status_start, o.period_start)))
                   FILTER (WHERE l.status = 'PRODUCTIVE') / 60 AS productive,
               coalesce(sum(extract(epoch FROM least(coalesce(l.status_end, $1), o.period_end)
                   - greatest(l.status_start, o.period_start)))
                   FILTER (WHERE l.status = 'NON_PRODUCTIVE_PLANNED_DOWNTIME'), 0) / 60 AS pdt,
               extract(epoch FROM least(o.period_end, $1) - o.period_start) / 60 AS span
        FROM oee_calculations o
        JOIN equipment_status_log l ON l.work_center_id = o.work_center_id
         AND l.status_start < o.period_end AND coalesce(l.status_end, $1) > o.period_start
        GROUP BY o.id
        """,
        PLANT.until,
    )
    assert rows
    for r in rows:
        assert abs(r["runtime"] - (r["productive"] or 0)) <= Decimal("0.02")
        assert abs(r["planned_production_time"] - (r["span"] - r["pdt"])) <= Decimal("0.02")


async def test_status_intervals_are_contiguous_with_one_open_row(
    conn: asyncpg.Connection,
) -> None:
    bad = await conn.fetchval(
        "SELECT count(*) FROM (SELECT status_start, previous_status,"
        " lag(status_end) OVER w AS prev_end, lag(status) OVER w AS prev_status"
        " FROM equipment_status_log"
        " WINDOW w AS (PARTITION BY work_center_id ORDER BY status_start)) x"
        " WHERE prev_status IS NOT NULL"
        " AND (prev_end IS DISTINCT FROM status_start OR prev_status <> previous_status)"
    )
    assert bad == 0
    open_rows = await conn.fetch(
        "SELECT w.id, w.status AS wc_status, l.status, l.status_start, l.production_run_id,"
        " r.status AS run_status"
        " FROM work_centers w"
        " JOIN equipment_status_log l ON l.work_center_id = w.id AND l.status_end IS NULL"
        " LEFT JOIN production_runs r ON r.id = l.production_run_id"
    )
    assert len(open_rows) == PLANT.work_centers
    for r in open_rows:
        assert r["status_start"] <= PLANT.until
        expected = {
            "NON_PRODUCTIVE_BREAKDOWN": "DOWN",
            "NON_PRODUCTIVE_PLANNED_DOWNTIME": "MAINTENANCE",
        }.get(r["status"], "IN_USE" if r["run_status"] == "IN_PROGRESS" else "AVAILABLE")
        assert r["wc_status"] == expected
    reasons = await conn.fetchval(
        "SELECT count(*) FROM equipment_status_log WHERE (status = 'PRODUCTIVE')"
        " = (reason_code IS NOT NULL)"
    )
    assert reasons == 0
    kinds = await conn.fetch("SELECT DISTINCT status FROM equipment_status_log")
    assert len(kinds) == 6


async def test_runs_are_believable(conn: asyncpg.Connection) -> None:
    statuses = dict(await conn.fetch("SELECT status, count(*) FROM production_runs GROUP BY 1"))
    assert statuses.get("COMPLETED", 0) > 500
    assert statuses.get("SCHEDULED", 0) >= PLANT.work_centers * 3
    assert statuses.get("CANCELLED", 0) > 0
    assert statuses.get("IN_PROGRESS", 0) + statuses.get("PAUSED", 0) <= PLANT.work_centers
    open_per_wc = await conn.fetchval(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM production_runs"
        " WHERE status IN ('IN_PROGRESS', 'PAUSED') GROUP BY work_center_id) x"
    )
    assert open_per_wc == 1
    negative = await conn.fetchval(
        "SELECT count(*) FROM production_runs WHERE least(quantity_good, quantity_scrap,"
        " quantity_rework, quantity_planned) < 0 OR least(setup_time_minutes,"
        " run_time_minutes, downtime_minutes) < 0"
    )
    assert negative == 0
    completed = await conn.fetchrow(
        "SELECT count(*) FILTER (WHERE quantity_scrap > 0.05 * (quantity_good + quantity_scrap"
        " + quantity_rework) AND quantity_good + quantity_scrap + quantity_rework >= 100)"
        " AS high_scrap, count(*) FILTER (WHERE actual_end <= actual_start) AS empty,"
        " count(*) FILTER (WHERE actual_end::date <> actual_start::date) AS overnight,"
        " count(*) FILTER (WHERE quantity_good < 0.9 * quantity_planned) AS short"
        " FROM production_runs WHERE status = 'COMPLETED'"
    )
    assert completed["high_scrap"] > 0
    assert completed["overnight"] > 0
    assert completed["empty"] == 0
    assert completed["short"] == 0
    future = await conn.fetchval(
        "SELECT count(*) FROM production_runs WHERE greatest(actual_start, actual_end,"
        " updated_at, created_at) > $1",
        PLANT.until,
    )
    assert future == 0


async def test_reader_role_sees_the_tenant_through_rls(conn: asyncpg.Connection) -> None:
    tenant = await conn.fetchval("SELECT id FROM tenants")
    async with conn.transaction():
        await conn.execute("SET LOCAL ROLE floorwatch_reader")
        assert await conn.fetchval("SELECT count(*) FROM production_runs") == 0
        await conn.execute("SELECT set_config('app.current_tenant_id', $1, true)", str(tenant))
        for table in ("work_centers", "production_runs", "oee_calculations",
                      "equipment_status_log", "production_orders", "users"):  # fmt: skip
            assert await conn.fetchval(f"SELECT count(*) FROM {table}") > 0, table


async def test_simulating_the_same_plant_again_is_refused(plant_dsn: str) -> None:
    with pytest.raises(UserError, match="already exists"):
        await simulate(plant_dsn, PLANT)
