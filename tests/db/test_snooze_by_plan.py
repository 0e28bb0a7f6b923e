"""Snooze by the plan (db/sql/alert_off_plan.sql, domain/alerts.snoozed_by_plan): no equipment
or OEE alerts for a work center in planned downtime or without work this shift; its other
alerts, and every alert of a work center with work, stay."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from plant_builder import PlantBuilder

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.alerts import AlertRules, snoozed_by_plan
from floorwatch.domain.models import (
    Alert,
    AlertKind,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    Severity,
)

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # shift 1 (06:00-14:00 UTC) is running
SHIFT_START, SHIFT_END = NOW.replace(hour=6), NOW.replace(hour=14)


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


async def test_equipment_and_oee_alerts_wait_for_the_plan(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("PLAN", "P1", timezone="UTC", first_shift_start=time(6))
    codes = ("STOPPED", "IDLE", "NEXT", "LATER", "BUSY")
    wc = {code: await builder.work_center(s, code) for code in codes}
    # STOPPED: planned downtime since 09:00 (its run waits), broken down earlier today
    await builder.working(s, wc["STOPPED"], ago(240))
    await builder.status(s, wc["STOPPED"], "NON_PRODUCTIVE_BREAKDOWN", ago(120), ago(90))
    await builder.status(s, wc["STOPPED"], "NON_PRODUCTIVE_PLANNED_DOWNTIME", ago(30))
    # IDLE: no run at all, a breakdown open now
    await builder.status(s, wc["IDLE"], "NON_PRODUCTIVE_BREAKDOWN", ago(20))
    # NEXT: a run scheduled 12:00-16:00 (it meets this shift): work, its breakdown alerts
    await builder.run(
        s, wc["NEXT"], "N-1", "SCHEDULED", scheduled_start=NOW.replace(hour=12),
        scheduled_end=NOW.replace(hour=16),
    )  # fmt: skip
    await builder.status(s, wc["NEXT"], "NON_PRODUCTIVE_PLANNED_DOWNTIME", ago(200), ago(100))
    await builder.status(s, wc["NEXT"], "NON_PRODUCTIVE_BREAKDOWN", ago(20))
    # LATER: only a run scheduled from 14:00 (the next shift): no work this shift
    await builder.run(
        s, wc["LATER"], "L-1", "SCHEDULED", scheduled_start=SHIFT_END,
        scheduled_end=SHIFT_END + timedelta(hours=4),
    )  # fmt: skip
    await builder.status(s, wc["LATER"], "NON_PRODUCTIVE_NO_OPERATOR", ago(60))
    # BUSY: a run in progress scrapping 10 % and a breakdown
    await builder.run(
        s, wc["BUSY"], "B-1", "IN_PROGRESS", actual_start=ago(180), planned=5000, good=900,
        scrap=100, rework=0,
    )  # fmt: skip
    await builder.status(s, wc["BUSY"], "NON_PRODUCTIVE_BREAKDOWN", ago(10))
    # every work center's shift: 180 planned minutes, OEE 50 % (ICT 1 s: 5400 of 10800 s)
    for w in wc.values():
        await builder.oee(
            s, w, day=date(2026, 11, 2), shift="1", start=SHIFT_START, planned=180,
            downtime=0, produced=5400, good=5400, ict=1,
        )  # fmt: skip

    def kinds(alerts: list[Alert]) -> set[tuple[str, AlertKind]]:
        code = {v: k for k, v in wc.items()}
        return {(code[a.work_center_id], a.kind) for a in alerts}

    alerts = await PlantData(database, s).alerts(NOW)
    assert kinds(alerts) == {
        ("NEXT", AlertKind.EQUIPMENT_DOWN),
        ("NEXT", AlertKind.LOW_OEE),
        ("BUSY", AlertKind.EQUIPMENT_DOWN),
        ("BUSY", AlertKind.LOW_OEE),
        ("BUSY", AlertKind.HIGH_SCRAP),
    }
    # without the snooze every work center's equipment and OEE alerts are there
    everything = await PlantData(database, s, AlertRules(snooze_by_plan=False)).alerts(NOW)
    assert kinds(everything) == kinds(alerts) | {
        ("STOPPED", AlertKind.EQUIPMENT_DOWN),
        ("STOPPED", AlertKind.LOW_OEE),
        ("IDLE", AlertKind.EQUIPMENT_DOWN),
        ("IDLE", AlertKind.LOW_OEE),
        ("LATER", AlertKind.EQUIPMENT_DOWN),
        ("LATER", AlertKind.LOW_OEE),
    }


def test_only_equipment_and_oee_alerts_are_snoozed() -> None:
    off, on = uuid.UUID(int=1), uuid.UUID(int=2)

    def alert(kind: str, wc: uuid.UUID) -> Alert:
        return Alert(
            key=f"{kind}:{wc}",
            severity=Severity.WARNING,
            work_center_id=wc,
            work_center_code="X",
            detail=DownDetail(state=EquipmentState.BREAKDOWN),
            started_at=NOW,
        )

    down_off, down_on = alert("a", off), alert("b", on)
    scrap_off = alert("c", off).model_copy(
        update={
            "detail": HighScrapDetail(
                production_run_number="R", scrap_pct=Decimal(9), scrap=9, produced=100
            )
        }
    )
    kept = snoozed_by_plan([down_off, down_on, scrap_off], frozenset({off}))
    assert kept == [down_on, scrap_off]
    assert snoozed_by_plan([down_off], frozenset()) == [down_off]
