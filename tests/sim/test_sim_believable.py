"""The showcase plant (seed 7, 12 work centers, 7 days to Monday 2 November 2026 09:30 UTC) is
believable enough that its marks mean something (issue 11, item 7).

Why these bands. A monitor whose every work center is below target, or whose every run ends
at exactly its plan, tells an operator nothing: a red OEE or a `!` must single out a few
machines. So:

- **Below target**: in a real plant some machines miss the target most shifts and most make it.
  Of the finished shift rows (an hour or more planned), 15-50 % are below their OEE target
  (about a third intended; all of them was the old simulator, 89 %); no shift has every work
  center below, and the machines in the worst third of condition miss it more often than those
  in the best third (the same ones, consistently, not a coin toss per shift).
- **Short runs**: a run now and then ends short of its plan (the stock ran out, the order was
  closed): 3-20 % of the completed runs (about 10 % intended), never below 90 % of the plan.
- **Pareto**: a few reasons cause most of the unplanned downtime (jams, paper), as on a real
  floor: the top three reason codes carry at least half of the minutes, out of eight or more.
- **Small stops** (an unplanned stop shorter than 5 minutes, README: Numbers) happen in most
  busy shifts (productive half the shift or more): more than half of them have one.

The figures are deterministic for the seed; the bands leave room to tune the simulator without
rewriting the test, while each would fail for the old simulator or a degenerate one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator

import asyncpg
import pytest

from databases import create_database
from floorwatch.domain.losses import UNPLANNED as UNPLANNED_STATES
from floorwatch.showcase import SHOWCASE_NOW, load_showcase, showcase_options
from floorwatch.sim.plant import build_layout
from floorwatch.sim.resume import load_facility
from floorwatch.sim.writer import open_writer

UNPLANNED = ", ".join(f"'{s.value}'" for s in UNPLANNED_STATES)


@pytest.fixture(scope="module")
async def showcase_dsn(admin_dsn: str) -> AsyncIterator[str]:
    dsn = await create_database(admin_dsn, "fw_believable")
    await load_showcase(dsn)
    yield dsn


@pytest.fixture
async def conn(showcase_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    c = await asyncpg.connect(showcase_dsn)
    try:
        yield c
    finally:
        await c.close()


async def _finished_shift_rows(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(  # type: ignore[no-any-return]
        "SELECT work_center_id, period_start, oee_percentage < target_oee_percentage AS below"
        " FROM oee_calculations WHERE period_end <= $1 AND planned_production_time >= 60",
        SHOWCASE_NOW,
    )


async def _conditions(dsn: str) -> dict[object, float]:
    """Each work center's condition as a resumed simulation reads it from the database."""
    w = await open_writer(dsn)
    try:
        tenant_id, facility_id = await w.conn.fetchrow("SELECT tenant_id, id FROM facilities")
        async with w.writing(tenant_id):
            f = await load_facility(w, facility_id)
    finally:
        await w.conn.close()
    assert f is not None
    return {wc.id: wc.condition for wc in f.work_centers}


async def test_about_a_third_of_the_shifts_are_below_target(
    conn: asyncpg.Connection, showcase_dsn: str
) -> None:
    rows = await _finished_shift_rows(conn)
    assert len(rows) >= 12 * 20
    share = sum(r["below"] for r in rows) / len(rows)
    assert 0.15 <= share <= 0.50, share
    by_shift: dict[object, list[bool]] = defaultdict(list)
    by_wc: dict[object, list[bool]] = defaultdict(list)
    for r in rows:
        by_shift[r["period_start"]].append(r["below"])
        by_wc[r["work_center_id"]].append(r["below"])
    assert not any(all(b) for b in by_shift.values())
    condition = await _conditions(showcase_dsn)
    ranked = sorted(by_wc, key=lambda wc: condition[wc])
    third = len(ranked) // 3

    def miss(wcs: list[object]) -> float:
        return sum(sum(by_wc[wc]) for wc in wcs) / sum(len(by_wc[wc]) for wc in wcs)

    assert miss(ranked[:third]) > 2 * miss(ranked[-third:])


async def test_a_resumed_simulation_sees_the_same_conditions(showcase_dsn: str) -> None:
    (tenant,) = build_layout(showcase_options())
    layout = {wc.id: wc.condition for wc in tenant.facilities[0].work_centers}
    assert await _conditions(showcase_dsn) == layout
    assert min(layout.values()) < 0.2 and max(layout.values()) > 0.8


async def test_some_runs_end_short(conn: asyncpg.Connection) -> None:
    r = await conn.fetchrow(
        "SELECT count(*) AS runs, count(*) FILTER (WHERE quantity_good < quantity_planned)"
        " AS short, min(quantity_good::numeric / quantity_planned) AS lowest"
        " FROM production_runs WHERE status = 'COMPLETED' AND quantity_planned > 0"
    )
    assert r["runs"] > 500
    assert 0.03 <= r["short"] / r["runs"] <= 0.20, r["short"] / r["runs"]
    assert r["lowest"] >= 0.9


async def test_a_few_reasons_cause_most_of_the_downtime(conn: asyncpg.Connection) -> None:
    minutes = [
        m
        for (m,) in await conn.fetch(
            "SELECT sum(extract(epoch FROM coalesce(status_end, $1) - status_start)) AS m"
            f" FROM equipment_status_log WHERE status IN ({UNPLANNED})"
            " GROUP BY reason_code ORDER BY m DESC",
            SHOWCASE_NOW,
        )
    ]
    assert len(minutes) >= 8
    assert sum(minutes[:3]) / sum(minutes) >= 0.5, sum(minutes[:3]) / sum(minutes)


async def test_most_busy_shifts_have_small_stops(conn: asyncpg.Connection) -> None:
    r = await conn.fetchrow(
        "SELECT count(*) AS busy, count(*) FILTER (WHERE EXISTS ("
        "  SELECT 1 FROM equipment_status_log l WHERE l.work_center_id = o.work_center_id"
        f"  AND l.status IN ({UNPLANNED}) AND l.status_start >= o.period_start"
        "   AND l.status_start < o.period_end"
        "   AND l.status_end - l.status_start < interval '5 minutes')) AS with_small"
        " FROM oee_calculations o WHERE o.period_end <= $1"
        " AND o.runtime * 2 >= extract(epoch FROM o.period_end - o.period_start) / 60",
        SHOWCASE_NOW,
    )
    assert r["busy"] >= 100
    assert r["with_small"] / r["busy"] > 0.5, r["with_small"] / r["busy"]
