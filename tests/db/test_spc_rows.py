"""SPC trend alerts from real rows (db/sql/spc_series.sql, PlantData.trend_alerts): the closed
shifts of one work center, its own baseline, only this plant's rows, read once per closed
shift. The figures are those of tests/unit/test_spc.py's rule-1 series, worked out there."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from plant_builder import PlantBuilder

from floorwatch.db.plant import SETTLED_AFTER, PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.models import AlertKind, Scope, TrendDetail

FIRST = datetime(2026, 10, 26, 6, 0, tzinfo=UTC)  # shift 1 of Oct 26 (UTC, 06:00, 8 h shifts)
NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # shift 1 of Nov 2 is running
SHIFT = timedelta(hours=8)
PLANNED_SECONDS = 480 * 60


async def shifts(builder: PlantBuilder, scope: Scope, wc, oee: list[float]) -> None:  # type: ignore[no-untyped-def]
    """One row per shift from FIRST: 480 planned minutes, no downtime, ICT 1 s, nothing
    scrapped, so OEE = good / 28800."""
    for i, ratio in enumerate(oee):
        await builder.oee(
            scope, wc, day=date(2026, 10, 26) + timedelta(days=i // 3), shift=str(i % 3 + 1),
            start=FIRST + i * SHIFT, planned=480, downtime=0,
            produced=round(ratio * PLANNED_SECONDS), good=round(ratio * PLANNED_SECONDS), ict=1,
        )  # fmt: skip


RULE_1 = [0.70 if i % 2 == 0 else 0.60 for i in range(20)] + [0.30]  # 21 closed shifts


async def trends(data: PlantData, now: datetime = NOW) -> list:  # type: ignore[type-arg]
    return [a for a in await data.alerts(now) if a.kind is AlertKind.TREND]


async def test_a_work_center_out_of_control_against_its_own_shifts(
    builder: PlantBuilder, database: Database
) -> None:
    scope = await builder.scope("SPC", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1")
    await shifts(builder, scope, press, RULE_1)
    # the running shift's row (OEE 10 %) is not a closed shift: it changes nothing
    await builder.oee(
        scope, press, day=date(2026, 11, 2), shift="1", start=NOW - timedelta(hours=2),
        planned=120, downtime=0, produced=720, good=720, ict=1,
    )  # fmt: skip
    # a work center in control, and one deleted yesterday with the same rows as PRESS-1
    cutter = await builder.work_center(scope, "CUT-1")
    await shifts(builder, scope, cutter, [0.70 if i % 2 else 0.60 for i in range(21)])
    gone = await builder.work_center(scope, "GONE-1")
    await shifts(builder, scope, gone, RULE_1)
    await builder.conn.execute(
        "UPDATE work_centers SET deleted_at = $1 WHERE id = $2", NOW - timedelta(days=1), gone
    )
    # another tenant's identical plant
    other = await builder.scope("SPC2", "P1", timezone="UTC", first_shift_start=time(6))
    other_press = await builder.work_center(other, "PRESS-1")
    await shifts(builder, other, other_press, RULE_1)

    [alert] = await trends(PlantData(database, scope))
    assert alert.key == f"TREND:{press}:oee" and alert.work_center_code == "PRESS-1"
    assert alert.started_at == FIRST + 21 * SHIFT == datetime(2026, 11, 2, 6, tzinfo=UTC)
    assert alert.active and (alert.value, alert.threshold) == (Decimal("30.0"), Decimal("35.95"))
    assert alert.detail == TrendDetail(
        metric="oee",
        rules=(1,),
        value_pct=Decimal("30.0"),
        mean_pct=Decimal("63.33"),
        sigma_pct=Decimal("9.13"),
        shifts=21,
    )
    [theirs] = await trends(PlantData(database, other))
    assert theirs.work_center_id == other_press


async def test_read_once_per_closed_shift(builder: PlantBuilder, database: Database) -> None:
    scope = await builder.scope("SPC3", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1")
    await shifts(builder, scope, press, RULE_1)
    data = PlantData(database, scope)
    settled = NOW.replace(hour=6) + SETTLED_AFTER  # the night shift has settled
    assert len(await trends(data, settled)) == 1
    # the last shift corrected to 70 %: in control; the same PlantData keeps what it read
    # until the next shift closes, a fresh one reads it at once
    await builder.conn.execute(
        "UPDATE oee_calculations SET good_pieces = 20160, total_pieces_produced = 20160 "
        "WHERE period_start = $1",
        FIRST + 20 * SHIFT,
    )
    assert len(await trends(data, settled + timedelta(hours=1))) == 1
    assert await trends(PlantData(database, scope), settled) == []
    assert await trends(data, NOW.replace(hour=14) + SETTLED_AFTER) == []
