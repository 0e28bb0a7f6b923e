"""`floorwatch screenshot`: the main screen, a drill-down, help, the shift and losses
screens, the wall layout and the disconnected state of the showcase plant (showcase.py)
written as SVG; the snapshot tests use the same dataset and app factory, so the README's
pictures and the tests show the same plant."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from floorwatch.config import STILL, Config
from floorwatch.db.embedded import EmbeddedServer
from floorwatch.domain.models import Scope
from floorwatch.showcase import (
    FrozenWall,
    load_showcase,
    settle,
    showcase_app,
    until_all_failed,
    until_screen,
)
from floorwatch.ui.panel import Panel
from floorwatch.ui.screens.losses import LossesScreen
from floorwatch.ui.screens.shift import ShiftScreen
from floorwatch.ui.screens.work_center import WorkCenterScreen


async def _shoot(
    dsn: str, scope: Scope, out: Path, size: tuple[int, int], server: EmbeddedServer
) -> list[Path]:
    wall = FrozenWall()
    app = showcase_app(dsn, scope, wall=wall)
    written: list[Path] = []

    def save(name: str) -> None:
        written.append(Path(app.save_screenshot(filename=f"{name}.svg", path=str(out))))

    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        save("main")
        grid = app.query_one("#work-center-table")
        grid.focus()
        await pilot.press("enter")
        await until_screen(app, WorkCenterScreen, pilot.pause)
        await settle(app, pilot.pause)
        save("drilldown")
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        save("help")
        await pilot.press("escape")
        await pilot.pause(0.1)
        for key, screen, name in (("h", ShiftScreen, "shift"), ("l", LossesScreen, "losses")):
            await pilot.press(key)
            await until_screen(app, screen, pilot.pause)
            await settle(app, pilot.pause)
            save(name)
            await pilot.press("escape")
            await pilot.pause(0.1)
        server.stop()
        wall.seconds += 95  # the outage has lasted a while when the picture is taken
        await pilot.press("r")
        await until_all_failed(app, pilot.pause)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        app.refresh_chrome()
        for panel in app.screen.query(Panel):
            panel.refresh_age(wall(), app.paused)
        await pilot.pause(0.1)
        save("disconnected")
    return written


async def _shoot_wall(dsn: str, scope: Scope, out: Path, size: tuple[int, int]) -> Path:
    app = showcase_app(dsn, scope, config=Config(intervals=STILL, layout="wall"))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        return Path(app.save_screenshot(filename="wall.svg", path=str(out)))


def write_screenshots(out: Path, size: tuple[int, int]) -> list[Path]:
    """Render the main screen, a drill-down, help, the shift and losses screens, the wall
    and the disconnected state into `out`."""
    with tempfile.TemporaryDirectory(prefix="floorwatch-shots-") as tmp:
        server = EmbeddedServer(Path(tmp) / "pg")
        server.start()
        try:
            dsn = server.admin_dsn()
            scope = asyncio.run(load_showcase(dsn))
            wall = asyncio.run(_shoot_wall(dsn, scope, out, size))
            return [*asyncio.run(_shoot(dsn, scope, out, size, server)), wall]
        finally:
            server.stop()
