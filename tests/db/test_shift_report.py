"""The shift report's figures from hand-made rows, worked out by hand (README: Numbers): a shift
with a 3-minute small stop and a 20-minute breakdown, a run at 110 % of the rated speed, the
night shift across midnight, a work center without status rows whose times come from the
ERP's loss columns, another facility that must not count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal as D

import pytest
from plant_builder import PlantBuilder

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.losses import LossKind
from floorwatch.domain.models import EquipmentState, Scope
from floorwatch.domain.shift_window import parse_shift, shift_at

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # shift 1 of 2 Nov (06:00-14:00 UTC), 4 h in


def t(day: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, 11, day, h, mi, tzinfo=UTC)


@pytest.fixture
async def plant(builder: PlantBuilder) -> Scope:
    scope = await builder.scope("PACE", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1", rate=3600)  # ideal cycle time 1 s
    cut = await builder.work_center(scope, "CUT-1", rate=1200)  # 3 s
    s = builder.status
    # --- PRESS-1, shift 1 of 2 Nov, 06:00 .. now (10:00)
    await s(
        scope,
        press,
        "NON_PRODUCTIVE_SETUP",
        t(2, 5, 40),
        t(2, 6, 30),
        reason_code="MR",
        reason_description="make-ready",
    )  # 50 min, 30 of them in shift 1
    await s(scope, press, "PRODUCTIVE", t(2, 6, 30), t(2, 8, 0))  # 90
    await s(
        scope,
        press,
        "NON_PRODUCTIVE_BREAKDOWN",
        t(2, 8, 0),
        t(2, 8, 3),
        reason_code="FEED",
        reason_description="feeder jam",
    )  # 3: a small stop
    await s(scope, press, "PRODUCTIVE", t(2, 8, 3), t(2, 8, 20))  # 17
    await s(
        scope,
        press,
        "NON_PRODUCTIVE_BREAKDOWN",
        t(2, 8, 20),
        t(2, 8, 40),
        reason_code="WEB",
        reason_description="web break",
    )  # 20
    await s(scope, press, "NON_PRODUCTIVE_PLANNED_DOWNTIME", t(2, 8, 40), t(2, 9, 0))  # 20
    await s(scope, press, "PRODUCTIVE", t(2, 9, 0))  # open: 60 so far
    # 110 % of the rated speed: 167 productive min x 60 pieces/min x 1.1 = 11,022 pieces
    await builder.oee(
        scope,
        press,
        day=date(2026, 11, 2),
        shift="1",
        start=t(2, 6),
        planned=220,
        downtime=53,
        produced=11_022,
        good=10_472,
        ict=1,
        extra={"scrap_pieces": 500, "rework_pieces": 50},
    )
    # --- PRESS-1, the night shift 3 of 1 Nov: 22:00 .. 06:00, across midnight
    await s(scope, press, "PRODUCTIVE", t(1, 22), t(2, 2))  # 240
    await s(scope, press, "NON_PRODUCTIVE_NO_MATERIAL", t(2, 2), t(2, 2, 45))  # 45, no reason
    await s(scope, press, "PRODUCTIVE", t(2, 2, 45), t(2, 5, 40))  # 175
    # (the MR setup from 05:40: 20 min in this shift)
    await builder.oee(
        scope,
        press,
        day=date(2026, 11, 1),
        shift="3",
        start=t(1, 22),
        planned=480,
        downtime=65,
        produced=24_000,
        good=23_500,
        ict=1,
    )
    # --- CUT-1: no status rows; the ERP's split of its 40 min of downtime in its shift row
    await builder.oee(
        scope,
        cut,
        day=date(2026, 11, 2),
        shift="1",
        start=t(2, 6),
        planned=200,
        downtime=40,
        produced=3_000,
        good=2_900,
        ict=3,
        extra={
            "scrap_pieces": 60,
            "rework_pieces": 40,
            "setup_changeover_minutes": 10,
            "breakdown_minutes": 15,
            "no_material_minutes": 5,
        },
    )
    # --- another tenant's facility: counts nowhere here
    other = await builder.scope("ELSE", "P1", timezone="UTC", first_shift_start=time(6))
    elsewhere = await builder.work_center(other, "PRESS-1", rate=3600)
    await s(other, elsewhere, "NON_PRODUCTIVE_BREAKDOWN", t(2, 6), reason_code="WEB")
    await builder.oee(
        other,
        elsewhere,
        day=date(2026, 11, 2),
        shift="1",
        start=t(2, 6),
        planned=240,
        downtime=240,
        produced=0,
        good=0,
        ict=1,
    )
    return scope  # fmt: skip


async def test_current_shift_by_hand(plant: Scope, database: Database) -> None:
    report = await PlantData(database, plant).current_shift(NOW)
    assert (report.key, report.start, report.as_of, report.closed) == (
        "2026-11-02/1", t(2, 6), NOW, False,
    )  # fmt: skip
    cut, press = report.work_centers  # by code
    assert (cut.work_center_code, press.work_center_code) == ("CUT-1", "PRESS-1")

    # PRESS-1: productive 90 + 17 + 60 = 167, setup 30, breakdown 20, small stop 3, planned
    # downtime 20 (taken out): planned time 167 + 30 + 20 + 3 = 220 of the 240 minutes
    times = press.times
    assert (times.productive, times.setup, times.unplanned, times.small_stops) == (167, 30, 20, 3)
    assert times.planned_down == 20 and times.planned == 220
    assert press.target == 13_200  # 3,600 pieces/h x 220 min / 60
    assert press.actual == 11_022 and press.efficiency == D(11_022) / 13_200  # 83.5 %
    assert press.downtime_minutes == 23  # 20 + the 3-minute small stop
    # the goal of the whole 8 h shift: 3,600/h x 480 min / 60 x the rows' 85 % target
    assert press.goal == 24_480
    assert (press.good, press.scrap, press.rework) == (10_472, 500, 50)
    losses = press.losses
    assert losses.unplanned_stops == 20 and losses.planned_stops == 30
    assert losses.small_stops == 3
    assert losses.slow_cycles == 167 - D(11_022) / 60  # -16.7: faster than rated
    assert losses.scrap == D(500) / 60 and losses.rework == D(50) / 60
    assert losses.fully_productive == D(10_472) / 60
    assert losses.total + losses.fully_productive == 220
    assert [(e.reason_code, e.minutes, e.count) for e in press.pareto] == [
        ("MR", 30, 1), ("WEB", 20, 1), ("FEED", 3, 1),
    ]  # fmt: skip
    assert [e.cumulative for e in press.pareto] == [D(30) / 53, D(50) / 53, 1]
    assert press.pareto[0].description == "make-ready"

    # CUT-1 from the ERP's columns: productive = runtime 160, setup 10, unplanned 15 + 5 and
    # the 10 min of downtime the columns leave unsplit (as breakdown): 30; planned 200
    assert cut.times_from_erp
    assert (cut.times.productive, cut.times.setup, cut.times.unplanned) == (160, 10, 30)
    assert cut.target == 4_000  # 1,200/h x 200 min / 60
    # slow 160 - 3,000 x 3 s / 60 = 10; scrap 60 x 3 / 60 = 3; rework 40 x 3 / 60 = 2
    assert (cut.losses.slow_cycles, cut.losses.scrap, cut.losses.rework) == (10, 3, 2)
    assert cut.losses.fully_productive == 145  # 2,900 x 3 s
    assert [(e.reason_code, e.status, e.minutes, e.count) for e in cut.pareto] == [
        (None, EquipmentState.BREAKDOWN, 25, None),
        (None, EquipmentState.SETUP, 10, None),
        (None, EquipmentState.NO_MATERIAL, 5, None),
    ]

    # the facility: sums (the other facility's breakdown and row count nowhere)
    f = report.facility
    assert f.target == 17_200 and f.actual == 14_022  # 13,200 + 4,000; 11,022 + 3,000
    assert f.efficiency == D(14_022) / 17_200
    assert f.goal == 24_480 + 8_160  # CUT-1: 1,200/h x 8 h x 85 %
    assert (f.good, f.scrap, f.rework) == (13_372, 560, 90)
    assert f.downtime_minutes == 53  # 23 + 30
    assert f.times.planned == 420 and f.losses.total + f.losses.fully_productive == 420
    assert [e.minutes for e in f.pareto] == [30, 25, 20, 10, 5, 3]  # MR, BREAKDOWN, WEB, ...
    # unplanned 20 + 30 = 50 minutes, more than the 30 + 10 of setup
    assert f.losses.top() == LossKind.UNPLANNED_STOPS
    # the facility's OEE from the summed rows: A = 327 / 420 min, P = ideal 11,022 x 1 s +
    # 3,000 x 3 s = 20,022 s over 327 min, Q = 13,372 / 14,022; A x P x Q
    assert f.oee.oee == D(327) / 420 * (D(20_022) / (327 * 60)) * (D(13_372) / 14_022)


async def test_the_night_shift_across_midnight(plant: Scope, database: Database) -> None:
    window = parse_shift("previous", NOW, plant)
    assert (window.key, window.start, window.end) == ("2026-11-01/3", t(1, 22), t(2, 6))
    report = await PlantData(database, plant).shift_report(window, NOW)
    assert report.closed
    press = report.work_centers[1]
    # productive 240 + 175 = 415, no material 45, the MR setup's 20 min before 06:00
    assert (press.times.productive, press.times.unplanned, press.times.setup) == (415, 45, 20)
    assert press.times.planned == 480 and press.target == 28_800
    # the row does not split its 500 defective pieces: all counted as scrap
    assert (press.scrap, press.rework) == (500, None)
    assert press.losses.slow_cycles == 15  # 415 - 24,000 s / 60
    assert press.losses.scrap == D(500) / 60 and press.losses.rework == 0
    assert [(e.reason_code, e.status, e.minutes) for e in press.pareto] == [
        (None, EquipmentState.NO_MATERIAL, 45), ("MR", None, 20),
    ]  # fmt: skip
    # CUT-1 has neither rows nor status in that shift
    assert report.work_centers[0].actual == 0 and report.work_centers[0].target == 0


async def test_an_open_stop_is_small_until_it_reaches_the_threshold(
    builder: PlantBuilder, database: Database
) -> None:
    scope = await builder.scope("SMALL", "P1", timezone="UTC", first_shift_start=time(6))
    wc = await builder.work_center(scope, "W1")
    await builder.status(scope, wc, "NON_PRODUCTIVE_BREAKDOWN", t(2, 9, 56), reason_code="JAM")
    data = PlantData(database, scope)
    early = (await data.current_shift(t(2, 10, 0))).work_centers[0]  # 4 min so far
    late = (await data.current_shift(t(2, 10, 1))).work_centers[0]  # 5 min: no longer small
    assert (early.times.small_stops, early.times.unplanned) == (4, 0)
    assert (late.times.small_stops, late.times.unplanned) == (0, 5)


async def test_a_day_with_the_clocks_going_back(builder: PlantBuilder, database: Database) -> None:
    """New York, 1 Nov 2026: the night shift of 31 Oct (22:00 to 06:00 local) lasts 9 hours."""
    scope = await builder.scope("DST", "NY", timezone="America/New_York", first_shift_start=time(6))
    wc = await builder.work_center(scope, "W1", rate=60)  # a piece a minute
    start = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)  # 22:00 EDT on 31 Oct
    end = datetime(2026, 11, 1, 11, 0, tzinfo=UTC)  # 06:00 EST on 1 Nov
    await builder.status(scope, wc, "PRODUCTIVE", start, end)
    window = parse_shift("2026-10-31/3", end, scope)
    assert (window.start, window.end) == (start, end)
    report = await PlantData(database, scope).shift_report(window, end)
    assert report.work_centers[0].times.productive == 540  # 9 h
    assert report.work_centers[0].target == 540
    assert report.work_centers[0].goal is None  # no OEE row: no target to aim at
    assert shift_at(end, scope).key == "2026-11-01/1"
