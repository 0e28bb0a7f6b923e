"""MTBF, MTTR, loading and TEEP of one work center from hand-made rows (README: Numbers).

Now is 10 Nov 12:00 UTC: the 7-day window starts 3 Nov 12:00, the 30-day one 11 Oct 12:00.
Breakdowns: 20 min on 9 Nov, an open one since 11:50 (10 min so far), 40 min on 1 Nov; a 3-min
one on 9 Nov is a small stop, not a breakdown. Productive: 9 Nov 08:00-10:00 (120), 10 Nov
06:00-11:50 (350), 1 Nov 06:00-14:00 (480), and 3 Nov 00:00-18:00, which began 12 h before the
7-day window: 360 of its 1,080 minutes in it.
- 7 days: 2 breakdowns, 30 min; productive 120 + 350 + 360 = 830: MTBF 415, MTTR 15.
- 30 days: 3 breakdowns, 70 min; productive 120 + 350 + 1,080 + 480 = 2,030: MTBF 2,030 / 3.
Shift rows: 9 Nov planned 420, run 400, 24,000 pieces at 1 s (400 min ideal), all good: OEE
400 / 420, loading 420 / 10,080, TEEP 400 / 10,080. With 1 Nov's (planned 480, run 440, 26,400
good): 30 days OEE 840 / 900, loading 900 / 43,200, TEEP 840 / 43,200."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal as D

from plant_builder import PlantBuilder

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database

NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def t(day: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, 11, day, h, mi, tzinfo=UTC)


async def test_reliability_by_hand(builder: PlantBuilder, database: Database) -> None:
    scope = await builder.scope("REL", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1", rate=3600)
    s, down = builder.status, "NON_PRODUCTIVE_BREAKDOWN"
    await s(scope, press, "PRODUCTIVE", t(3, 0), t(3, 18))
    await s(scope, press, "PRODUCTIVE", t(1, 6), t(1, 14))
    await s(scope, press, down, t(1, 14), t(1, 14, 40), reason_code="WEB")
    await s(scope, press, "PRODUCTIVE", t(9, 8), t(9, 10))
    await s(scope, press, down, t(9, 10), t(9, 10, 20), reason_code="WEB")
    await s(scope, press, down, t(9, 11), t(9, 11, 3), reason_code="FEED")  # a small stop
    await s(scope, press, "PRODUCTIVE", t(10, 6), t(10, 11, 50))
    await s(scope, press, down, t(10, 11, 50), reason_code="WEB")  # open
    for day, planned, downtime, pieces in ((9, 420, 20, 24_000), (1, 480, 40, 26_400)):
        await builder.oee(
            scope, press, day=date(2026, 11, day), shift="1", start=t(day, 6),
            planned=planned, downtime=downtime, produced=pieces, good=pieces, ict=1,
        )  # fmt: skip
    other = await builder.scope("ELSE", "P1", timezone="UTC", first_shift_start=time(6))
    elsewhere = await builder.work_center(other, "PRESS-1", rate=3600)
    await s(other, elsewhere, down, t(9, 6), t(9, 9), reason_code="WEB")

    week, month = await PlantData(database, scope).reliability(press, NOW)
    assert (week.days, week.failures, week.repair_minutes) == (7, 2, 30)
    assert week.productive_minutes == 830
    assert (week.mtbf_minutes, week.mttr_minutes) == (415, 15)
    assert week.oee.oee == D(400) / 420
    assert week.loading == D(420) / 10_080 and week.teep == D(400) / 420 * (D(420) / 10_080)

    assert (month.days, month.failures, month.repair_minutes) == (30, 3, 70)
    assert month.productive_minutes == 2_030
    assert month.mtbf_minutes == D(2_030) / 3 and month.mttr_minutes == D(70) / 3
    assert month.oee.oee == D(840) / 900
    assert month.loading == D(900) / 43_200
    assert month.teep == D(840) / 900 * (D(900) / 43_200)


async def test_no_breakdown_no_mtbf(builder: PlantBuilder, database: Database) -> None:
    scope = await builder.scope("REL0", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1", rate=3600)
    await builder.status(scope, press, "PRODUCTIVE", t(9, 6))
    week, _ = await PlantData(database, scope).reliability(press, NOW)
    assert week.failures == 0 and week.mtbf_minutes is None and week.mttr_minutes is None
    assert week.productive_minutes == 30 * 60  # open since 9 Nov 06:00: 30 h
    assert week.oee.oee is None and week.teep is None  # no shift rows: nothing planned
    assert week.loading == 0
