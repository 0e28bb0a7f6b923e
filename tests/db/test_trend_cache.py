"""The trends panel reads the closed shifts' rows once (PlantData.trend_lines): each poll asks
only for the running shift's; a shift closing, the settle of the just-closed shift (its late
rows) and the day rolling over read them again. The lines stay those of the exact path."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from plant_builder import PlantBuilder
from test_trend_lines import assert_same_lines

from floorwatch.bench.recording import RecordingDatabase
from floorwatch.db import queries
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database

D = Decimal
NOV1, NOV2 = date(2026, 11, 1), date(2026, 11, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


async def test_closed_shifts_are_read_once(builder: PlantBuilder, database: Database) -> None:
    s = await builder.scope("CACHE", "P1", timezone="UTC", first_shift_start=time(6))
    wc1 = await builder.work_center(s, "WC1")
    wc2 = await builder.work_center(s, "WC2")
    wc3 = await builder.work_center(s, "WC3")

    async def row(wc: Any, day: date, shift: str, hour: int, **kw: Any) -> None:
        start = at(day, hour) if hour >= 6 else at(day + timedelta(days=1), hour)
        values = dict(planned=480, downtime=30, produced=900, good=850, ict=D("25.5"))
        await builder.oee(s, wc, day=day, shift=shift, start=start, **(values | kw))

    for wc in (wc1, wc2):  # yesterday's three shifts and today's morning, closed at 14:00
        for shift, hour in (("A", 6), ("B", 14), ("C", 22)):
            await row(wc, NOV1, shift, hour)
        await row(wc, NOV2, "A", 6, good=700)
    await row(wc1, NOV2, "B", 14, planned=60, downtime=0, produced=100, good=90)  # running

    pool = database.pool
    recorder = RecordingDatabase(pool, "floorwatch_reader")
    data = PlantData(recorder, s)
    reads: list[tuple[datetime | None, datetime | None]] = []

    async def poll(now: datetime) -> list[Any]:
        """The compact lines as of `now` (checked against the exact path, every row read)."""
        recorder.log.clear()
        lines = await data.trend_lines(now)
        reads[:] = [a[-2:] for q, a in recorder.log if q == queries.sql("trend_rows")]
        assert_same_lines(lines, await PlantData(database, s).trend_lines(now, exact=True))
        return lines

    running = at(NOV2, 14)
    first = await poll(at(NOV2, 14, 5))
    assert reads == [(None, running), (running, None)]  # closed once, then the running shift
    assert [line.work_center_code for line in first] == [None, "WC1", "WC2"]
    assert first[1].last.produced == 100 and first[2].last_age == 1
    # the running shift moves on: each poll reads it alone
    await builder.conn.execute(
        "UPDATE oee_calculations SET total_pieces_produced = 200, good_pieces = 180 "
        "WHERE work_center_id = $1 AND shift = 'B' AND calculation_date = $2",
        wc1,
        NOV2,
    )
    await row(wc2, NOV2, "B", 14, planned=60, downtime=0, produced=50, good=50)
    lines = await poll(at(NOV2, 14, 6))
    assert reads == [(running, None)]
    assert lines[1].last.produced == 200 and lines[2].last_age == 0
    # a late row of the just-closed morning shift: not read until the shift has settled ...
    await row(wc3, NOV2, "A", 6, produced=10, good=10)
    recorder.log.clear()
    kept = await data.trend_lines(at(NOV2, 14, 10))
    assert [line.work_center_code for line in kept] == [None, "WC1", "WC2"]
    assert [a[-2:] for q, a in recorder.log if q == queries.sql("trend_rows")] == [(running, None)]
    # ... 15 minutes after it closed, then once only
    settled = await poll(at(NOV2, 14, 15))
    assert reads == [(None, running), (running, None)]
    assert [line.work_center_code for line in settled] == [None, "WC1", "WC2", "WC3"]
    assert settled[3].last.produced == 10 and settled[3].last_age == 1
    await poll(at(NOV2, 14, 20))
    assert reads == [(running, None)]
    # the running shift closes: its rows join the closed ones
    night = at(NOV2, 22)
    await poll(at(NOV2, 22, 1))
    assert reads == [(None, night), (night, None)]
    await poll(at(NOV2, 22, 10))
    assert reads == [(night, None)]
    await poll(at(NOV2, 22, 15))  # settled
    assert reads == [(None, night), (night, None)]
    await poll(at(NOV2, 23))
    assert reads == [(night, None)]
    # the calendar day rolls over inside the night shift (a new window): read again
    await poll(at(NOV2 + timedelta(days=1), 0, 1))
    assert reads == [(None, night), (night, None)]
    await poll(at(NOV2 + timedelta(days=1), 0, 2))
    assert reads == [(night, None)]
