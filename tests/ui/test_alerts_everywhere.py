"""Alerts are polled on every screen: a work center goes down while a drill-down (and then
help over it) is open, and the status line counts the new alert there."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from databases import create_migrated_database
from db.plant_builder import PlantBuilder
from floorwatch.config import Config, Intervals
from floorwatch.showcase import SHOWCASE_NOW, FrozenWall, settle, showcase_app, until, until_screen
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.chrome import StatusLine
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.screens.help import HelpScreen
from floorwatch.ui.screens.work_center import WorkCenterScreen

NOW = SHOWCASE_NOW  # the app's frozen clock
HOUR = 3600.0


async def _wait_for(condition, pause) -> None:  # type: ignore[no-untyped-def]
    await until(condition, pause, within=15.0)


def status_text(screen) -> str:  # type: ignore[no-untyped-def]
    return screen.query_one(StatusLine).render().plain


async def test_new_alerts_reach_the_status_line_of_a_drill_down_and_under_help(
    admin_dsn: str,
) -> None:
    dsn = await create_migrated_database(admin_dsn, "fw_alerts_everywhere")
    conn = await asyncpg.connect(dsn)
    try:
        plant = PlantBuilder(conn)
        scope = await plant.scope("ACME", "P1")
        press = await plant.work_center(scope, "PRESS-01")
        cutter = await plant.work_center(scope, "CUT-01")
        for wc in (press, cutter):  # both have work (the plan would snooze an idle one)
            await plant.working(scope, wc, NOW - timedelta(hours=3))
        for wc in (press, cutter):
            await plant.status(scope, wc, "PRODUCTIVE", NOW - timedelta(hours=2))

        # alerts every 0.2 s, everything else an hour: only the alerts poll can bring news
        intervals = dict.fromkeys(Intervals.model_fields, HOUR) | {"alerts": 0.2}
        config = Config(intervals=Intervals.injected(**intervals))
        app = showcase_app(dsn, scope, config=config, wall=FrozenWall())
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot.pause)
            assert app.alert_log.new() == []
            app.post_message(OpenWorkCenter(press))
            await until_screen(app, WorkCenterScreen, pilot.pause)
            drill = app.screen
            assert "new alert" not in status_text(drill)

            # PRESS-01 breaks down ten minutes ago (its running state closed then)
            await conn.execute(
                "UPDATE equipment_status_log SET status_end = $1 WHERE work_center_id = $2",
                NOW - timedelta(minutes=10),
                press,
            )
            await plant.status(
                scope, press, "NON_PRODUCTIVE_BREAKDOWN", NOW - timedelta(minutes=10)
            )
            await _wait_for(lambda: len(app.alert_log.new()) == 1, pilot.pause)
            assert app.screen is drill  # still in the drill-down
            await _wait_for(lambda: "1 new alert" in status_text(drill), pilot.pause)

            # help over the drill-down: the screen below keeps its status line, and counts on
            await pilot.press("question_mark")
            await until_screen(app, HelpScreen, pilot.pause)
            box = app.screen.query_one("#help-box")
            assert box.region.y > 0  # the status line (row 0) is not covered
            await conn.execute(
                "UPDATE equipment_status_log SET status_end = $1 WHERE work_center_id = $2",
                NOW - timedelta(minutes=5),
                cutter,
            )
            await plant.status(
                scope, cutter, "NON_PRODUCTIVE_BREAKDOWN", NOW - timedelta(minutes=5)
            )
            await _wait_for(lambda: "2 new alerts" in status_text(drill), pilot.pause)

            # and the alert log on the main screen has both when it is shown again
            await pilot.press("escape")
            await pilot.press("escape")
            await until_screen(app, type(app.screen_stack[0]), pilot.pause)
            main = app.screen_stack[0]
            panel = main.query_one(AlertPanel)
            await _wait_for(lambda: panel.table.row_count == 2, pilot.pause)
            assert "2 new" in str(panel.border_title)
            assert "2 new alerts" in status_text(main)
    finally:
        await conn.close()


async def test_the_count_blinks_while_alerts_are_new_and_goes_when_acknowledged(
    admin_dsn: str,
) -> None:
    dsn = await create_migrated_database(admin_dsn, "fw_alerts_flash")
    conn = await asyncpg.connect(dsn)
    try:
        plant = PlantBuilder(conn)
        scope = await plant.scope("ACME", "P1")
        press = await plant.work_center(scope, "PRESS-01")
        await plant.working(scope, press, NOW - timedelta(hours=3))
        await plant.status(scope, press, "NON_PRODUCTIVE_BREAKDOWN", NOW - timedelta(minutes=10))
        app = showcase_app(dsn, scope, wall=FrozenWall())
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot.pause)
            line = app.screen.query_one(StatusLine)
            assert "1 new alert" in status_text(app.screen) and line.has_class("-alerting")
            # the count's look blinks (the terminal's attribute: no redraws to flash it)
            assert line.look("status--alerts").blink
            await pilot.press("a")  # acknowledge all
            await _wait_for(lambda: not app.alert_log.new(), pilot.pause)
            assert "new alert" not in status_text(app.screen)
            assert not line.has_class("-alerting")
    finally:
        await conn.close()


async def test_kiosk_drill_downs_keep_the_alerts_polled(showcase) -> None:  # type: ignore[no-untyped-def]
    """--kiosk spends every other step in a drill-down: the alerts poll answers there too."""
    dsn, scope = showcase
    intervals = dict.fromkeys(Intervals.model_fields, HOUR) | {"alerts": 0.2}
    config = Config(intervals=Intervals.injected(**intervals), kiosk_seconds=30)
    app = showcase_app(dsn, scope, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        app._kiosk()  # one step, not waiting 30 s: the worst work center's drill-down
        await until_screen(app, WorkCenterScreen, pilot.pause)
        assert app.alerts_poll is not None
        before = app.alerts_poll.calls
        await _wait_for(lambda: app.alerts_poll.calls >= before + 3, pilot.pause)  # type: ignore[union-attr]
        assert isinstance(app.screen, WorkCenterScreen)
