"""The monitor's queries on an adopted ERP database (adopt V002: floorwatch's views over the
ERP's own tables), on rows written through the ERP's columns (erp_builder).

Queries go through the real data layer exactly as the monitor calls them: Database (reader
role, read-only transaction, tenant set, search_path floorwatch first) and PlantData. Every
expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from erp_builder import ErpBuilder
from plant_builder import local, open_database

from databases import create_adopted_database, create_migrated_database
from floorwatch.db import queries
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import SEARCH_PATH, Database, create_pool
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.domain.models import AlertKind, EquipmentState, RunStatus, Scope, Severity
from floorwatch.domain.oee import as_percent
from logins import Logins

D = Decimal
LA = "America/Los_Angeles"  # UTC-7 in June
NY = "America/New_York"  # UTC-4 in June
# 2025-06-11 17:30 PDT = 2025-06-12 00:30 UTC; plant-local midnight = 06-11 07:00 UTC
LA_NOW = local(LA, 2025, 6, 11, 17, 30)
TABLES = PLANT_TABLES


def t(d: int, h: int, mi: int = 0) -> datetime:
    return local(LA, 2025, 6, d, h, mi)


# the ERP's shifts of P1: 07:00-15:00, 15:00-23:00, 23:00-07:00 (floorwatch reads 07:00 x 8 h)
THREE_SHIFTS = {
    day: {"shifts": [{"start": a, "end": b} for a, b in (("07:00", "15:00"), ("15:00", "23:00"),
                                                        ("23:00", "07:00"))]}
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
}  # fmt: skip
# calendars floorwatch cannot read: every shape skipped, none raises
HOSTILE_CALENDARS: list[Any] = [
    {"monday": "closed", "tuesday": {"shifts": "all day"}, "friday": None},
    {"monday": {"shifts": [5, None, "x", {"start": 6}, {"start": "25:99", "end": "x"},
                           {"start": "05:00", "end": "05:00:00.5"}, {"start": "04:00"}]}},
    "just text",
    [1, 2, 3],
]  # fmt: skip
# a well-formed shift of a length floorwatch has no pattern for (6.5 h): the default pattern
ODD_LENGTH = {"monday": {"shifts": [{"start": "03:00", "end": "09:30"}]}}


@dataclass
class ErpPlant:
    dsn: str
    la: Scope  # as the directory must list it
    bad_tz: Scope
    globex: Scope
    ids: dict[str, uuid.UUID]
    admin: asyncpg.Connection


async def build(b: ErpBuilder) -> tuple[Scope, Scope, Scope, dict[str, uuid.UUID]]:
    ids: dict[str, uuid.UUID] = {}
    acme = await b.tenant("ACME", default_timezone=NY)
    la = await b.facility(acme, "ACME", "LAX", timezone=LA)
    la = la.model_copy(update={"first_shift_start": time(7)})  # from P1's calendar
    p1 = ids["P1"] = await b.work_center(la, "P1", status="IN_USE", operating_calendar=THREE_SHIFTS)
    # no rate, status or is_active: rate None, AVAILABLE, active; a calendar of no shape
    p2 = ids["P2"] = await b.work_center(
        la, "P2", rate=None, status=None, is_active=None, operating_calendar=HOSTILE_CALENDARS[0]
    )
    f1 = ids["F1"] = await b.work_center(la, "F1", kind="FOLDER", rate=1800)
    for i, calendar in enumerate(HOSTILE_CALENDARS[1:]):
        ids[f"H{i}"] = await b.work_center(la, f"H{i}", operating_calendar=calendar)
    await b.work_center(la, "X9", deleted_at=t(1, 0) - timedelta(days=150))  # deleted in January
    await b.work_center(la, "")  # an empty code: left out
    order = await b.order(la, "PO-1001", "5000.0000", priority=9)

    # open runs: in progress (decimal good 1200.4 -> 1200), paused (NULL quantities), scheduled
    ids["ACT1"] = await b.run(
        la, p1, "R-ACT1", "IN_PROGRESS", order_id=order, operator_name="Ana",
        actual_start=t(11, 14, 10), planned="5000.0000", good="1200.4", scrap=40, rework=10,
    )  # fmt: skip
    ids["PAU"] = await b.run(la, f1, "R-PAU", "PAUSED", actual_start=t(11, 13))
    ids["SCH1"] = await b.run(la, p2, "R-SCH1", "SCHEDULED", scheduled_start=t(11, 18))
    # completed: C1 yesterday 22:00 -> today 01:30; C3 decimals 2000.5 -> 2001 and
    # 129.5 -> 130 (half away from zero), rework NULL; C4 every quantity NULL
    ids["C1"] = await b.run(
        la, p1, "C1", "COMPLETED", actual_start=t(10, 22), actual_end=t(11, 1, 30),
        planned=1100, good=1000, scrap=50, rework=20,
    )  # fmt: skip
    ids["C3"] = await b.run(
        la, f1, "C3", "COMPLETED", actual_start=t(11, 12), actual_end=t(11, 15),
        good="2000.5", scrap="129.5",
    )  # fmt: skip
    ids["C4"] = await b.run(la, p2, "C4", "COMPLETED", actual_start=t(11, 9), actual_end=t(11, 10))
    # rows breaking floorwatch's rules: left out (and counted by unreadable_rows)
    await b.run(la, p1, "BAD-END", "COMPLETED", actual_start=t(11, 11), actual_end=t(11, 10),
                good=9999)  # fmt: skip
    await b.run(la, p1, "BAD-STATUS", "DONE", actual_start=t(11, 8), good=9999)
    await b.run(la, f1, "BAD-OPEN", "COMPLETED", actual_start=t(11, 8), good=9999)
    await b.run(la, p1, "BAD-NEG", "COMPLETED", actual_start=t(11, 10), actual_end=t(11, 11),
                good=9999, scrap=-5)  # fmt: skip

    # OEE rows of production day 06-11 (pattern 07:00 x 8 h)
    # P1 shift '1' (07:00-15:00 PDT): planned 480, runtime 420, ICT 1.5 s, 14000 made, 13300 good
    await b.oee(la, p1, day=date(2025, 6, 11), shift="1", planned=480, runtime=420,
                produced=14000, good=13300, ict="1.5", target=85)  # fmt: skip
    # P1 shift '2' (15:00-23:00): no ICT: 3600 / 3600 per hour = 1 s; no target: 85; no downtime
    await b.oee(la, p1, day=date(2025, 6, 11), shift="2", planned=150, runtime=120,
                produced=3000, good=2900, target=None,
                losses={"breakdown_minutes": D("12.5"), "quality_loss_pieces": 100})  # fmt: skip
    # F1: no shift: the whole production day 07:00 -> 07:00
    await b.oee(la, f1, day=date(2025, 6, 11), shift=None, planned=60, runtime=30,
                produced=600, good=540, ict=2, target=75)  # fmt: skip
    # P2: no ICT and no rate: left out
    await b.oee(la, p2, day=date(2025, 6, 11), shift="A", planned=480, runtime=480,
                produced=1, good=1)  # fmt: skip
    # F1 06-10: night shift '3' (23:00 06-10 -> 07:00 06-11), and a whole-day row beside it:
    # the day row is left out (it would count the day twice)
    await b.oee(la, f1, day=date(2025, 6, 10), shift="3", planned=480, runtime=240,
                produced=100, good=50, ict=60, target=75)  # fmt: skip
    await b.oee(la, f1, day=date(2025, 6, 10), shift=None, planned=999, runtime=999,
                produced=999, good=999, ict=1)  # fmt: skip
    # runtime above planned: left out
    await b.oee(la, p1, day=date(2025, 6, 9), shift="1", planned=100, runtime=200,
                produced=1, good=1, ict=1)  # fmt: skip

    # equipment states (today)
    await b.status(la, p1, "non_productive_setup ", t(11, 13, 40), t(11, 14, 10))
    await b.status(la, p1, "PRODUCTIVE", t(11, 14, 10), previous="NON_PRODUCTIVE_SETUP",
                   run_id=ids["ACT1"], reason_code="RUN")  # fmt: skip
    await b.status(la, p1, "PRODUCTIVE", t(11, 12), t(11, 11))  # ends before it starts
    await b.status(la, f1, "PRODUCTIVE", t(11, 8), t(11, 16, 30))
    # a breakdown as a VARCHAR(20) keeps it: NON_PRODUCTIVE_BREAK
    await b.status(la, f1, "NON_PRODUCTIVE_BREAK", t(11, 16, 30), previous="PRODUCTIVE",
                   reason_description="web break")  # fmt: skip
    await b.status(la, p2, "NON_PRODUCTIVE_NO_MA", t(11, 12), t(11, 13), previous="PRODUCTIV")
    await b.status(la, p2, "NON_PRODUCTIVE_NO_", t(11, 17))  # either wait: unreadable

    # a facility whose timezone is no IANA name: the tenant's (New York); shifts from an ERP
    # calendar of 05:00-17:00 / 17:00-05:00 (05:00 x 12 h), beside hostile calendars
    bad_tz = await b.facility(acme, "ACME", "MARS", timezone="Mars/Olympus", reads_as_timezone=NY)
    bad_tz = bad_tz.model_copy(update={"first_shift_start": time(5), "shift_length_hours": 12})
    twelve = [{"start": "17:00", "end": "05:00"}, {"start": "5:00", "end": "17:00"}]
    m1 = ids["M1"] = await b.work_center(
        bad_tz, "M1", operating_calendar={"sunday": {"shifts": twelve}}
    )
    await b.work_center(bad_tz, "M2", operating_calendar=HOSTILE_CALENDARS[1])
    # shift 'B' of 06-11: 17:00 EDT 06-11 -> 05:00 EDT 06-12
    await b.oee(bad_tz, m1, day=date(2025, 6, 11), shift="B", planned=720, runtime=700,
                produced=100, good=100, ict=1)  # fmt: skip
    # a deleted facility: not listed
    await b.facility(acme, "ACME", "OLD", deleted_at=t(1, 0))

    # another tenant: a path for a timezone and no tenant default: UTC
    gx = await b.tenant("GLOBEX", default_timezone="../../etc/passwd")
    globex = await b.facility(gx, "GLOBEX", "LAX", timezone=None, reads_as_timezone="UTC")
    g1 = ids["G1"] = await b.work_center(globex, "G1", status="IN_USE")
    await b.work_center(globex, "G2", operating_calendar=ODD_LENGTH)
    ids["G-RUN"] = await b.run(globex, g1, "G-SECRET", "IN_PROGRESS", actual_start=t(11, 8),
                               good=777)  # fmt: skip
    await b.status(globex, g1, "NON_PRODUCTIVE_BREAK", t(11, 9), reason_description="g-secret")
    await b.run(globex, g1, "G-DONE", "DONE", actual_start=t(11, 8))  # unreadable, GLOBEX's
    await b.oee(globex, g1, day=date(2025, 6, 11), shift="1", planned=480, runtime=480,
                produced=10, good=10, ict=1)  # fmt: skip
    await b.user(la, "ana", first_name="Ana", last_name="Lima")
    await b.user(globex, "gus", display_name="Gus")
    return la, bad_tz, globex, ids


@pytest.fixture(scope="module")
async def plant(admin_dsn: str) -> AsyncIterator[ErpPlant]:
    dsn = await create_adopted_database(admin_dsn, "fw_erp_reads")
    admin = await asyncpg.connect(dsn)
    try:
        la, bad_tz, globex, ids = await build(ErpBuilder(admin))
        yield ErpPlant(dsn, la, bad_tz, globex, ids, admin)
    finally:
        await admin.close()


@pytest.fixture(scope="module")
async def database(plant: ErpPlant) -> AsyncIterator[Database]:
    db = await open_database(plant.dsn)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture(scope="module")
def la(plant: ErpPlant, database: Database) -> PlantData:
    return PlantData(database, plant.la)


def pct(x: Decimal | None) -> Decimal | None:
    return as_percent(x)


async def test_the_views_have_floorwatchs_columns_and_types(
    admin_dsn: str, plant: ErpPlant
) -> None:
    """Every view: the columns of floorwatch's own table, in order, with the same types (the
    OEE view's include the ERP's loss columns, which native V007 added to floorwatch's table)."""
    native = await create_migrated_database(admin_dsn, "fw_native_cols")
    query = (
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
        " WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
    )
    conn = await asyncpg.connect(native)
    try:
        wanted = {table: await conn.fetch(query, f"public.{table}") for table in TABLES}
    finally:
        await conn.close()
    for table in TABLES:
        got = await plant.admin.fetch(query, f"floorwatch.{table}")
        assert [tuple(r) for r in got] == [tuple(r) for r in wanted[table]], table
    assert [r[0] for r in wanted["oee_calculations"]][-8:] == [
        "setup_changeover_minutes", "breakdown_minutes", "no_operator_minutes",
        "no_material_minutes", "speed_loss_minutes", "quality_loss_pieces", "scrap_pieces",
        "rework_pieces",
    ]  # fmt: skip


async def test_directory_timezones_and_shift_patterns(plant: ErpPlant) -> None:
    conn = await asyncpg.connect(plant.dsn, server_settings={"search_path": SEARCH_PATH})
    try:
        scopes = await queries.read_directory_as(conn, "floorwatch_reader")
    finally:
        await conn.close()
    # LAX: its own zone, 07:00 x 8 h from P1's calendar (the hostile calendars of P2 and H*
    # skipped); MARS: 'Mars/Olympus' -> the tenant's New York, 05:00 x 12 h from M1's calendar
    # (M2's hostile one skipped); OLD (deleted) not listed; GLOBEX: no timezone and a path for
    # a default -> UTC; its only shift is 6.5 h long -> 06:00 x 8 h
    assert scopes == [plant.la, plant.bad_tz, plant.globex]


async def test_a_facility_with_a_bad_timezone_reads_in_its_tenants(
    plant: ErpPlant, database: Database
) -> None:
    points = await PlantData(database, plant.bad_tz).trends(date(2025, 6, 11), date(2025, 6, 11))
    # shift 'B' = the second 12 h shift from 05:00 New York time: 17:00 EDT 06-11 = 21:00 UTC,
    # to 05:00 EDT 06-12 = 09:00 UTC
    assert [(p.shift, p.period_start, p.period_end) for p in points] == [
        ("B", datetime(2025, 6, 11, 21, tzinfo=UTC), datetime(2025, 6, 12, 9, tzinfo=UTC))
    ]


async def test_facility_summary_by_hand(la: PlantData) -> None:
    s = await la.summary(LA_NOW)
    assert s.local_date == date(2025, 6, 11)
    # open: R-ACT1, R-PAU, R-SCH1 (BAD-STATUS 'DONE' is no run status)
    assert (s.active_runs, s.paused_runs, s.scheduled_runs) == (1, 1, 1)
    # completed today: C1 (01:30), C3 (15:00), C4 (10:00); BAD-END, BAD-OPEN, BAD-NEG left out
    assert s.completed_today == 3
    q = s.completed_quantities
    # good 1000 + 2001 (2000.5) + 0 = 3001; scrap 50 + 130 (129.5) = 180; rework 20 + NULL = 20
    assert (q.good, q.scrap, q.rework) == (3001, 180, 20)
    assert s.completed_planned == 1100  # C1 only; NULL planned counts 0
    t_ = s.oee_today
    # production day 06-11: P1 '1' + P1 '2' + F1 (day); P2 'A' left out
    # planned 480+150+60 = 690, runtime 420+120+30 = 570, produced 14000+3000+600 = 17600,
    # good 13300+2900+540 = 16740, ideal 1.5*14000 + 1*3000 (from the rate) + 2*600 = 25200
    assert (t_.planned_minutes, t_.runtime_minutes) == (D(690), D(570))
    assert (t_.produced, t_.good, t_.ideal_seconds) == (17600, 16740, D(25200))
    # OEE = 25200*16740/(690*60*17600) = 421848000/728640000 = 0.578953 -> 57.90 %
    assert pct(t_.oee) == D("57.90")
    # target by planned time: (85*480 + 85*150 (NULL -> 85) + 75*60)/690 = 58050/690 = 84.13
    assert s.target_oee_percentage is not None
    assert s.target_oee_percentage.quantize(D("0.01")) == D("84.13")


async def test_work_center_summaries_by_hand(la: PlantData, plant: ErpPlant) -> None:
    rows = await la.work_centers(LA_NOW)
    # X9 deleted, '' unreadable
    assert [r.work_center_code for r in rows] == ["F1", "H0", "H1", "H2", "P1", "P2"]
    by = {r.work_center_code: r for r in rows}
    p1, p2, f1 = by["P1"], by["P2"], by["F1"]
    assert p1.status == "IN_USE" and p1.production_rate_per_hour == D(3600)
    # P2: NULL rate stays None, NULL status AVAILABLE, NULL is_active true
    assert (p2.production_rate_per_hour, p2.status, p2.is_active) == (None, "AVAILABLE", True)
    # P1 OEE: (1.5*14000 + 3000)*(13300+2900)/((480+150)*60*17000) = 24000*16200/642600000
    # = 0.605042 -> 60.50 %; A = 540/630 = 85.71 %
    assert pct(p1.oee_today.oee) == D("60.50")
    assert pct(p1.oee_today.availability) == D("85.71")
    assert p1.target_oee_percentage == D(85)
    # F1 OEE = 2*540/(60*60) = 30.00 %; completed C3: 2001 good, 130 scrap, rework NULL -> 0
    assert pct(f1.oee_today.oee) == D("30.00") and f1.target_oee_percentage == D(75)
    assert f1.completed_quantities.model_dump() == {"good": 2001, "scrap": 130, "rework": 0}
    # P2: C4 with every quantity NULL; its OEE row is left out
    assert p2.completed_today == 1 and p2.oee_today.oee is None
    assert p2.completed_quantities.model_dump() == {"good": 0, "scrap": 0, "rework": 0}


async def test_utilization_states_from_the_erps_status_rows(la: PlantData) -> None:
    rows = {u.work_center_code: u for u in await la.utilization(LA_NOW)}
    p1, p2, f1 = rows["P1"], rows["P2"], rows["F1"]
    # elapsed since local midnight: 17.5 h = 1050 min
    assert p1.elapsed_minutes == D(1050)
    # P1: PRODUCTIVE since 14:10 (200 min), setup 13:40-14:10 stored lower-case with a blank
    # (30 min); the row ending before it starts is left out
    assert p1.state == EquipmentState.PRODUCTIVE and p1.state_since == t(11, 14, 10)
    assert (p1.productive_minutes, p1.setup_minutes) == (D(200), D(30))
    assert p1.current_run is not None and p1.current_run.production_run_number == "R-ACT1"
    assert p1.current_run.quantities.good == 1200  # 1200.4
    assert p1.current_run.production_order_number == "PO-1001"
    # F1: the cut-off NON_PRODUCTIVE_BREAK reads as a breakdown since 16:30 (60 min down);
    # productive 08:00-16:30 = 510 min
    assert f1.state == EquipmentState.BREAKDOWN and f1.reason_description == "web break"
    assert (f1.productive_minutes, f1.down_minutes) == (D(510), D(60))
    # P2: NON_PRODUCTIVE_NO_MA 12:00-13:00 = 60 min of waiting for material; its open row
    # NON_PRODUCTIVE_NO_ could be either wait: left out, so no current state
    assert p2.state is None and p2.down_minutes == D(60)


async def test_run_list(la: PlantData) -> None:
    runs = await la.runs(LA_NOW)
    # open (in progress, paused, scheduled), then completed in the last 24 h, latest end first
    assert [r.production_run_number for r in runs] == [
        "R-ACT1",
        "R-PAU",
        "R-SCH1",
        "C3",
        "C4",
        "C1",
    ]
    act1, pau = runs[0], runs[1]
    assert act1.status == RunStatus.IN_PROGRESS and act1.operator_name == "Ana"
    assert act1.quantity_planned == 5000 and act1.progress == D("0.24")  # 1200 / 5000
    assert pau.quantities.model_dump() == {"good": 0, "scrap": 0, "rework": 0}  # NULLs
    # a run's order: the default order the builder made for the ERP's NOT NULL column
    assert runs[3].production_order_number == "PO-ACME-LAX-0"


async def test_trends_periods_from_calculation_date_and_shift(la: PlantData) -> None:
    points = await la.trends(date(2025, 6, 10), date(2025, 6, 11))
    got = [(p.work_center_code, p.calculation_date.day, p.shift, p.period_start, p.period_end)
           for p in points]  # fmt: skip

    def utc(d: int, h: int) -> datetime:
        return datetime(2025, 6, d, h, tzinfo=UTC)

    assert got == [
        # F1 '3' of 06-10: 23:00 PDT 06-10 = 06:00 UTC 06-11, 8 h
        ("F1", 10, "3", utc(11, 6), utc(11, 14)),
        # F1 without a shift on 06-11: the production day 07:00 PDT -> 07:00 PDT next day
        ("F1", 11, "DAY", utc(11, 14), utc(12, 14)),
        # P1 '1': 07:00-15:00 PDT; '2': 15:00-23:00 PDT
        ("P1", 11, "1", utc(11, 14), utc(11, 22)),
        ("P1", 11, "2", utc(11, 22), utc(12, 6)),
    ]
    # F1 '3': OEE = 60*50/(480*60) = 3000/28800 = 10.42 %
    assert pct(points[0].totals.oee) == D("10.42")


async def test_alerts_from_a_cut_off_breakdown(la: PlantData) -> None:
    alerts = await la.alerts(LA_NOW)
    down = [(a.work_center_code, a.detail.state, a.severity, a.active)  # type: ignore[union-attr]
            for a in alerts if a.kind == AlertKind.EQUIPMENT_DOWN]  # fmt: skip
    # F1's NON_PRODUCTIVE_BREAK: an active breakdown; P2's 60 min wait for material (12:00-
    # 13:00, above the 15 min threshold) resolved at 13:00
    assert sorted(down) == [
        ("F1", EquipmentState.BREAKDOWN, Severity.CRITICAL, True),
        ("P2", EquipmentState.NO_MATERIAL, Severity.WARNING, False),
    ]
    low = {(a.work_center_code, a.detail.shift) for a in alerts if a.kind == AlertKind.LOW_OEE}  # type: ignore[union-attr]
    # P1 '1' 69.27 % and '2' 32.22 % below 85; F1's whole day 30 % below 75 (labelled DAY)
    assert low == {("P1", "1"), ("P1", "2"), ("F1", "DAY")}


async def test_status_changes_for_the_drill_down(la: PlantData, plant: ErpPlant) -> None:
    changes = await la.status_changes(plant.ids["P1"], t(11, 0))
    assert [(c.status, c.previous_status, c.status_start) for c in changes] == [
        (EquipmentState.PRODUCTIVE, EquipmentState.SETUP, t(11, 14, 10)),
        (EquipmentState.SETUP, None, t(11, 13, 40)),
    ]
    assert changes[0].production_run_number == "R-ACT1" and changes[0].reason_code == "RUN"
    p2 = await la.status_changes(plant.ids["P2"], t(11, 0))
    # 'PRODUCTIV' as a previous status reads as none; the row itself stays
    assert [(c.status, c.previous_status) for c in p2] == [(EquipmentState.NO_MATERIAL, None)]


async def test_the_oee_view_keeps_the_erps_loss_columns(plant: ErpPlant) -> None:
    async with plant.admin.transaction():
        await plant.admin.execute(
            "SELECT set_config('app.current_tenant_id', $1, true)", str(plant.la.tenant_id)
        )
        row = await plant.admin.fetchrow(
            "SELECT downtime, breakdown_minutes, quality_loss_pieces, setup_changeover_minutes"
            " FROM floorwatch.oee_calculations WHERE shift = '2'"
        )
    assert tuple(row) == (D(0), D("12.50"), 100, None)  # NULL downtime reads 0


async def test_unreadable_rows_counts_what_the_views_leave_out(plant: ErpPlant) -> None:
    rows = await plant.admin.fetch("SELECT * FROM floorwatch.unreadable_rows($1)", t(1, 0))
    assert [tuple(r) for r in rows] == [
        ("equipment_status_log", "ends before it starts", 1),
        ("equipment_status_log", "unknown equipment status", 1),  # NON_PRODUCTIVE_NO_
        ("oee_calculations", "no ideal cycle time and no production rate", 1),
        ("oee_calculations", "runtime above planned time", 1),
        ("oee_calculations", "whole-day row beside shift rows", 1),
        ("production_runs", "COMPLETED without actual_end", 1),
        ("production_runs", "ends before it starts", 1),
        ("production_runs", "quantity not a count of pieces", 1),  # scrap -5
        ("production_runs", "unknown run status", 2),  # BAD-STATUS and GLOBEX's G-DONE
        ("work_centers", "empty work_center_code", 1),
    ]
    # by default only the last 7 days of the big tables: here the rows still open (no end)
    recent = await plant.admin.fetch(
        "SELECT table_name, reason, rows FROM floorwatch.unreadable_rows()"
    )
    assert ("production_runs", "unknown run status", 2) in [tuple(r) for r in recent]
    assert ("production_runs", "ends before it starts", 1) not in [tuple(r) for r in recent]


@pytest.fixture(scope="module")
async def logins(plant: ErpPlant) -> AsyncIterator[Logins]:
    made = Logins(plant.admin, plant.dsn)
    try:
        yield made
    finally:
        await made.close()


@pytest.fixture(scope="module")
async def login_acme(plant: ErpPlant, logins: Logins) -> str:
    """A monitor login: member of floorwatch_reader, granted ACME only."""
    name = await logins.create("floorwatch_reader", prefix="fw_erp_mon")
    await plant.admin.execute(
        "INSERT INTO floorwatch.floorwatch_login_tenants (login, tenant_id) VALUES ($1, $2)",
        name,
        plant.la.tenant_id,
    )
    return name


async def test_a_login_granted_one_tenant_sees_only_it(
    plant: ErpPlant, logins: Logins, login_acme: str
) -> None:
    pool = await create_pool(Target(logins.dsn_of(login_acme), "flag"), max_size=1)
    db = Database(pool)
    try:
        async with pool.acquire() as conn:
            scopes = await queries.read_directory_as(conn, "floorwatch_reader")
            # check's counts, of ACME's rows only: BAD-STATUS, not GLOBEX's G-DONE
            counts = await conn.fetch("SELECT * FROM floorwatch.unreadable_rows($1)", t(1, 0))
        assert {s.tenant_code for s in scopes} == {"ACME"}
        assert ("production_runs", "unknown run status", 1) in [tuple(r) for r in counts]
        assert len(await PlantData(db, plant.la).runs(LA_NOW)) == 6  # as above
        # GLOBEX chosen as the current tenant: nothing, in every view
        g = PlantData(db, plant.globex)
        assert await g.runs(LA_NOW) == []
        assert (await g.summary(LA_NOW)).active_runs == 0
        assert await g.utilization(LA_NOW) == []
        for table in TABLES:
            rows = await db.fetch(plant.globex.tenant_id, f"SELECT count(*) FROM {table}")
            assert rows[0][0] == 0, table
    finally:
        await db.close()


LEAK = """
CREATE FUNCTION pg_temp.leak(seen text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    RAISE NOTICE 'leak: %', seen;
    RETURN true;
END
$$
"""


@pytest.mark.parametrize(
    "table, column",
    [
        ("production_runs", "production_run_number"),
        ("equipment_status_log", "reason_description"),
        ("work_centers", "work_center_code"),
        ("oee_calculations", "work_center_id"),
        ("tenants", "tenant_code"),
    ],
)
async def test_a_leaky_function_sees_only_the_rows_the_view_shows(
    plant: ErpPlant, logins: Logins, login_acme: str, table: str, column: str
) -> None:
    """A function of the login's own (in pg_temp, not leakproof, as cheap as can be, so the
    planner would run it first if it could) called in a WHERE on a view: it sees exactly the
    rows the view returns, never another tenant's nor a row the view leaves out. Without
    security_barrier it saw GLOBEX's G-SECRET with GLOBEX as the current tenant (the grant
    filter came after it) and ACME's unreadable runs."""
    conn = await asyncpg.connect(
        logins.dsn_of(login_acme), server_settings={"search_path": SEARCH_PATH}
    )
    seen: list[str] = []
    conn.add_log_listener(lambda _c, msg: seen.append(msg.message))
    shown: list[str] = []
    try:
        await conn.execute(LEAK)
        for tenant in (plant.la.tenant_id, plant.globex.tenant_id):
            async with conn.transaction(readonly=True):
                await conn.execute(
                    "SELECT set_config('app.current_tenant_id', $1, true)", str(tenant)
                )
                rows = await conn.fetch(
                    f"SELECT ({column})::text FROM {table} WHERE pg_temp.leak(({column})::text)"
                )
            shown += [f"leak: {'<NULL>' if r[0] is None else r[0]}" for r in rows]
    finally:
        await conn.close()
    assert shown, "the view showed no row at all: the test would prove nothing"
    assert sorted(seen) == sorted(shown)


async def test_hostile_values_never_make_a_view_raise(adopted_dsn: str) -> None:
    """The ERP's columns at their extremes: every view reads (leaving rows out), none raises."""
    admin = await asyncpg.connect(adopted_dsn)
    try:
        b = ErpBuilder(admin)
        tid = await b.tenant("EDGE", default_timezone="")
        s = await b.facility(tid, "EDGE", "X", timezone="Etc/GMT+99")
        w = await b.work_center(s, "W", rate="0.01", status="   ", operating_calendar={
            "monday": {"shifts": [{"start": "23:59:59", "end": "00:00"}, {"start": [], "end": {}}]},
            "tuesday": {"shifts": [{"start": "24:00", "end": "08:00"}]},
        })  # fmt: skip
        huge = "99999999999999.9999"  # DECIMAL(18,4) at its largest
        await b.order(s, "PO-HUGE", huge, priority=None)
        await b.run(s, w, "R-HUGE", "IN_PROGRESS", actual_start=t(11, 8), planned=huge,
                    good=huge, scrap="-0.0001", rework="2147483647.4")  # fmt: skip
        await b.run(s, w, "R-BLANK", "", actual_start=t(11, 8))
        await b.run(s, w, "R-NULL", None)
        for shift, ict, target in (("99", "0", 85), ("SHIFT_B", "999999.9999", "9999.9999"),
                                   (" ", None, "-1"), ("4TH", "-1", None)):  # fmt: skip
            await b.oee(s, w, day=date(2025, 6, 11), shift=shift, planned="99999999.99",
                        runtime="99999999.99", produced=2147483647, good=2147483647,
                        defective=2147483647, ict=ict, target=target)  # fmt: skip
        for i, status in enumerate(("", " ", "x" * 20, "NON_PRODUCTIVE_", "productive")):
            await b.status(s, w, status, t(11, 8, i), previous=status)
        await admin.execute("SELECT set_config('app.current_tenant_id', $1, false)", str(tid))
        counts = {
            table: await admin.fetchval(f"SELECT count(*) FROM floorwatch.{table}")
            for table in TABLES
        }
        [directory] = await admin.fetch(
            "SELECT timezone, first_shift_start, shift_length_hours"
            " FROM floorwatch.floorwatch_directory() WHERE tenant_id = $1", tid
        )  # fmt: skip
        reasons = await admin.fetch("SELECT * FROM floorwatch.unreadable_rows($1)", t(1, 0))
    finally:
        await admin.close()
    # 'Etc/GMT+99' and '' are no zones: UTC. The calendar: 23:59:59 -> 00:00 is 1 s; the
    # '24:00' start is no clock time (only an end may be 24:00): no pattern, 06:00 x 8 h
    assert tuple(directory) == ("UTC", time(6), 8)
    # PO-HUGE: more pieces than an integer holds (the builder's default order reads);
    # R-HUGE (quantities past an integer, a negative scrap), R-BLANK, R-NULL: none readable;
    # OEE: ICT 0 and -1 not positive, the target 9999.9999 and -1 outside 0..100, so none;
    # status rows: only 'productive' (upper-cased) reads
    assert counts == {
        "tenants": 1, "facilities": 1, "users": 0, "work_centers": 1,
        "production_orders": 1, "production_runs": 0, "oee_calculations": 0,
        "equipment_status_log": 1,
    }  # fmt: skip
    assert sum(r["rows"] for r in reasons if r["table_name"] == "production_runs") == 3
    assert sum(r["rows"] for r in reasons if r["table_name"] == "oee_calculations") == 4
    assert sum(r["rows"] for r in reasons if r["table_name"] == "equipment_status_log") == 4
