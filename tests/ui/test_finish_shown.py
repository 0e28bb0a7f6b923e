"""Time to finish on screen: the grid's run column (`R-… ~15:00`, `R-… late`) and the run
list's Finish column, on the coded plant (Europe/Berlin, now 09:30 UTC = 10:30 local).

PRESS-0001-000001 started 08:00 UTC and its work center has been productive since before
that: 90 productive minutes for 250 good; 1,000 - 250 = 750 left take 750 x 90 / 250 = 270
minutes: 14:00 UTC, 15:00 in Berlin. Its scheduled end (11:30 UTC) is before that: late.
PRESS-0002-000001 is paused with no productive minute on the run: no rate, no scheduled end."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from floorwatch.config import STILL, Config
from floorwatch.showcase import settle, showcase_app
from floorwatch.ui.format import FINISH_LATE_LOOK
from floorwatch.ui.run_list import RunList
from floorwatch.ui.work_center_grid import WorkCenterGrid
from ui.coded_plant import NOW, build_coded_plant
from ui.screen_text import screen_lines

WIDE = (200, 60)  # the grid shows its run column from 70 cells, its name from 72


@pytest.mark.parametrize("ascii_only", [False, True])
async def test_the_grid_and_the_run_list_show_late(
    db_dsn: str, ascii_only: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ascii_only:
        monkeypatch.setenv("NO_COLOR", "1")  # the word reads without colour
    plant = await build_coded_plant(db_dsn)
    app = showcase_app(plant.dsn, plant.scope, config=Config(intervals=STILL, ascii=ascii_only))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid)
        assert "run" in [c.key for c in grid.columns]
        wc = str(plant.wc["PRESS-0001"])
        cell = grid.table.get_cell(wc, "run")
        assert cell.plain == "PRESS-0001-000001 late"
        late_style = grid.look(FINISH_LATE_LOOK)
        assert late_style  # bold at least, also under NO_COLOR
        assert any(span.style == late_style for span in cell.spans)
        # paused without a rate: the run number alone
        assert grid.table.get_cell(str(plant.wc["PRESS-0002"]), "run").plain == (
            "PRESS-0002-000001"
        )
        runs = app.query_one(RunList)
        run_key = str(plant.runs["PRESS-0001-000001"])
        assert runs.table.get_cell(run_key, "finish").plain == "late"
        assert runs.table.get_cell(str(plant.runs["PRESS-0002-000001"]), "finish").plain == "-"
        assert any("PRESS-0001-000001 late" in line for line in screen_lines(app))


async def test_an_on_time_run_shows_its_plant_local_finish(db_dsn: str) -> None:
    plant = await build_coded_plant(db_dsn)
    conn = await asyncpg.connect(db_dsn)
    try:  # scheduled to end at 16:30 UTC instead: 14:00 UTC is on time
        await conn.execute(
            "UPDATE production_runs SET scheduled_end = $1 WHERE id = $2",
            NOW + timedelta(hours=7),
            plant.runs["PRESS-0001-000001"],
        )
    finally:
        await conn.close()
    app = showcase_app(plant.dsn, plant.scope, config=Config(intervals=STILL))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid)
        cell = grid.table.get_cell(str(plant.wc["PRESS-0001"]), "run")
        assert cell.plain == "PRESS-0001-000001 ~15:00"  # 14:00 UTC in Berlin
        runs = app.query_one(RunList)
        assert runs.table.get_cell(str(plant.runs["PRESS-0001-000001"]), "finish").plain == (
            "~15:00"
        )
