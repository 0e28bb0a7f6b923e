"""Tables never drift: untouched, a table stays at its top (most urgent first) as rows finish
and are re-ordered; a row the user selected is kept by its key until IDLE_SECONDS without a
navigation key, then the table goes back to its top. Real database, rows changed between
polls."""

from __future__ import annotations

import asyncpg

from floorwatch.config import Config, Intervals
from floorwatch.showcase import FrozenWall, settle, showcase_app
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.run_list import RunList
from floorwatch.ui.table import IDLE_SECONDS, Table, selected_key
from ui.coded_plant import NOW, CodedPlant, build_coded_plant

HOUR = 3600.0
FAST = 0.2  # the run list's and alert log's polls


def _config() -> Config:
    values = {name: HOUR for name in Intervals.model_fields}
    values.update(runs=FAST, alerts=FAST)
    return Config(intervals=Intervals.injected(**values))


async def _finish(plant: CodedPlant, number: str) -> None:
    conn = await asyncpg.connect(plant.dsn)
    try:
        await conn.execute(
            "UPDATE production_runs SET status = 'COMPLETED', actual_end = $2 WHERE id = $1",
            plant.runs[number],
            NOW,
        )
    finally:
        await conn.close()


async def _until(condition, pause, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pause(0.05)
    raise AssertionError("condition not reached")


def _finished(runs: RunList, number: str) -> bool:
    return any(r.production_run_number == number and r.status == "COMPLETED" for r in runs.runs)


def _at_top(table: Table) -> bool:
    return table.cursor_row == 0 and table.scroll_y == 0


async def test_untouched_tables_stay_at_their_top_as_runs_finish(db_dsn: str) -> None:
    plant = await build_coded_plant(db_dsn, extra_active_runs=30)
    app = showcase_app(plant.dsn, plant.scope, config=_config())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        runs = app.query_one(RunList)
        # by status, then work center: PRESS-0001's active run is the most urgent, first
        assert selected_key(runs.table) == str(plant.runs["PRESS-0001-000001"])
        for number in ["PRESS-0001-000001", "STITCH-001-100000", "STITCH-001-100001"]:
            await _finish(plant, number)  # the top row finishes: it sorts to the bottom
            await _until(lambda n=number: _finished(runs, n), pilot.pause)
            await pilot.pause()
            top = runs.visible_runs()[0]
            assert top.status == "IN_PROGRESS"
            assert selected_key(runs.table) == str(top.run_id)  # not the finished run
            assert _at_top(runs.table)
        alerts = app.query_one(AlertPanel)
        assert _at_top(alerts.table)
        assert alerts.selected_alert() == app.alerts.alerts[0].key  # the newest active


async def test_a_selected_row_is_kept_by_key_until_a_minute_without_keys(db_dsn: str) -> None:
    plant = await build_coded_plant(db_dsn, extra_active_runs=30)
    wall = FrozenWall()
    app = showcase_app(plant.dsn, plant.scope, config=_config(), wall=wall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        runs = app.query_one(RunList)
        runs.table.focus()
        await pilot.press("down", "down", "down")
        chosen = selected_key(runs.table)
        assert runs.table.cursor_row == 3
        await _finish(plant, "PRESS-0001-000001")  # a row above the chosen one leaves the top
        await _until(lambda: _finished(runs, "PRESS-0001-000001"), pilot.pause)
        await pilot.pause()
        assert selected_key(runs.table) == chosen  # kept by its key, one row up now
        assert runs.table.cursor_row == 2
        wall.seconds = IDLE_SECONDS - 1  # not yet a minute without keys
        await _finish(plant, "STITCH-001-100000")
        await _until(lambda: _finished(runs, "STITCH-001-100000"), pilot.pause)
        await pilot.pause()
        assert selected_key(runs.table) == chosen
        wall.seconds = IDLE_SECONDS  # a minute: the next refresh goes back to the top
        polls = runs.polls[0].calls
        await _until(lambda: runs.polls[0].calls > polls + 1, pilot.pause)
        await pilot.pause()
        assert _at_top(runs.table)
        assert selected_key(runs.table) == str(runs.visible_runs()[0].run_id)
