"""Deleted and inactive work centers (README: Numbers): a work center deleted at D counts in no
panel that shows the plant as of a `now` at or after D (summary, grid, utilization, runs,
alerts); the trends keep its rows of periods that started before D, as its own line and in
ALL. An inactive one is listed, shown as OFF. Every figure is worked out by hand below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from plant_builder import PlantBuilder, local

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import AlertKind
from floorwatch.domain.oee import OeeTotals

D = Decimal
TZ = "UTC"
NOW = local(TZ, 2025, 6, 11, 17, 30)  # shift B (14:00-22:00) of 2025-06-11
DELETED = local(TZ, 2025, 6, 11, 12, 0)  # GONE deleted during today's shift A
TODAY, YESTERDAY = date(2025, 6, 11), date(2025, 6, 10)


def t(d: int, h: int, mi: int = 0) -> Any:
    return local(TZ, 2025, 6, d, h, mi)


async def build(b: PlantBuilder) -> dict[str, Any]:
    s = await b.scope("ACME", "DEL", timezone=TZ)
    ids: dict[str, Any] = {"scope": s}
    p1 = ids["P1"] = await b.work_center(s, "P1")
    p2 = ids["P2"] = await b.work_center(s, "P2")
    ids["OFF1"] = await b.work_center(s, "OFF1", is_active=False)
    gone = ids["GONE"] = await b.work_center(s, "GONE", deleted_at=DELETED)

    # shift rows (ratio = ICT x good / (planned x 60), runtime = planned: no downtime)
    async def oee(wc: Any, day: date, shift: str, start: Any, planned: int, n: int, good: int,
                  ict: int) -> None:  # fmt: skip
        await b.oee(s, wc, day=day, shift=shift, start=start, planned=planned, downtime=0,
                    produced=n, good=good, ict=ict, target=85)  # fmt: skip

    await oee(p1, YESTERDAY, "A", t(10, 6), 480, 1000, 900, 10)  # 9000/28800 = 0.3125
    await oee(gone, YESTERDAY, "A", t(10, 6), 480, 2000, 1800, 10)  # 18000/28800 = 0.625
    await oee(p1, TODAY, "A", t(11, 6), 480, 1200, 1152, 12)  # 13824/28800 = 0.48
    await oee(p2, TODAY, "A", t(11, 6), 480, 600, 600, 24)  # 14400/28800 = 0.5
    # GONE's shift A started 06:00, before its deletion at 12:00: history (trends) keeps it
    await oee(gone, TODAY, "A", t(11, 6), 480, 2000, 1800, 10)  # 0.625
    await oee(p1, TODAY, "B", t(11, 14), 210, 600, 600, 20)  # 12000/12600 = 0.952381
    # a collector still writing for GONE after its deletion: counted nowhere
    await oee(gone, TODAY, "B", t(11, 14), 210, 999, 999, 1)

    await b.run(s, p1, "C-P1", "COMPLETED", actual_start=t(11, 8), actual_end=t(11, 10),
                good=100, scrap=0, rework=0)  # fmt: skip
    await b.run(s, p1, "R-P1", "IN_PROGRESS", actual_start=t(11, 14, 5), good=40)
    # GONE: a run completed before the deletion (16.7 % scrap) and one left open
    await b.run(s, gone, "C-G1", "COMPLETED", actual_start=t(11, 9), actual_end=t(11, 11),
                good=500, scrap=100, rework=0)  # fmt: skip
    await b.run(s, gone, "R-G2", "IN_PROGRESS", actual_start=t(11, 11, 30), good=50)

    await b.status(s, p1, "PRODUCTIVE", t(11, 14, 5))
    await b.status(s, p2, "NON_PRODUCTIVE_BREAKDOWN", t(11, 17))
    await b.status(s, gone, "NON_PRODUCTIVE_BREAKDOWN", t(11, 11, 45))  # never closed
    return ids


def _sum(totals: list[OeeTotals]) -> tuple[D, int, int, D]:
    return (
        sum((x.planned_minutes for x in totals), D(0)),
        sum(x.produced for x in totals),
        sum(x.good for x in totals),
        sum((x.ideal_seconds for x in totals), D(0)),
    )


async def test_facility_summary_is_the_sum_of_the_listed_work_centers(
    builder: PlantBuilder, database: Database
) -> None:
    ids = await build(builder)
    data = PlantData(database, ids["scope"])
    wcs = await data.work_centers(NOW)
    assert [w.work_center_code for w in wcs] == ["OFF1", "P1", "P2"]  # GONE deleted at 12:00
    assert [w.is_active for w in wcs] == [False, True, True]
    s = await data.summary(NOW)
    # today's shift rows without GONE's: P1 A 480 + P1 B 210 + P2 A 480 = 1170 min planned;
    # produced 1200 + 600 + 600 = 2400; good 1152 + 600 + 600 = 2352;
    # ideal 12 x 1200 + 20 x 600 + 24 x 600 = 14400 + 12000 + 14400 = 40800 s
    t_ = s.oee_today
    assert (t_.planned_minutes, t_.produced, t_.good, t_.ideal_seconds) == (1170, 2400, 2352, 40800)
    assert _sum([w.oee_today for w in wcs]) == (1170, 2400, 2352, 40800)
    # completed today: C-P1 only (C-G1's work center is gone); open: R-P1 (not R-G2)
    assert s.completed_today == 1 == sum(w.completed_today for w in wcs)
    assert s.completed_quantities.model_dump() == {"good": 100, "scrap": 0, "rework": 0}
    assert (s.active_runs, s.paused_runs, s.scheduled_runs) == (1, 0, 0)


async def test_a_deleted_work_center_has_no_state_runs_or_alerts(
    builder: PlantBuilder, database: Database
) -> None:
    ids = await build(builder)
    data = PlantData(database, ids["scope"])
    util = await data.utilization(NOW)
    assert [(u.work_center_code, u.is_active) for u in util] == [
        ("OFF1", False),
        ("P1", True),
        ("P2", True),
    ]
    runs = await data.runs(NOW)
    assert [r.production_run_number for r in runs] == ["R-P1", "C-P1"]
    # P2 has no run: the plan would snooze its alerts; this plant does not plan its work
    unplanned = PlantData(database, ids["scope"], AlertRules(snooze_by_plan=False))
    alerts = await unplanned.alerts(NOW)
    # P2 down since 17:00; P1's shift A (48 %) and P2's (50 %) under the 85 % target. GONE's
    # breakdown, its shift A (62.5 %) and C-G1's 16.7 % scrap raise nothing.
    assert sorted((a.work_center_code, a.kind) for a in alerts) == [
        ("P1", AlertKind.LOW_OEE),
        ("P2", AlertKind.EQUIPMENT_DOWN),
        ("P2", AlertKind.LOW_OEE),
    ]


async def test_before_its_deletion_a_work_center_counts_everywhere(
    builder: PlantBuilder, database: Database
) -> None:
    ids = await build(builder)
    data = PlantData(database, ids["scope"])
    before = local(TZ, 2025, 6, 11, 11, 50)  # a replayed now, 10 min before the deletion
    assert "GONE" in [w.work_center_code for w in await data.work_centers(before)]
    assert "GONE" in [u.work_center_code for u in await data.utilization(before)]
    assert {"C-G1", "R-G2"} <= {r.production_run_number for r in await data.runs(before)}
    codes = {(a.work_center_code, a.kind) for a in await data.alerts(before)}
    assert ("GONE", AlertKind.HIGH_SCRAP) in codes  # C-G1: 100 of 600 pieces scrapped
    s = await data.summary(before)
    assert s.completed_today == 2  # C-P1 (10:00) and C-G1 (11:00)


async def test_trends_keep_the_history_before_the_deletion_and_all_adds_up(
    builder: PlantBuilder, database: Database
) -> None:
    ids = await build(builder)
    data = PlantData(database, ids["scope"])
    lines = await data.trend_lines(NOW, shifts=3, days=2)
    by_code = {line.work_center_code: line for line in lines}
    assert list(by_code) == [None, "GONE", "P1", "P2"]  # the facility first
    # periods: 06-10 06:00, 06-11 06:00, 06-11 14:00 (GONE's 14:00 row is after its deletion)
    assert by_code["GONE"].ratios == [0.625, 0.625, None]
    assert by_code["GONE"].last_age == 1
    # window planned: P1 480 + 480 + 210 = 1170, P2 480, GONE 480 + 480 = 960 -> 2610
    facility = by_code[None].period
    assert facility.planned_minutes == D(2610)
    assert _sum([line.period for line in lines[1:]]) == _sum([facility])
    # ALL's latest bar (14:00) is P1's shift B alone: 12000 / 12600
    assert by_code[None].ratios[-1] is not None
    assert abs(by_code[None].ratios[-1] - 12000 / 12600) < 1e-12
    # ALL's 06-11 06:00 bar, sums of P1, P2, GONE: ideal x good summed over rows
    # (12x1200 + 24x600 + 10x2000) = 48800 s, good 1152 + 600 + 1800 = 3552, produced 3800,
    # planned 1440: 48800 x 3552 / (1440 x 60 x 3800) = 173337600 / 328320000
    assert abs(by_code[None].ratios[1] - 173337600 / 328320000) < 1e-12
    # the drill-down chart's rows (oee_trends) follow the same rule
    points = await data.trends(YESTERDAY, TODAY, work_center_id=ids["GONE"])
    assert len(points) == 2


async def _listed(builder: PlantBuilder, database: Database) -> tuple[dict[str, Any], Any, Any]:
    """The plant built, and what the grid is drawn from: utilization rows, OEE by work center."""
    ids = await build(builder)
    data = PlantData(database, ids["scope"])
    summaries = {w.work_center_id: w for w in await data.work_centers(NOW)}
    return ids, await data.utilization(NOW), summaries


async def test_the_grid_shows_an_inactive_work_center_as_off(
    builder: PlantBuilder, database: Database
) -> None:
    from zoneinfo import ZoneInfo

    from rich.style import Style

    from floorwatch.ui.work_center_grid import grid_rows

    ids, utilization, summaries = await _listed(builder, database)
    rows = grid_rows(
        utilization, summaries, {}, set(), NOW,
        critical_gap_pct=15, look=lambda _name: Style(), ascii_only=False, tz=ZoneInfo("UTC"),
    )  # fmt: skip
    cells = {key: row for key, row in rows}
    off = cells[str(ids["OFF1"])]
    assert str(off["state"]) == "- OFF"  # not "? NONE"
    assert (off["util"], str(off["oee"])) == ("-", "-")  # no utilization, no OEE
    assert str(cells[str(ids["P1"])]["state"]) == "▶ RUN"


async def test_the_export_says_off_for_an_inactive_work_center(
    builder: PlantBuilder, database: Database
) -> None:
    from zoneinfo import ZoneInfo

    from floorwatch.ui.export import work_center_records

    _, utilization, summaries = await _listed(builder, database)
    records = work_center_records(utilization, summaries, set(), NOW, ZoneInfo("UTC"))
    by_code = {r["work_center_code"]: r for r in records}
    assert (by_code["OFF1"]["state"], by_code["OFF1"]["utilization"]) == ("OFF", None)
    assert by_code["P1"]["state"] == "RUN"


async def test_the_monitor_lists_no_deleted_and_an_off_work_center(
    builder: PlantBuilder, db_dsn: str, tmp_path: Any
) -> None:
    """Pilot: the running monitor over this plant (its clock at NOW)."""
    from floorwatch.app import FloorwatchApp
    from floorwatch.config import STILL, Config
    from floorwatch.db.dsn import Target
    from floorwatch.db.source import PlantSource
    from floorwatch.showcase import FrozenWall, settle
    from floorwatch.ui.run_list import RunList
    from floorwatch.ui.work_center_grid import WorkCenterGrid

    ids = await build(builder)
    scope = ids["scope"]
    app = FloorwatchApp(
        PlantSource(Target(db_dsn, "flag"), scope), Config(intervals=STILL), [scope],
        where="test", demo=False, clock=lambda: NOW, wall=FrozenWall(), state_dir=tmp_path,
    )  # fmt: skip
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid).table
        keys = [row.key.value for row in grid.ordered_rows]
        assert keys == [str(ids[code]) for code in ("OFF1", "P1", "P2")]  # no GONE
        assert str(grid.get_cell(str(ids["OFF1"]), "state")) == "- OFF"
        runs = app.query_one(RunList).table
        assert runs.row_count == 2  # R-P1 and C-P1; none of GONE's
