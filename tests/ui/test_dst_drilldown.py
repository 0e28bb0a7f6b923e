"""The drill-down on the fall-back night, in the real server: a facility in America/New_York
(2026-11-01: 01:00-02:00 happens twice, EDT then EST) with status changes across 05:00-07:00
UTC. The timeline keeps the repeated hour's make-ready and marks the hour; the change list
tells the two 01:20s apart by their offsets."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg
from textual.geometry import Region
from textual.widgets import DataTable, Static

from databases import create_migrated_database
from db.plant_builder import PlantBuilder
from floorwatch.app import FloorwatchApp
from floorwatch.config import STILL, Config
from floorwatch.db.dsn import Target
from floorwatch.db.source import PlantSource
from floorwatch.showcase import FrozenWall, settle, until_screen
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.screens.work_center import WorkCenterScreen

NOW = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)  # 03:00 EST


def utc(h: int, m: int = 0) -> datetime:
    return datetime(2026, 11, 1, h, m, tzinfo=UTC)


async def test_the_fall_back_night_in_the_drill_down(admin_dsn: str) -> None:
    dsn = await create_migrated_database(admin_dsn, "fw_dst")
    conn = await asyncpg.connect(dsn)
    try:
        plant = PlantBuilder(conn)
        scope = await plant.scope("ACME", "NYC", timezone="America/New_York")
        wc = await plant.work_center(scope, "PRESS-01")
        # running from 00:00 EDT; a make-ready at 01:20 EST (06:20 UTC, the second 01:20)
        # after a stop at 01:20 EDT (05:20 UTC, the first); broken down from 02:00 EST on
        await plant.status(scope, wc, "PRODUCTIVE", utc(4), utc(5, 20))
        await plant.status(scope, wc, "NON_PRODUCTIVE_NO_MATERIAL", utc(5, 20), utc(6, 20))
        await plant.status(scope, wc, "NON_PRODUCTIVE_SETUP", utc(6, 20), utc(7))
        await plant.status(scope, wc, "NON_PRODUCTIVE_BREAKDOWN", utc(7), None)
    finally:
        await conn.close()

    config = Config(intervals=STILL, ascii=True)  # states by symbol: SETUP is *
    source = PlantSource(Target(dsn, "flag"), scope, rules=config.alerts)
    app = FloorwatchApp(source, config, [scope], clock=lambda: NOW, wall=FrozenWall())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        app.post_message(OpenWorkCenter(wc))
        await until_screen(app, WorkCenterScreen, pilot.pause)
        await settle(app, pilot.pause)
        widget = app.screen.query_one("#timeline", Static)
        region = Region(0, 0, widget.size.width, widget.size.height)
        bar, scale, mark = [s.text.rstrip() for s in widget.render_lines(region)][:3]
        width = len(bar)
        # 25 elapsed hours; slot k covers [04:00 + 25h*k/width) UTC: the make-ready's slots
        # (06:20-07:00 UTC) are there, in the second 01:00-02:00, and so is its symbol
        setup_at = int((2 + 20 / 60) / 25 * width) + 1  # a slot well inside 06:20-07:00
        assert bar[setup_at] == "*"
        assert "01:00-02:00 again, UTC-05" in mark
        assert mark.index("^") == int(2 / 25 * width)  # under 06:00 UTC, 2 h after 00:00 EDT
        assert scale.startswith("00")

        table = app.screen.query_one("#change-table", DataTable)
        starts = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        # newest first: 02:00 EST, the make-ready at the second 01:20, the stop at the first
        assert starts == ["02:00", "01:20 -05", "01:20 -04", "00:00"]
