"""The job rules (#12 item 4) against hand-built rows, through the real fact queries: keys,
severities, start and resolve times. Another facility's and another tenant's rows, and a
deleted work center's, give nothing (and do not move the usual setup). The same rows in an
ERP's tables, read through the adopted views, give the same alerts.

now = 2025-06-11 12:00 UTC; the plant is in UTC with shifts of 8 hours from 06:00, so the
running shift is 06-11/1 (06:00-14:00), the last closed one 06-10/3 (22:00-06:00) and the one
before it 06-10/2 (14:00-22:00). Default thresholds: a late start after 30 min, a stall of
15 min, no output with at least 60 planned minutes, setups over 2 x the usual of at least 5
past ones in the 30 days before today (05-12 00:00 .. 06-11 00:00)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import asyncpg
from erp_builder import ErpBuilder
from plant_builder import PlantBuilder, local, open_database

from databases import create_adopted_database
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.models import AlertKind, Scope, Severity

NOW = local("UTC", 2025, 6, 11, 12)
P, SETUP, DOWN, PLAN = (
    "PRODUCTIVE", "NON_PRODUCTIVE_SETUP", "NON_PRODUCTIVE_BREAKDOWN",
    "NON_PRODUCTIVE_PLANNED_DOWNTIME",
)  # fmt: skip
JOB_KINDS = {
    AlertKind.LATE_START,
    AlertKind.BEHIND_SCHEDULE,
    AlertKind.STALLED,
    AlertKind.NO_OUTPUT,
    AlertKind.LONG_SETUP,
}
W = Severity.WARNING


def t(h: int, mi: int = 0, d: int = 11, mo: int = 6) -> datetime:
    return local("UTC", 2025, mo, d, h, mi)


class Rows:
    """The two builders behind one interface: the ERP's states are cut to its VARCHAR(20) and
    its shift rows take their period from the shift label (adopt V002)."""

    def __init__(self, b: Any, erp: bool) -> None:
        self.b, self.erp = b, erp

    def __getattr__(self, name: str) -> Any:
        return getattr(self.b, name)

    async def status(self, s: Scope, wc: Any, status: str, *args: Any, **kw: Any) -> Any:
        return await self.b.status(s, wc, status[:20] if self.erp else status, *args, **kw)

    async def shift_row(
        self, s: Scope, wc: Any, day: date, shift: int, start: datetime, planned: int, made: int
    ) -> Any:
        if self.erp:
            return await self.b.oee(
                s,
                wc,
                day=day,
                shift=str(shift),
                planned=planned,
                runtime=planned,
                produced=made,
                good=made,
                ict=1,
            )
        return await self.b.oee(
            s,
            wc,
            day=day,
            shift=str(shift),
            start=start,
            planned=planned,
            downtime=0,
            produced=made,
            good=made,
            ict=1,
        )


async def plant(b: Rows, s: Scope, *, foreign: bool = False) -> dict[str, Any]:
    """One facility's rows; `foreign`: the same rows for another facility or tenant, with its
    die cutters' past setups 500 min long (the usual of `s` must not see them)."""
    ids: dict[str, Any] = {}
    pre = f"{s.tenant_code}-{s.facility_code}-" if foreign else ""  # ERP run numbers are unique
    kind = "OFFSET_PRESS" if b.erp else "offset press"
    w1, w2, w3, w4, w5, w6, w7 = [await b.work_center(s, f"W{i}", kind=kind) for i in range(1, 8)]
    d1, d2 = [await b.work_center(s, f"D{i}", kind="die cutter") for i in (1, 2)]
    # W1, late start: R-L1 scheduled 11:00, not started: late from 11:30 (60 min at 12:00);
    # R-L2 scheduled 11:30: exactly 30 min ago, not more; R-L3 scheduled 10:00, started 10:45:
    # late 10:30 .. 10:45; R-L4 has no scheduled start
    ids["R-L1"] = await b.run(s, w1, pre + "R-L1", "SCHEDULED", scheduled_start=t(11), planned=10)
    await b.run(s, w1, pre + "R-L2", "SCHEDULED", scheduled_start=t(11, 30), planned=10)
    ids["R-L3"] = await b.run(
        s,
        w1,
        pre + "R-L3",
        "IN_PROGRESS",
        scheduled_start=t(10),
        actual_start=t(10, 45),
        planned=10,
    )
    await b.run(s, w1, pre + "R-L4", "SCHEDULED", planned=10)
    # W2, behind schedule: R-B1 started 10:00, 300 of 1,000 good in 60 productive minutes
    # (10:00-11:00, planned downtime since): 5 a minute, 700 left = 140 min, 14:20, after its
    # 12:30 end: behind since its start 10:00. R-B2 ran 08:00-09:20, scheduled to end 09:00:
    # behind 08:00 .. 09:20. R-B3 finishes on time (ended 09:50, scheduled 10:00).
    ids["R-B1"] = await b.run(
        s,
        w2,
        pre + "R-B1",
        "IN_PROGRESS",
        actual_start=t(10),
        scheduled_end=t(12, 30),
        planned=1000,
        good=300,
    )
    await b.status(s, w2, P, t(10), t(11))
    await b.status(s, w2, PLAN, t(11))
    ids["R-B2"] = await b.run(
        s,
        w2,
        pre + "R-B2",
        "COMPLETED",
        actual_start=t(8),
        actual_end=t(9, 20),
        scheduled_end=t(9),
        planned=100,
        good=100,
    )
    await b.run(
        s,
        w2,
        pre + "R-B3",
        "COMPLETED",
        actual_start=t(9, 20),
        actual_end=t(9, 50),
        scheduled_end=t(10),
        planned=100,
        good=100,
    )
    # W3, stalled: R-S1 last counted 11:30, productive since 11:00: stalled from 11:45.
    ids["R-S1"] = await b.run(
        s, w3, pre + "R-S1", "IN_PROGRESS", actual_start=t(10), updated_at=t(11, 30)
    )
    ids["W3-P"] = await b.status(s, w3, P, t(11))
    # W4: R-S2 last counted 08:10, productive 08:00-09:00, then broken down: stalled
    # 08:25 .. 09:00
    ids["R-S2"] = await b.run(
        s, w4, pre + "R-S2", "IN_PROGRESS", actual_start=t(8), updated_at=t(8, 10)
    )
    ids["W4-P"] = await b.status(s, w4, P, t(8), t(9))
    await b.status(s, w4, DOWN, t(9))
    # W5, no output: 480 planned minutes and nothing made in 06-10/3 (22:00-06:00): from 06:00
    # until 06-11/1 ends at 14:00; and in 06-10/2 (14:00-22:00): 22:00 .. 06:00
    await b.shift_row(s, w5, date(2025, 6, 10), 3, t(22, d=10), 480, 0)
    await b.shift_row(s, w5, date(2025, 6, 10), 2, t(14, d=10), 480, 0)
    # W6 made 10 pieces in 06-10/3; W7 was planned 59 minutes only (the minimum is 60)
    await b.shift_row(s, w6, date(2025, 6, 10), 3, t(22, d=10), 480, 10)
    await b.shift_row(s, w7, date(2025, 6, 10), 3, t(22, d=10), 59, 0)
    # Long make-ready. The die cutters' setups that ended in the 30 days before today:
    # 20, 20, 30, 40, 50 (D1, D2), 100 (D3, deleted 06-01, set up before that) and none of
    # D3's after its deletion, nor the 5-minute one that ended 05-11 23:55 (before the window):
    # 20, 20, 30, 40, 50, 100 -> median (30 + 40) / 2 = 35 min, 2 x = 70 min.
    past = 500 if foreign else None
    for i, minutes in enumerate((20, 20, 30, 40, 50)):
        start = t(8, d=1 + i)
        await b.status(s, d1 if i % 2 else d2, SETUP, start, _plus(start, past or minutes))
    d3 = await b.work_center(s, "D3", kind="die cutter", deleted_at=t(0, d=1))
    await b.status(s, d3, SETUP, t(8, d=20, mo=5), _plus(t(8, d=20, mo=5), past or 100))
    await b.status(s, d3, SETUP, t(8, d=2), _plus(t(8, d=2), 1000))  # after its deletion
    await b.status(s, d1, SETUP, t(23, 50, d=11, mo=5), t(23, 55, d=11, mo=5))
    # D1: a setup since 10:30: 90 minutes at 12:00, long from 11:40.
    # D2: 08:00-09:15 (75 min): long 09:10 .. 09:15; 09:30-10:40 is exactly 70: not longer.
    ids["D1-S"] = await b.status(s, d1, SETUP, t(10, 30), reason_description="new die")
    ids["D2-S"] = await b.status(s, d2, SETUP, t(8), t(9, 15))
    await b.status(s, d2, SETUP, t(9, 30), t(10, 40))
    # W6, offset presses: only 4 past setups (10 min each): too few to judge its 3-hour setup
    for day in (2, 3, 4, 5):
        await b.status(s, w6, SETUP, t(8, d=day), t(8, 10, d=day))
    await b.status(s, w6, SETUP, t(9))
    # W8, deleted yesterday: late, behind, stalled, no output and a long setup: nothing
    w8 = await b.work_center(s, "W8", kind="die cutter", deleted_at=t(12, d=10))
    await b.run(s, w8, pre + "R-G1", "SCHEDULED", scheduled_start=t(8), planned=10)
    await b.run(
        s,
        w8,
        pre + "R-G2",
        "IN_PROGRESS",
        actual_start=t(10),
        scheduled_end=t(10, 30),
        planned=100,
        good=1,
        updated_at=t(10),
    )
    await b.status(s, w8, P, t(10))
    await b.status(s, w8, SETUP, t(6), t(9))
    await b.shift_row(s, w8, date(2025, 6, 10), 3, t(22, d=10), 480, 0)
    ids.update(w1=w1, w5=w5)
    return ids


def _plus(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


def expected(ids: dict[str, Any]) -> list[tuple[str, Severity, datetime, datetime | None]]:
    """Active first, newest first; then the resolved ones, newest first."""
    return [
        (f"STALLED:{ids['R-S1']}:{ids['W3-P']}", W, t(11, 45), None),
        (f"LONG_SETUP:{ids['D1-S']}", W, t(11, 40), None),
        (f"LATE_START:{ids['R-L1']}", W, t(11, 30), None),
        (f"BEHIND_SCHEDULE:{ids['R-B1']}", W, t(10), None),
        (f"NO_OUTPUT:{ids['w5']}:2025-06-10/3", W, t(6), None),
        (f"LATE_START:{ids['R-L3']}", W, t(10, 30), t(10, 45)),
        (f"LONG_SETUP:{ids['D2-S']}", W, t(9, 10), t(9, 15)),
        (f"STALLED:{ids['R-S2']}:{ids['W4-P']}", W, t(8, 25), t(9)),
        (f"BEHIND_SCHEDULE:{ids['R-B2']}", W, t(8), t(9, 20)),
        (f"NO_OUTPUT:{ids['w5']}:2025-06-10/2", W, t(22, d=10), t(6)),
    ]


async def build(b: Rows) -> tuple[Scope, dict[str, Any]]:
    s, _ = await build_all(b)
    return s, _[0]


async def build_all(b: Rows) -> tuple[Scope, list[Any]]:
    """ACME/F, and the same rows in ACME/G and OTHER/F; returns F's scope, then its ids and
    the two other scopes."""
    s = await b.scope("ACME", "F")
    ids = await plant(b, s)
    other_facility = await b.facility(s.tenant_id, "ACME", "G")
    await plant(b, other_facility, foreign=True)
    other_tenant = await b.scope("OTHER", "F")
    await plant(b, other_tenant, foreign=True)
    return s, [ids, other_facility, other_tenant]


async def job_alerts(db: Database, s: Scope) -> list[tuple[str, Severity, datetime, Any]]:
    alerts = await PlantData(db, s).alerts(NOW)
    return [(a.key, a.severity, a.started_at, a.resolved_at) for a in alerts if a.kind in JOB_KINDS]


async def test_job_alerts_by_hand(builder: PlantBuilder, database: Database) -> None:
    s, (ids, other_facility, other_tenant) = await build_all(Rows(builder, erp=False))
    assert await job_alerts(database, s) == expected(ids)
    # the other plants' own rows do alert there (their long setups are usual: 500 min)
    for other in (other_facility, other_tenant):
        kinds = {k.split(":")[0] for k, *_ in await job_alerts(database, other)}
        assert kinds == {"LATE_START", "BEHIND_SCHEDULE", "STALLED", "NO_OUTPUT"}


async def test_the_details_by_hand(builder: PlantBuilder, database: Database) -> None:
    s, ids = await build(Rows(builder, erp=False))
    by_key = {a.key: a.detail for a in await PlantData(database, s).alerts(NOW)}
    late = by_key[f"LATE_START:{ids['R-L1']}"]
    assert (late.production_run_number, late.minutes_late) == ("R-L1", 60)  # type: ignore[union-attr]
    behind = by_key[f"BEHIND_SCHEDULE:{ids['R-B1']}"]
    assert behind.minutes_late == 110  # type: ignore[union-attr]  # 14:20 - 12:30
    stalled = by_key[f"STALLED:{ids['R-S1']}:{ids['W3-P']}"]
    assert stalled.minutes == 30  # type: ignore[union-attr]  # 11:30 .. 12:00
    setup = by_key[f"LONG_SETUP:{ids['D1-S']}"]
    assert (setup.minutes, setup.usual_minutes, setup.reason) == (90, 35, "new die")  # type: ignore[union-attr]
    shift = by_key[f"NO_OUTPUT:{ids['w5']}:2025-06-10/3"]
    assert (shift.shift_number, shift.planned_minutes) == (3, 480)  # type: ignore[union-attr]


async def test_the_same_on_an_adopted_erp_database(admin_dsn: str) -> None:
    dsn = await create_adopted_database(admin_dsn, "fw_erp_job_alerts")
    admin = await asyncpg.connect(dsn)
    try:
        s, ids = await build(Rows(ErpBuilder(admin), erp=True))
    finally:
        await admin.close()
    db = await open_database(dsn)
    try:
        assert await job_alerts(db, s) == expected(ids)
    finally:
        await db.close()
