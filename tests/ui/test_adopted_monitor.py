"""The monitor on an adopted ERP database (adopt V002's views over the ERP's own tables): the
grid, the run list, the alert log and a drill-down show rows the ERP wrote (tests/db/
erp_builder.py), including a breakdown stored cut off as VARCHAR(20) keeps it."""

from __future__ import annotations

from datetime import datetime

import asyncpg
from rich.text import Text
from textual.widgets import DataTable

from databases import create_adopted_database
from db.erp_builder import ErpBuilder
from db.plant_builder import local
from floorwatch.app import FloorwatchApp
from floorwatch.config import STILL, Config
from floorwatch.db.dsn import Target
from floorwatch.db.source import PlantSource
from floorwatch.showcase import FrozenWall, settle, until_screen
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.run_list import RunList
from floorwatch.ui.screens.work_center import WorkCenterScreen
from floorwatch.ui.work_center_grid import WorkCenterGrid

LA = "America/Los_Angeles"
NOW = local(LA, 2025, 6, 11, 17, 30)


def t(h: int, mi: int = 0) -> datetime:
    return local(LA, 2025, 6, 11, h, mi)


def plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


async def test_the_monitor_shows_the_erps_rows(admin_dsn: str) -> None:
    dsn = await create_adopted_database(admin_dsn, "fw_erp_ui")
    conn = await asyncpg.connect(dsn)
    try:
        b = ErpBuilder(conn)
        scope = await b.scope("ACME", "LAX", timezone=LA)
        p1 = await b.work_center(scope, "PRESS-01", status="IN_USE")
        f1 = await b.work_center(scope, "FOLD-01", kind="FOLDER", rate=None)
        await b.work_center(scope, "CUT-01", status=None)  # no status row: no state
        run = await b.run(scope, p1, "R-ACT1", "IN_PROGRESS", actual_start=t(14, 10),
                          planned="5000.0000", good="1200.4")  # fmt: skip
        await b.run(scope, f1, "R-DONE", "COMPLETED", actual_start=t(12), actual_end=t(15),
                    good="2000.5", scrap=None)  # fmt: skip
        # FOLD-01's next job, due at 18:00 (in the running shift): work, so the plan does not
        # snooze its breakdown
        await b.run(scope, f1, "R-NEXT", "SCHEDULED", scheduled_start=t(18), scheduled_end=t(20))
        await b.status(scope, p1, "PRODUCTIVE", t(14, 10), run_id=run)
        await b.status(scope, f1, "PRODUCTIVE", t(8), t(16, 30))
        await b.status(scope, f1, "NON_PRODUCTIVE_BREAK", t(16, 30), previous="PRODUCTIVE",
                       reason_description="web break")  # fmt: skip
    finally:
        await conn.close()

    config = Config(intervals=STILL, ascii=True)
    source = PlantSource(Target(dsn, "flag"), scope, rules=config.alerts)
    app = FloorwatchApp(source, config, [scope], clock=lambda: NOW, wall=FrozenWall())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid).table
        assert "PRESS-01" in plain(grid.get_cell(str(p1), "code"))
        assert plain(grid.get_cell(str(p1), "state")).endswith("RUN")
        # NON_PRODUCTIVE_BREAK: a breakdown (and its alert flags the code)
        assert "FOLD-01" in plain(grid.get_cell(str(f1), "code"))
        assert plain(grid.get_cell(str(f1), "state")).endswith("DOWN")
        assert grid.row_count == 3  # CUT-01 too

        runs = app.query_one(RunList)
        assert [r.production_run_number for r in runs.visible_runs()] == [
            "R-ACT1",
            "R-NEXT",
            "R-DONE",
        ]
        assert runs.table.row_count == 3
        assert runs.runs[0].quantities.good == 1200  # 1200.4 pieces, rounded

        alerts = app.query_one(AlertPanel)
        texts = [
            " ".join(plain(c) for c in alerts.table.get_row_at(i))
            for i in range(alerts.table.row_count)
        ]
        assert any("FOLD-01" in line and "web break" in line for line in texts), texts

        app.post_message(OpenWorkCenter(f1))
        await until_screen(app, WorkCenterScreen, pilot.pause)
        await settle(app, pilot.pause)
        assert isinstance(app.screen, WorkCenterScreen)
        table = app.screen.query_one("#change-table", DataTable)
        rows = [" ".join(plain(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        # newest first: the breakdown since 16:30, then running from 08:00
        assert len(rows) == 2 and "16:30" in rows[0] and "08:00" in rows[1], rows
