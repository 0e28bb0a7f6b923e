"""Identifiers are never cut: with 10-character work-center codes (the facility's longest)
every code and run number appears whole in the grid, the run list and the alert log, at 80x24
and wider; names and messages give way."""

from __future__ import annotations

import pytest

from floorwatch.config import STILL, Config
from floorwatch.showcase import settle, showcase_app
from floorwatch.ui.run_list import RunList
from ui.coded_plant import CODES, build_coded_plant
from ui.screen_text import screen_lines


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_every_code_appears_whole(db_dsn: str, size: tuple[int, int]) -> None:
    plant = await build_coded_plant(db_dsn)
    app = showcase_app(plant.dsn, plant.scope, config=Config(intervals=STILL))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        lines = screen_lines(app)
        width = size[0]
        regions = {
            name: app.query_one(f"#{name}").region for name in ("work-centers", "runs", "alerts")
        }

        def shown_in(name: str) -> str:
            region = regions[name]
            return "\n".join(
                line[region.x : region.right] for line in lines[region.y : region.bottom]
            )

        for code in CODES:
            assert code in shown_in("work-centers"), (code, size)
        runs = app.query_one(RunList)
        in_view = runs.table.scrollable_content_region.height - 1  # under the header
        assert in_view >= 2
        for run in runs.visible_runs()[:in_view]:
            assert run.production_run_number in shown_in("runs"), (run, size)
        for code in ("PRESS-0001", "PRESS-0002"):  # the two alerts' work centers
            assert code in shown_in("alerts"), (code, size)
        for name in regions:  # nothing runs off a table's right edge
            table = app.query_one(f"#{name} DataTable")
            assert table.virtual_size.width <= table.scrollable_content_region.width, name
        assert all(len(line) == width for line in lines)
