"""PlantData.shift_pair and the closed-shift cache: a shift closed SETTLED_AFTER ago is read
from the database once (rows written into it later do not change what the monitor shows until
it restarts); one closed more recently, or still running, is read again every time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from plant_builder import PlantBuilder

from floorwatch.db.plant import SETTLED_AFTER, PlantData
from floorwatch.db.pool import Database


def t(day: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, 11, day, h, mi, tzinfo=UTC)


async def test_a_settled_shift_is_read_once(builder: PlantBuilder, database: Database) -> None:
    scope = await builder.scope("PAIR", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1", rate=3600)
    await builder.oee(
        scope, press, day=date(2026, 11, 1), shift="3", start=t(1, 22), planned=480,
        downtime=0, produced=1_000, good=1_000, ict=1,
    )  # fmt: skip
    data = PlantData(database, scope)
    now = t(2, 6) + SETTLED_AFTER  # the night shift closed 15 minutes ago: settled
    pair = await data.shift_pair(now)
    assert (pair.shown.key, pair.before.key) == ("2026-11-02/1", "2026-11-01/3")
    assert pair.before.closed and pair.before.facility.good == 1_000

    # a late row of the settled night shift: the same PlantData keeps what it read
    await builder.conn.execute("UPDATE oee_calculations SET good_pieces = 900")
    assert (await data.shift_pair(now)).before.facility.good == 1_000
    assert (await PlantData(database, scope).shift_pair(now)).before.facility.good == 900

    # two shifts back, the shown one is the night shift (from the cache), the one before it
    # the evening shift 2026-11-01/2
    back = await data.shift_pair(now, back=1)
    assert (back.shown.key, back.before.key) == ("2026-11-01/3", "2026-11-01/2")
    assert back.shown.facility.good == 1_000


async def test_a_shift_closed_moments_ago_is_read_again(
    builder: PlantBuilder, database: Database
) -> None:
    scope = await builder.scope("PAIR2", "P1", timezone="UTC", first_shift_start=time(6))
    press = await builder.work_center(scope, "PRESS-1", rate=3600)
    await builder.oee(
        scope, press, day=date(2026, 11, 1), shift="3", start=t(1, 22), planned=480,
        downtime=0, produced=1_000, good=1_000, ict=1,
    )  # fmt: skip
    data = PlantData(database, scope)
    now = t(2, 6, 10)  # closed 10 minutes ago: rows may still come
    assert (await data.shift_pair(now)).before.facility.good == 1_000
    await builder.conn.execute("UPDATE oee_calculations SET good_pieces = 900")
    assert (await data.shift_pair(now)).before.facility.good == 900
