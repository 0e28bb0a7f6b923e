"""The trends panel's compact query (one row per work center, float bars) against the exact
path (every shift row, OEE as Decimals from OeeTotals): the same lines, the same rendering."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from plant_builder import PlantBuilder, local

from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.db.queries import read_directory
from floorwatch.domain.models import TrendLine
from floorwatch.domain.oee import band_edges, oee_band
from floorwatch.panels import TRENDS
from floorwatch.sim import SimOptions, simulate
from floorwatch.ui.format import by_name
from floorwatch.ui.trends import fetch_trends, near_edge, trend_rows

D = Decimal
GAP = 15  # the default [alerts] oee_critical_gap_pct
TOKYO = "Asia/Tokyo"


def assert_same_lines(compact: list[TrendLine], exact: list[TrendLine]) -> None:
    assert [(x.work_center_id, x.work_center_code) for x in compact] == [
        (x.work_center_id, x.work_center_code) for x in exact
    ]
    for c, e in zip(compact, exact, strict=True):
        assert (c.last_age, c.last, c.period) == (e.last_age, e.last, e.period)
        assert c.target_oee_percentage == e.target_oee_percentage
        assert len(c.ratios) == len(e.ratios)
        for f, d in zip(c.ratios, e.ratios, strict=True):
            assert (f is None) == (d is None)
            if f is not None and d is not None:
                assert isinstance(f, float) and isinstance(d, Decimal)
                assert math.isclose(f, float(d), rel_tol=1e-13, abs_tol=1e-15)


def rendered(lines: list[TrendLine], width: int, ascii_only: bool = False) -> list[Any]:
    return [
        (key, {k: (v.plain, v.spans) if hasattr(v, "plain") else v for k, v in cells.items()})
        for key, cells in trend_rows(
            lines, critical_gap_pct=GAP, look=by_name, ascii_only=ascii_only, width=width
        )
    ]


async def test_trend_lines_by_hand(builder: PlantBuilder, database: Database) -> None:
    s = await builder.scope("NIPPON", "TYO", timezone=TOKYO)

    def t(d: int, h: int) -> Any:
        return local(TOKYO, 2025, 6, d, h)

    p1 = await builder.work_center(s, "P1")
    f1 = await builder.work_center(s, "F1")
    old = await builder.work_center(s, "A0")
    d = {n: date(2025, 6, n) for n in range(3, 12)}
    # 06-04 .. 06-10 three shifts a day for P1; F1 only the mornings; A0 once on 06-05;
    # the window is the 7 days up to 06-11: 06-03 and 06-04 are outside
    for n in range(4, 11):
        for shift, hour in (("A", 6), ("B", 14), ("C", 22)):
            await builder.oee(
                s, p1, day=d[n], shift=shift, start=t(n, hour), planned=480 - n,
                downtime=n, produced=1000 * n, good=900 * n, ict=D("1.5"), target=80 + n,
            )  # fmt: skip
        await builder.oee(
            s, f1, day=d[n], shift="A", start=t(n, 6), planned=480, downtime=48,
            produced=4000, good=3800, ict=4,
        )  # fmt: skip
    await builder.oee(
        s, old, day=d[5], shift="B", start=t(5, 14), planned=240, downtime=240, produced=0,
        good=0, ict=1, target=70,
    )  # fmt: skip
    # outside the window
    await builder.oee(
        s, p1, day=d[3], shift="A", start=t(3, 6), planned=480, downtime=0, produced=1,
        good=1, ict=1,
    )  # fmt: skip
    # 06-11 A: nothing planned yet on P1 (a row, no bar)
    await builder.oee(
        s, p1, day=d[11], shift="A", start=t(11, 6), planned=0, downtime=0, produced=0,
        good=0, ict=1,
    )  # fmt: skip
    data = PlantData(database, s)
    now = t(11, 7)
    compact = await data.trend_lines(now)
    exact = await data.trend_lines(now, exact=True)
    assert_same_lines(compact, exact)
    assert [x.work_center_code for x in compact] == [None, "A0", "F1", "P1"]
    facility, a0, f1_line, p1_line = compact
    assert len(facility.ratios) == 19  # 6 x 3 periods + 06-11 A (fewer than 21)
    assert p1_line.ratios[-1] is None and p1_line.last.planned_minutes == 0
    # F1's latest row is 06-10 A: 06-10 B, C and 06-11 A came after (no rows for F1)
    assert f1_line.last_age == 3 and f1_line.ratios[-3:] == [None, None, None]
    # F1 morning: OEE = 4 x 3800 / (480 x 60) = 0.527777...
    assert f1_line.ratios[-4] == pytest.approx(15200 / 28800)
    # A0 once, 06-05 B: its age counts the periods after it (06-05 C .. 06-11 A = 17)
    assert a0.last_age == 17 and a0.ratios[-18] == 0.0
    # the window sums: F1 6 mornings
    assert f1_line.period.planned_minutes == 6 * 480 and f1_line.period.good == 6 * 3800
    # facility target weighted by planned time over every row of the window
    rows = [(80 + n, 480 - n) for n in range(5, 11) for _ in range(3)]
    rows += [(85, 480)] * 6 + [(70, 240), (85, 0)]
    weighted = D(sum(a * b for a, b in rows)) / sum(b for _, b in rows)
    assert facility.target_oee_percentage == weighted
    for width in (6, 12, 17, 18, 19, 21):
        for ascii_only in (False, True):
            assert rendered(compact, width, ascii_only) == rendered(exact, width, ascii_only)
    # A0's only row is older than the last 17 shifts: no "Last" figure then
    assert rendered(compact, 17)[1][1]["last"][0] == rendered(compact, 6)[1][1]["last"][0]
    assert rendered(compact, 17)[1][1]["last"][0] != "0%"
    assert rendered(compact, 18)[1][1]["last"][0] == "0%"

    assert await data.trend_lines(local(TOKYO, 2025, 7, 1, 12)) == []
    assert await data.trend_lines(local(TOKYO, 2025, 7, 1, 12), exact=True) == []


async def test_trend_lines_of_a_simulated_plant(db_dsn: str, database: Database) -> None:
    until = datetime(2026, 3, 30, 9, 17, 23, tzinfo=UTC)  # the day after the EU DST change
    await simulate(db_dsn, SimOptions(seed=5, backfill_days=9, work_centers=10, until=until))
    conn = await asyncpg.connect(db_dsn)
    try:
        scope = (await read_directory(conn))[0]
    finally:
        await conn.close()
    data = PlantData(database, scope)
    for now in (until, until.replace(hour=2), until.replace(day=27, hour=23)):
        compact = await data.trend_lines(now)
        exact = await data.trend_lines(now, exact=True)
        assert len(compact) == 11
        assert_same_lines(compact, exact)
        for width in (6, 13, 21):
            assert rendered(compact, width) == rendered(exact, width)
        # the panel's fetch (panels.TREND_DAYS, two weeks): no bar near an edge here
        assert await fetch_trends(data, now, GAP) == await TRENDS.fetch(data, now)


async def test_a_bar_on_a_band_edge_is_computed_exactly(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("NIPPON", "TYO", timezone=TOKYO)
    p1 = await builder.work_center(s, "P1")
    # OEE = 1 x 2 x 25500 / (500 x 60 x 2 ... ): 480 planned, ICT 1 s, 24480 good of 24480
    # -> 24480 / 28800 = 0.85 exactly, the target: green, never the float's yellow
    await builder.oee(
        s, p1, day=date(2025, 6, 10), shift="A", start=local(TOKYO, 2025, 6, 10, 6),
        planned=480, downtime=0, produced=24480, good=24480, ict=1, target=85,
    )  # fmt: skip
    data = PlantData(database, s)
    now = local(TOKYO, 2025, 6, 10, 15)
    compact = await data.trend_lines(now)
    assert near_edge(compact[1].ratios[0], D(85), GAP)
    lines = await fetch_trends(data, now, GAP)
    assert lines[1].ratios == [D("0.85")]
    assert rendered(lines, 21) == rendered(await data.trend_lines(now, exact=True), 21)


def test_band_edges_are_where_the_bands_change() -> None:
    """near_edge knows where oee_band changes colour; if the bands move, so must it."""
    target = D(85)
    tiny = D("1e-20")
    for gap in band_edges(GAP):
        edge = (target - gap) / 100
        assert oee_band(edge - tiny, target, GAP) != oee_band(edge + tiny, target, GAP)
    bands = {oee_band(D(x) / 1000, target, GAP) for x in range(0, 1200)}
    assert len(bands) == len(band_edges(GAP)) + 1
