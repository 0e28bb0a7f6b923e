"""The trends' sparklines use the width (issue 9, item 4): on a wide screen a bar for every
shift of the two weeks the trends poll fetches, not 21 at most."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from databases import create_migrated_database
from floorwatch.domain.models import Scope
from floorwatch.domain.plant_time import local_day
from floorwatch.showcase import SHOWCASE_NOW, settle, showcase_app, showcase_scopes
from floorwatch.sim import SimOptions, simulate
from floorwatch.ui.trends import FACILITY_KEY, TrendsPanel


@pytest.fixture(scope="module")
async def two_weeks(admin_dsn: str) -> tuple[str, Scope]:
    """A small plant with three weeks of history (more than the trends show)."""
    dsn = await create_migrated_database(admin_dsn, "fw_two_weeks")
    options = SimOptions(seed=5, backfill_days=21, work_centers=2, until=SHOWCASE_NOW)
    await simulate(dsn, options)
    return dsn, (await showcase_scopes(dsn))[0]


async def _periods(dsn: str, scope: Scope) -> int:
    """Shift periods of the facility in the last two weeks (panels.TREND_DAYS, 14 plant-local
    days: what the trends poll fetches), counted by hand."""
    today = local_day(SHOWCASE_NOW, scope.timezone).local_date
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(
            "SELECT count(DISTINCT period_start) FROM oee_calculations "
            "WHERE facility_id = $1 AND calculation_date BETWEEN $2 AND $3",
            scope.facility_id,
            today - timedelta(days=14 - 1),
            today,
        )
    finally:
        await conn.close()


async def test_sparklines_take_the_width_up_to_what_is_fetched(
    two_weeks: tuple[str, Scope],
) -> None:
    dsn, scope = two_weeks
    periods = await _periods(dsn, scope)
    assert periods > 21, "the fixture has more shifts than a week's 21"
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot.pause)
        spark = app.query_one(TrendsPanel).table.get_cell(FACILITY_KEY, "spark")
        # the panel is half the screen, 100 cells, and has room for 100 - 27 = 73 bars (its
        # border 2, the other columns and their padding 8+2 + 4+2 + 4+2, the spark's padding
        # 2, the scrollbar 1): a bar for every shift fetched
        assert len(spark.plain) == periods


async def test_narrow_sparklines_show_the_latest_shifts(two_weeks: tuple[str, Scope]) -> None:
    dsn, scope = two_weeks
    periods = await _periods(dsn, scope)
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        trends = app.query_one(TrendsPanel)
        width = next(c.width for c in trends.columns if c.key == "spark")
        spark = trends.table.get_cell(FACILITY_KEY, "spark")
        assert width is not None and 6 <= width < periods
        assert len(spark.plain) == width  # as many as fit, the newest


async def test_a_very_wide_screen_draws_wider_bars(two_weeks: tuple[str, Scope]) -> None:
    dsn, scope = two_weeks
    periods = await _periods(dsn, scope)
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(300, 60)) as pilot:
        await settle(app, pilot.pause)
        trends = app.query_one(TrendsPanel)
        spark = trends.table.get_cell(FACILITY_KEY, "spark")
        # the panel is 150 cells: room for 150 - 27 = 123 cells, 42 shifts fetched (14 days of
        # 3), so each bar is 123 // 42 = 2 cells wide
        assert trends.bar_cells == 2
        assert len(spark.plain) == 2 * periods
        assert spark.plain[0::2] == spark.plain[1::2]  # each shift's character twice
