"""Panel queries against hand-built rows in a real PostgreSQL.

Every expected figure is worked out by hand in the test (the working is in the comments), never
by calling the code under test. Queries go through the real data layer: Database (reader role,
read-only transaction, tenant set) and PlantData with an explicit `now`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from plant_builder import PlantBuilder, local, open_database

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.models import EquipmentState, RunStatus, Severity
from floorwatch.domain.oee import as_percent
from floorwatch.ui.alert_text import alert_text

D = Decimal
LA = "America/Los_Angeles"  # UTC-7 in June
TOKYO = "Asia/Tokyo"  # UTC+9, no DST


def pct(x: Decimal | None) -> Decimal | None:
    return as_percent(x)


# ---------------------------------------------------------------------------------------------
# The Los Angeles plant: now = 2025-06-11 17:30 PDT = 2025-06-12 00:30 UTC, so the UTC date
# (06-12) is not the plant's date (06-11). Plant-local midnight = 2025-06-11 07:00 UTC.

LA_NOW = local(LA, 2025, 6, 11, 17, 30)


async def build_la_plant(b: PlantBuilder) -> dict[str, Any]:
    s = await b.scope("ACME", "LAX", timezone=LA)
    ids: dict[str, Any] = {"scope": s}
    p1 = ids["P1"] = await b.work_center(s, "P1", kind="offset press", status="IN_USE")
    p2 = ids["P2"] = await b.work_center(s, "P2", kind="digital press", status="IN_USE")
    f1 = ids["F1"] = await b.work_center(s, "F1", kind="folder", rate=1800)
    ids["P3"] = await b.work_center(s, "P3", kind="flexo press", is_active=False)
    gone = await b.work_center(
        s, "X9", kind="binder", deleted_at=local(LA, 2025, 1, 1)
    )  # deleted: never listed
    order = await b.order(s, "PO-1001")

    def t(d: int, h: int, mi: int = 0, sec: int = 0) -> Any:
        return local(LA, 2025, 6, d, h, mi, sec)

    # open runs: 2 in progress, 1 paused, 3 scheduled (+1 cancelled, counted nowhere)
    ids["ACT1"] = await b.run(
        s, p1, "R-ACT1", "IN_PROGRESS", order_id=order, operator_name="Ana",
        actual_start=t(11, 14, 10), planned=5000, good=1200, scrap=40, rework=10,
    )  # fmt: skip
    ids["ACT2"] = await b.run(
        s, p2, "R-ACT2", "IN_PROGRESS", actual_start=t(11, 15), planned=800, good=200
    )
    ids["PAU"] = await b.run(s, f1, "R-PAU", "PAUSED", actual_start=t(11, 13))
    ids["SCH3"] = await b.run(s, p1, "R-SCH3", "SCHEDULED", scheduled_start=t(12, 6))
    ids["SCH1"] = await b.run(s, p2, "R-SCH1", "SCHEDULED", scheduled_start=t(11, 18))
    ids["SCH2"] = await b.run(s, f1, "R-SCH2", "SCHEDULED", scheduled_start=t(11, 20))
    await b.run(s, p1, "R-CAN", "CANCELLED", actual_start=t(11, 9), actual_end=t(11, 9, 30))
    # completed runs
    # C1: started yesterday 22:00, completed today 01:30 (after local midnight): counts
    ids["C1"] = await b.run(
        s, p1, "C1", "COMPLETED", actual_start=t(10, 22), actual_end=t(11, 1, 30),
        good=1000, scrap=50, rework=20,
    )  # fmt: skip
    # C2: completed yesterday 23:59 local = 2025-06-11 06:59 UTC: same UTC date as the plant's
    # today, but before local midnight: does not count today
    ids["C2"] = await b.run(
        s, p1, "C2", "COMPLETED", actual_start=t(10, 20), actual_end=t(10, 23, 59),
        good=5000, scrap=500, rework=0,
    )  # fmt: skip
    # C3: 12:00-15:00, across the 14:00 shift boundary: counts once; rework NULL
    ids["C3"] = await b.run(
        s, f1, "C3", "COMPLETED", actual_start=t(11, 12), actual_end=t(11, 15),
        good=2000, scrap=130, rework=None,
    )  # fmt: skip
    # C4: all quantities NULL: counts as completed, contributes 0 pieces
    ids["C4"] = await b.run(s, p2, "C4", "COMPLETED", actual_start=t(11, 9), actual_end=t(11, 10))
    # C5: completed exactly at local midnight: today (half-open day [00:00, 24:00))
    ids["C5"] = await b.run(
        s, p2, "C5", "COMPLETED", actual_start=t(10, 21), actual_end=t(11, 0),
        good=100, scrap=0, rework=0,
    )  # fmt: skip
    # C6: completed 24 h and 1 s before now: not today, and out of the run list's 24 h
    ids["C6"] = await b.run(
        s, f1, "C6", "COMPLETED", actual_start=t(10, 15), actual_end=t(10, 17, 29, 59),
        good=10, scrap=0, rework=0,
    )  # fmt: skip
    await b.run(s, gone, "R-GONE", "COMPLETED", actual_start=t(11, 8), actual_end=t(11, 9))
    # the run on the deleted work center (deleted in January) completed today: it counts
    # nowhere, as the work center is listed nowhere (README: Numbers, deleted work centers)
    # OEE rows of today (calculation_date 2025-06-11), shift A 06:00-14:00
    # P1: planned 480, downtime 60 -> runtime 420; ICT 1.5 s, 14000 produced, 13300 good
    await b.oee(
        s, p1, day=date(2025, 6, 11), shift="A", start=t(11, 6), planned=480, downtime=60,
        produced=14000, good=13300, ict="1.5", target=85,
    )  # fmt: skip
    # F1: planned 60, downtime 30 -> runtime 30; ICT 2 s, 600 produced, 540 good
    await b.oee(
        s, f1, day=date(2025, 6, 11), shift="A", start=t(11, 6), planned=60, downtime=30,
        produced=600, good=540, ict=2, target=75,
    )  # fmt: skip
    # yesterday's night shift: not today
    await b.oee(
        s, p1, day=date(2025, 6, 10), shift="C", start=t(10, 22), planned=480, downtime=0,
        produced=100, good=1, ict=1,
    )  # fmt: skip

    # another facility of the same tenant, and another tenant: never counted here
    other = await b.facility(s.tenant_id, "ACME", "SFO", timezone=LA)
    o1 = await b.work_center(other, "P1")
    await b.run(other, o1, "O-1", "IN_PROGRESS", actual_start=t(11, 8))
    await b.run(
        other, o1, "O-2", "COMPLETED", actual_start=t(11, 8), actual_end=t(11, 9), good=7777
    )
    await b.oee(
        other, o1, day=date(2025, 6, 11), shift="A", start=t(11, 6), planned=480,
        downtime=0, produced=1, good=1, ict=1,
    )  # fmt: skip
    globex = await b.scope("GLOBEX", "LAX", timezone=LA)
    g1 = await b.work_center(globex, "P1")
    await b.run(globex, g1, "G-1", "PAUSED", actual_start=t(11, 8))
    await b.run(
        globex, g1, "G-2", "COMPLETED", actual_start=t(11, 8), actual_end=t(11, 9), good=999
    )
    return ids


async def test_facility_summary_by_hand(builder: PlantBuilder, database: Database) -> None:
    ids = await build_la_plant(builder)
    data = PlantData(database, ids["scope"])
    s = await data.summary(LA_NOW)
    assert s.as_of == LA_NOW
    assert s.local_date == date(2025, 6, 11)  # the UTC date is 2025-06-12
    assert (s.active_runs, s.paused_runs, s.scheduled_runs) == (2, 1, 3)
    # completed today: C1, C3, C4, C5 = 4 (C2 before midnight, C6 yesterday, R-GONE's work
    # center deleted)
    assert s.completed_today == 4
    q = s.completed_quantities
    # good: C1 1000 + C3 2000 + C4 0 + C5 100 = 3100; scrap 50 + 130 = 180; rework 20
    assert (q.good, q.scrap, q.rework) == (3100, 180, 20)
    assert q.produced == 3300
    # yield 3100/3300 = 0.939393... ; scrap rate 180/3300 = 0.054545...
    assert pct(q.yield_ratio) == D("93.94")
    assert pct(q.scrap_rate) == D("5.45")

    t = s.oee_today
    # P1 + F1 rows of 2025-06-11: planned 480+60 = 540, runtime 420+30 = 450,
    # produced 14000+600 = 14600, good 13300+540 = 13840, ideal 1.5*14000 + 2*600 = 22200 s
    assert t.planned_minutes == D(540)
    assert t.runtime_minutes == D(450)
    assert (t.produced, t.good) == (14600, 13840)
    assert t.ideal_seconds == D(22200)
    # A = 450/540 = 0.83333; P = 22200/(450*60) = 22200/27000 = 0.82222;
    # Q = 13840/14600 = 0.947945; OEE = 22200*13840/(540*60*14600) = 0.649518 -> 64.95 %
    assert pct(t.availability) == D("83.33")
    assert pct(t.performance) == D("82.22")
    assert pct(t.quality) == D("94.79")
    assert pct(t.oee) == D("64.95")
    # the mean of the two rows' OEE would be (69.27 + 30.00) / 2 = 49.64 %:
    #   P1 = 1.5*13300/(480*60) = 19950/28800 = 69.27 %, F1 = 2*540/(60*60) = 30.00 %
    assert pct(t.oee) != D("49.64")
    # target weighted by planned time: (85*480 + 75*60)/540 = 45300/540 = 83.888...
    assert s.target_oee_percentage is not None
    assert s.target_oee_percentage.quantize(D("0.01")) == D("83.89")


async def test_work_center_summaries_by_hand(builder: PlantBuilder, database: Database) -> None:
    ids = await build_la_plant(builder)
    rows = await PlantData(database, ids["scope"]).work_centers(LA_NOW)
    assert [r.work_center_code for r in rows] == ["F1", "P1", "P2", "P3"]  # X9 deleted
    f1, p1, p2, p3 = rows
    assert f1.work_center_id == ids["F1"] and f1.work_center_type == "folder"
    assert f1.production_rate_per_hour == D(1800)
    assert p1.status == "IN_USE" and p3.is_active is False
    # F1: completed today C3 (good 2000, scrap 130, rework NULL -> 0)
    assert f1.completed_today == 1
    assert f1.completed_quantities.model_dump() == {"good": 2000, "scrap": 130, "rework": 0}
    # F1 OEE = 2*540/(60*60) = 0.30; A = 30/60; P = 1200/1800 = 0.6667; Q = 540/600 = 0.9
    assert pct(f1.oee_today.oee) == D("30.00")
    assert pct(f1.oee_today.availability) == D("50.00")
    assert pct(f1.oee_today.performance) == D("66.67")
    assert pct(f1.oee_today.quality) == D("90.00")
    assert f1.target_oee_percentage == D(75)
    # P1: C1 only (C2 completed before local midnight)
    assert p1.completed_today == 1
    assert p1.completed_quantities.model_dump() == {"good": 1000, "scrap": 50, "rework": 20}
    # P1 OEE = 19950/28800 = 0.692708 -> 69.27 %; A = 420/480 = 87.50 %;
    # P = 21000/25200 = 83.33 %; Q = 13300/14000 = 95.00 %
    assert pct(p1.oee_today.oee) == D("69.27")
    assert pct(p1.oee_today.availability) == D("87.50")
    assert pct(p1.oee_today.performance) == D("83.33")
    assert pct(p1.oee_today.quality) == D("95.00")
    assert p1.target_oee_percentage == D(85)
    # P2: C4 (NULLs) and C5 (completed at 00:00) -> 2 runs, 100 good; no OEE row today
    assert p2.completed_today == 2
    assert p2.completed_quantities.model_dump() == {"good": 100, "scrap": 0, "rework": 0}
    assert p2.oee_today.planned_minutes == 0 and p2.oee_today.oee is None
    assert p2.target_oee_percentage is None
    # P3: nothing at all
    assert p3.completed_today == 0 and p3.oee_today.oee is None


async def test_run_summaries_filters_window_limit_order(
    builder: PlantBuilder, database: Database
) -> None:
    ids = await build_la_plant(builder)
    data = PlantData(database, ids["scope"])
    runs = await data.runs(LA_NOW)
    # in progress (latest start first), paused, scheduled (earliest first), completed in the
    # last 24 h (since 2025-06-10 17:30 local; latest end first). C6 ended at 17:29:59
    # yesterday (24 h + 1 s ago); R-CAN is cancelled; R-GONE's work center X9 is deleted;
    # other facilities/tenants excluded.
    assert [r.production_run_number for r in runs] == [
        "R-ACT2",  # 15:00
        "R-ACT1",  # 14:10
        "R-PAU",
        "R-SCH1",  # 06-11 18:00
        "R-SCH2",  # 06-11 20:00
        "R-SCH3",  # 06-12 06:00
        "C3",  # ended 15:00
        "C4",  # 10:00
        "C1",  # 01:30
        "C5",  # 00:00
        "C2",  # 06-10 23:59 (yesterday, but within 24 h)
    ]
    act1 = runs[1]
    assert act1.run_id == ids["ACT1"]
    assert act1.status == RunStatus.IN_PROGRESS
    assert act1.production_order_number == "PO-1001"
    assert act1.operator_name == "Ana"
    assert act1.work_center_code == "P1" and act1.work_center_id == ids["P1"]
    assert act1.actual_start == local(LA, 2025, 6, 11, 14, 10)
    assert act1.quantities.model_dump() == {"good": 1200, "scrap": 40, "rework": 10}
    assert act1.progress == D("0.24")  # 1200 / 5000
    # NULL quantities come back as 0 and no progress without a planned quantity
    c4 = next(r for r in runs if r.production_run_number == "C4")
    assert c4.quantities.model_dump() == {"good": 0, "scrap": 0, "rework": 0}
    assert c4.quantity_planned is None and c4.progress is None

    p2 = await data.runs(LA_NOW, work_center_id=ids["P2"])
    assert [r.production_run_number for r in p2] == ["R-ACT2", "R-SCH1", "C4", "C5"]
    done = await data.runs(LA_NOW, statuses=[RunStatus.COMPLETED])
    assert [r.production_run_number for r in done] == ["C3", "C4", "C1", "C5", "C2"]
    waiting = await data.runs(LA_NOW, statuses=[RunStatus.PAUSED, RunStatus.SCHEDULED])
    assert [r.production_run_number for r in waiting] == ["R-PAU", "R-SCH1", "R-SCH2", "R-SCH3"]
    both = await data.runs(LA_NOW, work_center_id=ids["F1"], statuses=[RunStatus.COMPLETED])
    assert [r.production_run_number for r in both] == ["C3"]
    top = await data.runs(LA_NOW, limit=3)
    assert [r.production_run_number for r in top] == ["R-ACT2", "R-ACT1", "R-PAU"]
    # exactly 24 h before now is still inside the window: move now 1 s earlier and C6 (ended
    # 24 h + 1 s before LA_NOW) is exactly 24 h old
    earlier = await data.runs(LA_NOW - timedelta(seconds=1), statuses=[RunStatus.COMPLETED])
    assert "C6" in [r.production_run_number for r in earlier]


# ---------------------------------------------------------------------------------------------
# Zero planned time, performance above 100 %, NULL quantities


async def test_zero_planned_time_gives_no_oee_and_no_crash(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("ZERO", "Z1")
    now = local("UTC", 2025, 6, 11, 12)
    idle = await builder.work_center(s, "IDLE")
    await builder.work_center(s, "NONE")
    # a shift row with nothing planned (e.g. no orders): planned 0, runtime 0, no pieces
    await builder.oee(
        s, idle, day=date(2025, 6, 11), shift="A", start=local("UTC", 2025, 6, 11, 6),
        planned=0, downtime=0, produced=0, good=0, ict=1,
    )  # fmt: skip
    data = PlantData(database, s)
    summary = await data.summary(now)
    assert summary.oee_today.planned_minutes == 0
    assert summary.oee_today.oee is None
    assert summary.target_oee_percentage is None  # weighted by 0 planned minutes: undefined
    assert summary.completed_today == 0
    assert summary.completed_quantities.yield_ratio is None
    wcs = await data.work_centers(now)
    assert [(w.work_center_code, w.oee_today.oee) for w in wcs] == [("IDLE", None), ("NONE", None)]
    trend = await data.trends(date(2025, 6, 11), date(2025, 6, 11))
    assert len(trend) == 1 and trend[0].totals.oee is None
    day = await data.trends(date(2025, 6, 11), date(2025, 6, 11), per="day")
    assert len(day) == 1 and day[0].totals.oee is None and day[0].target_oee_percentage is None
    assert await data.alerts(now) == []


async def test_performance_above_100_percent_is_shown_as_is(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("FAST", "F")
    now = local("UTC", 2025, 6, 11, 15)
    wc = await builder.work_center(s, "DIGI-1", kind="digital press")
    # planned 480, no downtime; ICT 1 s -> 28800 ideal pieces; 30000 produced, 29700 good
    # P = 30000/28800 = 1.041666 -> 104.17 %; Q = 29700/30000 = 99.00 %;
    # OEE = 29700/28800 = 1.03125 -> 103.13 %
    await builder.oee(
        s, wc, day=date(2025, 6, 11), shift="A", start=local("UTC", 2025, 6, 11, 6),
        planned=480, downtime=0, produced=30000, good=29700, ict=1,
    )  # fmt: skip
    data = PlantData(database, s)
    (w,) = await data.work_centers(now)
    assert pct(w.oee_today.performance) == D("104.17")
    assert pct(w.oee_today.quality) == D("99.00")
    assert pct(w.oee_today.oee) == D("103.13")
    summary = await data.summary(now)
    assert pct(summary.oee_today.oee) == D("103.13")
    assert await data.alerts(now) == []  # above target


async def test_null_quantities_are_zero_everywhere(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("NULLS", "N")
    now = local("UTC", 2025, 6, 11, 12)
    wc = await builder.work_center(s, "W1")
    run = await builder.run(s, wc, "N-1", "IN_PROGRESS", actual_start=local("UTC", 2025, 6, 11, 8))
    await builder.run(
        s, wc, "N-2", "COMPLETED", actual_start=local("UTC", 2025, 6, 11, 6),
        actual_end=local("UTC", 2025, 6, 11, 7), scrap=150,  # good and rework NULL
    )  # fmt: skip
    await builder.status(s, wc, "PRODUCTIVE", local("UTC", 2025, 6, 11, 8), run_id=run)
    data = PlantData(database, s)
    summary = await data.summary(now)
    assert summary.completed_today == 1
    # N-2: 0 good + 150 scrap + 0 rework = 150 produced; scrap rate 100 %
    assert summary.completed_quantities.model_dump() == {"good": 0, "scrap": 150, "rework": 0}
    assert summary.completed_quantities.scrap_rate == 1
    (u,) = await data.utilization(now)
    assert u.current_run is not None and u.current_run.run_id == run
    assert u.current_run.quantities.produced == 0
    assert u.current_run.quantity_planned is None and u.current_run.progress is None
    runs = await data.runs(now)
    assert [(r.production_run_number, r.quantities.produced) for r in runs] == [
        ("N-1", 0),
        ("N-2", 150),
    ]
    # N-2: 150 of 150 scrapped (>= 100 pieces, >= 10 %): critical, resolved at its end
    alerts = await data.alerts(now)
    assert [(a.kind, a.severity, a.resolved_at) for a in alerts] == [
        ("HIGH_SCRAP", Severity.CRITICAL, local("UTC", 2025, 6, 11, 7))
    ]


# ---------------------------------------------------------------------------------------------
# Utilization: Tokyo, now = 2025-06-11 07:30 JST = 2025-06-10 22:30 UTC (UTC date 06-10).
# Plant-local midnight = 2025-06-10 15:00 UTC; 450 minutes of today have passed.

TOKYO_NOW = local(TOKYO, 2025, 6, 11, 7, 30)


async def test_utilization_by_hand(builder: PlantBuilder, database: Database) -> None:
    s = await builder.scope("NIPPON", "TYO", timezone=TOKYO)

    def t(d: int, h: int, mi: int = 0) -> Any:
        return local(TOKYO, 2025, 6, d, h, mi)

    p1 = await builder.work_center(s, "P1")
    f1 = await builder.work_center(s, "F1", kind="folder")
    await builder.work_center(s, "G1", kind="guillotine")
    p2 = await builder.work_center(s, "P2")
    order = await builder.order(s, "PO-77")
    run = await builder.run(
        s, p1, "T-1", "IN_PROGRESS", actual_start=t(11, 6, 20), planned=5000, good=1250,
        scrap=30, order_id=order,
    )  # fmt: skip
    await builder.run(s, p1, "T-0", "COMPLETED", actual_start=t(10, 21), actual_end=t(11, 5))
    # P1's day: productive across midnight (21:00 yesterday - 01:00: 60 min today),
    # breakdown 01:00-01:45 (45), setup 01:45-02:15 (30), productive 02:15-05:00 (165),
    # planned downtime 05:00-06:00 (60), no material 06:00-06:20 (20), productive since
    # 06:20 (70 until 07:30)
    await builder.status(s, p1, "PRODUCTIVE", t(10, 21), t(11, 1))
    await builder.status(s, p1, "NON_PRODUCTIVE_BREAKDOWN", t(11, 1), t(11, 1, 45))
    await builder.status(s, p1, "NON_PRODUCTIVE_SETUP", t(11, 1, 45), t(11, 2, 15))
    await builder.status(s, p1, "PRODUCTIVE", t(11, 2, 15), t(11, 5))
    await builder.status(s, p1, "NON_PRODUCTIVE_PLANNED_DOWNTIME", t(11, 5), t(11, 6))
    await builder.status(s, p1, "NON_PRODUCTIVE_NO_MATERIAL", t(11, 6), t(11, 6, 20))
    await builder.status(
        s, p1, "PRODUCTIVE", t(11, 6, 20), previous="NON_PRODUCTIVE_NO_MATERIAL", run_id=run
    )
    # F1: broken down since yesterday 23:00 and still down, with a paused run
    await builder.status(s, f1, "PRODUCTIVE", t(10, 14), t(10, 23))
    await builder.status(
        s, f1, "NON_PRODUCTIVE_BREAKDOWN", t(10, 23), reason_code="E42",
        reason_description="feeder jam",
    )  # fmt: skip
    await builder.run(s, f1, "T-2", "PAUSED", actual_start=t(10, 20), order_id=order)
    # P2: planned downtime all day (open since yesterday)
    await builder.status(s, p2, "NON_PRODUCTIVE_PLANNED_DOWNTIME", t(10, 22))
    # G1: no status rows at all

    rows = await PlantData(database, s).utilization(TOKYO_NOW)
    assert [r.work_center_code for r in rows] == ["F1", "G1", "P1", "P2"]
    f, g, p, q = rows
    for r in rows:
        assert r.elapsed_minutes == D(450)  # 00:00 -> 07:30 local

    assert p.state == EquipmentState.PRODUCTIVE
    assert p.state_since == t(11, 6, 20)
    assert p.productive_minutes == D(295)  # 60 + 165 + 70
    assert p.setup_minutes == D(30)
    assert p.down_minutes == D(65)  # breakdown 45 + no material 20
    assert p.planned_down_minutes == D(60)
    assert p.available_minutes == D(390)  # 450 - 60
    assert pct(p.utilization) == D("75.64")  # 295 / 390 = 0.756410...
    assert p.current_run is not None
    assert p.current_run.run_id == run and p.current_run.production_run_number == "T-1"
    assert p.current_run.status == RunStatus.IN_PROGRESS
    assert p.current_run.production_order_number == "PO-77"
    assert p.current_run.quantities.model_dump() == {"good": 1250, "scrap": 30, "rework": 0}
    assert p.current_run.progress == D("0.25")  # 1250 / 5000

    assert f.state == EquipmentState.BREAKDOWN
    assert f.state_since == t(10, 23)  # since yesterday: taken from the data
    assert (f.reason_code, f.reason_description) == ("E42", "feeder jam")
    # clipped at local midnight: 450 minutes down today, nothing productive
    assert f.down_minutes == D(450)
    assert f.productive_minutes == 0 and f.utilization == 0
    assert f.current_run is not None and f.current_run.status == RunStatus.PAUSED
    assert f.current_run.progress is None

    assert g.state is None and g.state_since is None and g.current_run is None
    assert g.productive_minutes == 0 and g.utilization == 0  # 0 of 450 available

    assert q.state == EquipmentState.PLANNED_DOWNTIME
    assert q.planned_down_minutes == D(450)
    assert q.available_minutes == 0 and q.utilization is None  # nothing was available


# ---------------------------------------------------------------------------------------------
# OEE trends: per shift and per day; the night shift crosses midnight


async def test_oee_trends_per_shift_and_per_day(builder: PlantBuilder, database: Database) -> None:
    s = await builder.scope("NIPPON", "TYO", timezone=TOKYO)

    def t(d: int, h: int) -> Any:
        return local(TOKYO, 2025, 6, d, h)

    p1 = await builder.work_center(s, "P1")
    f1 = await builder.work_center(s, "F1")
    d9, d10, d11 = date(2025, 6, 9), date(2025, 6, 10), date(2025, 6, 11)
    # outside the range (06-09 night shift, 22:00 -> 06:00 on 06-10)
    await builder.oee(
        s, p1, day=d9, shift="C", start=t(9, 22), planned=480, downtime=0, produced=1,
        good=1, ict=1,
    )  # fmt: skip
    # P1 06-10 A: 480 planned, no downtime, 28800 good at ICT 1 s -> OEE 100 %
    await builder.oee(
        s, p1, day=d10, shift="A", start=t(10, 6), planned=480, downtime=0, produced=28800,
        good=28800, ict=1, target=85,
    )  # fmt: skip
    # P1 06-10 B: 240 planned, 120 down -> A 0.5; 3600 produced in 120 min -> P 0.5;
    # 1800 good -> Q 0.5; OEE 0.125
    await builder.oee(
        s, p1, day=d10, shift="B", start=t(10, 14), planned=240, downtime=120, produced=3600,
        good=1800, ict=1, target=80,
    )  # fmt: skip
    # P1 06-10 C (22:00 -> 06:00 on 06-11, crosses midnight): nothing planned -> OEE None
    await builder.oee(
        s, p1, day=d10, shift="C", start=t(10, 22), planned=0, downtime=0, produced=0,
        good=0, ict=1, target=85,
    )  # fmt: skip
    # P1 06-11 A so far: 240 planned, 14400 good -> 100 %
    await builder.oee(
        s, p1, day=d11, shift="A", start=t(11, 6), planned=240, downtime=0, produced=14400,
        good=14400, ict=1,
    )  # fmt: skip
    # F1 06-10 A: 480 planned, 48 down; ICT 4 s; 4000 produced, 3800 good
    # OEE = 4*3800/(480*60) = 15200/28800 = 0.527777 -> 52.78 %
    await builder.oee(
        s, f1, day=d10, shift="A", start=t(10, 6), planned=480, downtime=48, produced=4000,
        good=3800, ict=4,
    )  # fmt: skip
    data = PlantData(database, s)

    shifts = await data.trends(d10, d11)
    assert [(p.work_center_code, p.calculation_date, p.shift) for p in shifts] == [
        ("F1", d10, "A"),
        ("P1", d10, "A"),
        ("P1", d10, "B"),
        ("P1", d10, "C"),
        ("P1", d11, "A"),
    ]
    assert [pct(p.totals.oee) for p in shifts] == [
        D("52.78"), D("100.00"), D("12.50"), None, D("100.00"),
    ]  # fmt: skip
    night = shifts[3]
    assert night.period_start == t(10, 22) and night.period_end == t(11, 6)
    assert shifts[2].target_oee_percentage == D(80)

    days = await data.trends(d10, d11, per="day")
    assert [(p.work_center_code, p.calculation_date, p.shift) for p in days] == [
        ("F1", d10, None),
        ("P1", d10, None),
        ("P1", d11, None),
    ]
    p1_day = days[1]
    # summed: planned 480+240+0 = 720, runtime 480+120 = 600, produced 28800+3600 = 32400,
    # good 28800+1800 = 30600 -> OEE = 30600/(720*60) = 30600/43200 = 0.708333 -> 70.83 %
    assert p1_day.totals.planned_minutes == D(720)
    assert p1_day.totals.runtime_minutes == D(600)
    assert (p1_day.totals.produced, p1_day.totals.good) == (32400, 30600)
    assert pct(p1_day.totals.oee) == D("70.83")
    # not the mean of the shifts' percentages: (100 + 12.5) / 2 = 56.25 %
    assert pct(p1_day.totals.oee) != D("56.25")
    # target weighted by planned time: (85*480 + 80*240 + 85*0)/720 = 60000/720 = 83.333...
    assert p1_day.target_oee_percentage is not None
    assert p1_day.target_oee_percentage.quantize(D("0.01")) == D("83.33")
    # the day spans from the first shift's start to the night shift's end (next morning)
    assert p1_day.period_start == t(10, 6) and p1_day.period_end == t(11, 6)
    assert pct(days[0].totals.oee) == D("52.78")
    assert pct(days[2].totals.oee) == D("100.00")

    only_f1 = await data.trends(d9, d11, work_center_id=f1)
    assert [(p.work_center_code, p.shift) for p in only_f1] == [("F1", "A")]
    today = await data.trends(d11, d11)
    assert [(p.work_center_code, p.calculation_date) for p in today] == [("P1", d11)]
    with pytest.raises(ValueError):
        await data.trends(d10, d11, per="week")


# ---------------------------------------------------------------------------------------------
# Alerts


async def test_active_alerts_by_hand(builder: PlantBuilder, database: Database) -> None:
    s = await builder.scope("ACME", "LAX", timezone=LA)

    def t(d: int, h: int, mi: int = 0) -> Any:
        return local(LA, 2025, 6, d, h, mi)

    p1 = await builder.work_center(s, "P1")
    f1 = await builder.work_center(s, "F1")
    g1 = await builder.work_center(s, "G1")
    for wc in (p1, f1, g1):  # work for each: the plan snoozes an idle one (tested below)
        await builder.working(s, wc, t(10, 20))
    d11 = date(2025, 6, 11)
    # equipment
    down_p1 = await builder.status(
        s, p1, "NON_PRODUCTIVE_BREAKDOWN", t(11, 16, 50),
        reason_description="blanket wash failure",
    )  # fmt: skip
    wait_f1 = await builder.status(s, f1, "NON_PRODUCTIVE_NO_MATERIAL", t(11, 9), t(11, 9, 40))
    await builder.status(s, f1, "NON_PRODUCTIVE_NO_OPERATOR", t(11, 10), t(11, 10, 5))  # 5 min
    await builder.status(s, g1, "NON_PRODUCTIVE_BREAKDOWN", t(10, 10), t(10, 11))  # yesterday
    wait_g1 = await builder.status(s, g1, "NON_PRODUCTIVE_NO_OPERATOR", t(10, 23))  # still open
    await builder.status(s, f1, "NON_PRODUCTIVE_SETUP", t(11, 17))  # setup is no alert
    # OEE rows of today, ICT 1 s, no defects; OEE = good / (planned*60)
    # P1 A (06-14, over): 480 planned, 120 down, 14400 good -> 50 % vs 85: gap 35, critical
    await builder.oee(
        s, p1, day=d11, shift="A", start=t(11, 6), planned=480, downtime=120, produced=14400,
        good=14400, ict=1,
    )  # fmt: skip
    # P1 B (14-22, running): 210 planned, 11340 good -> 11340/12600 = 90 % >= 85: fine
    await builder.oee(
        s, p1, day=d11, shift="B", start=t(11, 14), planned=210, downtime=0, produced=11340,
        good=11340, ict=1,
    )  # fmt: skip
    # F1 B: 210 planned, 9450 good -> 9450/12600 = 75 % vs 85: gap 10, warning
    await builder.oee(
        s, f1, day=d11, shift="B", start=t(11, 14), planned=210, downtime=0, produced=9450,
        good=9450, ict=1,
    )  # fmt: skip
    # G1 B: only 30 planned minutes: not judged yet (oee_min_planned_minutes 60)
    await builder.oee(
        s, g1, day=d11, shift="B", start=t(11, 14), planned=30, downtime=30, produced=0,
        good=0, ict=1,
    )  # fmt: skip
    # yesterday's bad shift: not today
    await builder.oee(
        s, g1, day=date(2025, 6, 10), shift="B", start=t(10, 14), planned=480, downtime=400,
        produced=0, good=0, ict=1,
    )  # fmt: skip
    # runs: HS1 in progress 100 of 1000 scrapped (10 %): critical
    hs1 = await builder.run(
        s, p1, "HS1", "IN_PROGRESS", actual_start=t(11, 13), good=900, scrap=100
    )
    # HS2 completed today, 10 of 200 (5 %): warning, resolved at its end
    hs2 = await builder.run(
        s, f1, "HS2", "COMPLETED", actual_start=t(11, 7), actual_end=t(11, 11), good=190,
        scrap=10, rework=0,
    )  # fmt: skip
    # HS3 completed yesterday with heavy scrap: not today
    await builder.run(
        s, f1, "HS3", "COMPLETED", actual_start=t(10, 7), actual_end=t(10, 11), good=100,
        scrap=100,
    )  # fmt: skip
    # HS4 NULL quantities; HS5 too few pieces (25 of 50)
    await builder.run(s, g1, "HS4", "IN_PROGRESS", actual_start=t(11, 12))
    await builder.run(s, g1, "HS5", "PAUSED", actual_start=t(11, 12), good=25, scrap=25)
    # another tenant's breakdown is invisible
    other = await builder.scope("GLOBEX", "LAX", timezone=LA)
    o1 = await builder.work_center(other, "P1")
    await builder.status(other, o1, "NON_PRODUCTIVE_BREAKDOWN", t(11, 17))

    data = PlantData(database, s)
    alerts = await data.alerts(LA_NOW)
    # active first (newest start first), then resolved (newest start first)
    assert [(a.key, a.severity, a.started_at, a.resolved_at) for a in alerts] == [
        (f"EQUIPMENT_DOWN:{down_p1}", Severity.CRITICAL, t(11, 16, 50), None),
        (f"LOW_OEE:{f1}:2025-06-11:B", Severity.WARNING, t(11, 14), None),
        (f"HIGH_SCRAP:{hs1}", Severity.CRITICAL, t(11, 13), None),
        (f"EQUIPMENT_DOWN:{wait_g1}", Severity.WARNING, t(10, 23), None),
        (f"EQUIPMENT_DOWN:{wait_f1}", Severity.WARNING, t(11, 9), t(11, 9, 40)),
        (f"HIGH_SCRAP:{hs2}", Severity.WARNING, t(11, 7), t(11, 11)),
        (f"LOW_OEE:{p1}:2025-06-11:A", Severity.CRITICAL, t(11, 6), t(11, 14)),
    ]
    assert [(a.work_center_code, alert_text(a)) for a in alerts[:3]] == [
        ("P1", "down, breakdown: blanket wash failure"),
        ("F1", "OEE 75.0% below target 85% (shift B)"),
        ("P1", "scrap 10.0% on run HS1 (100 of 1000)"),
    ]
    # five minutes later, with P1's breakdown over: same keys, P1's breakdown resolved
    await builder.conn.execute(
        "UPDATE equipment_status_log SET status_end = $2 WHERE id = $1",
        down_p1,
        t(11, 17, 20),
    )
    again = await data.alerts(LA_NOW + timedelta(minutes=5))
    assert {a.key for a in again} == {a.key for a in alerts}
    by_key = {a.key: a for a in again}
    assert by_key[f"EQUIPMENT_DOWN:{down_p1}"].resolved_at == t(11, 17, 20)
    assert by_key[f"EQUIPMENT_DOWN:{down_p1}"].started_at == t(11, 16, 50)


async def test_alert_keys_are_the_same_across_processes(builder: PlantBuilder, db_dsn: str) -> None:
    s = await builder.scope("ACME", "LAX", timezone=LA)
    wc = await builder.work_center(s, "P1")
    await builder.working(s, wc, local(LA, 2025, 6, 11, 8))  # work: the plan does not snooze it
    await builder.status(s, wc, "NON_PRODUCTIVE_BREAKDOWN", local(LA, 2025, 6, 11, 17))
    first, second = await open_database(db_dsn), await open_database(db_dsn)
    try:
        a = await PlantData(first, s).alerts(LA_NOW)
        b = await PlantData(second, s).alerts(LA_NOW + timedelta(seconds=30))
    finally:
        await first.close()
        await second.close()
    assert [x.key for x in a] == [x.key for x in b] and len(a) == 1


# ---------------------------------------------------------------------------------------------
# Status changes (drill-down timeline)


async def test_status_changes(builder: PlantBuilder, database: Database) -> None:
    s = await builder.scope("ACME", "LAX", timezone=LA)

    def t(h: int, mi: int = 0) -> Any:
        return local(LA, 2025, 6, 11, h, mi)

    p1 = await builder.work_center(s, "P1")
    f1 = await builder.work_center(s, "F1")
    run = await builder.run(s, p1, "R-9", "IN_PROGRESS", actual_start=t(8))
    await builder.status(s, p1, "PRODUCTIVE", t(6), t(7))  # ended before `since`
    await builder.status(
        s, p1, "NON_PRODUCTIVE_SETUP", t(7), t(8), previous="PRODUCTIVE", run_id=run
    )
    await builder.status(
        s, p1, "PRODUCTIVE", t(8), previous="NON_PRODUCTIVE_SETUP", run_id=run,
        reason_code="OK", reason_description="running",
    )  # fmt: skip
    await builder.status(s, f1, "NON_PRODUCTIVE_BREAKDOWN", t(7, 30))  # another work center
    changes = await PlantData(database, s).status_changes(p1, t(7, 30))
    assert [(c.status, c.status_start, c.status_end) for c in changes] == [
        (EquipmentState.PRODUCTIVE, t(8), None),
        (EquipmentState.SETUP, t(7), t(8)),  # overlaps `since`
    ]
    assert changes[0].previous_status == EquipmentState.SETUP
    assert changes[0].production_run_number == "R-9"
    assert (changes[0].reason_code, changes[0].reason_description) == ("OK", "running")
    assert changes[1].production_run_number == "R-9"
    # another tenant's scope sees nothing of this work center
    other = await builder.scope("GLOBEX", "LAX", timezone=LA)
    assert await PlantData(database, other).status_changes(p1, t(0)) == []


# ---------------------------------------------------------------------------------------------
# Daylight saving time: on 2025-03-09 Los Angeles springs forward at 02:00 (PST -> PDT), so the
# local day has 23 hours. At 12:00 PDT (19:00 UTC) 11 real hours = 660 minutes have passed
# since local midnight (08:00 UTC), not the 12 hours the wall clock suggests.


async def test_utilization_on_a_dst_day_counts_real_minutes(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("ACME", "LAX", timezone=LA)
    wc = await builder.work_center(s, "P1")
    await builder.status(s, wc, "PRODUCTIVE", local(LA, 2025, 3, 8, 20))  # since yesterday
    now = local(LA, 2025, 3, 9, 12)  # a plant-local `now`, as a kiosk clock would give
    (u,) = await PlantData(database, s).utilization(now)
    assert u.elapsed_minutes == D(660)
    assert u.productive_minutes == D(660)  # clipped at local midnight
    assert u.utilization == 1


async def test_run_window_is_24_real_hours_across_dst(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("ACME", "LAX", timezone=LA)
    wc = await builder.work_center(s, "P1")
    now = local(LA, 2025, 3, 9, 12)  # = 2025-03-09 19:00 UTC; 24 h before: 03-08 19:00 UTC
    # ended 2025-03-08 11:30 PST = 19:30 UTC: 23.5 real hours ago -> listed
    await builder.run(
        s, wc, "IN", "COMPLETED", actual_start=local(LA, 2025, 3, 8, 10),
        actual_end=local(LA, 2025, 3, 8, 11, 30),
    )  # fmt: skip
    # ended 2025-03-08 10:30 PST = 18:30 UTC: 24.5 real hours ago -> not listed
    await builder.run(
        s, wc, "OUT", "COMPLETED", actual_start=local(LA, 2025, 3, 8, 9),
        actual_end=local(LA, 2025, 3, 8, 10, 30),
    )  # fmt: skip
    runs = await PlantData(database, s).runs(now)
    assert [r.production_run_number for r in runs] == ["IN"]


async def test_figures_are_as_of_now(builder: PlantBuilder, database: Database) -> None:
    """A fixed `now` (replay, screenshot) shows nothing that ends after it: a run completed
    later the same local day is not counted yet, in the summary, work centers and run list."""
    s = await builder.scope("ACME", "LAX", timezone=LA)
    wc = await builder.work_center(s, "P1")
    await builder.run(
        s, wc, "DONE", "COMPLETED", actual_start=local(LA, 2025, 6, 11, 9),
        actual_end=local(LA, 2025, 6, 11, 17), good=100,
    )  # fmt: skip
    await builder.run(
        s, wc, "LATER", "COMPLETED", actual_start=local(LA, 2025, 6, 11, 9),
        actual_end=local(LA, 2025, 6, 11, 18), good=1000,
    )  # fmt: skip
    data = PlantData(database, s)
    summary = await data.summary(LA_NOW)  # 17:30
    assert summary.completed_today == 1
    assert summary.completed_quantities.good == 100
    (w,) = await data.work_centers(LA_NOW)
    assert (w.completed_today, w.completed_quantities.good) == (1, 100)
    assert [r.production_run_number for r in await data.runs(LA_NOW)] == ["DONE"]
    # at the end of the day both count
    late = local(LA, 2025, 6, 11, 23, 59)
    assert (await data.summary(late)).completed_today == 2
