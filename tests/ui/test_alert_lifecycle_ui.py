"""The alert lifecycle in the monitor: the bell rings once per critical alert, `m` mutes a work
center (its alerts are muted, never new, and the mute survives a restart), and the alert's
detail line says who acknowledged it and when."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg

from databases import create_migrated_database
from db.plant_builder import PlantBuilder
from floorwatch.acks import AckStore, login
from floorwatch.config import Config, Intervals
from floorwatch.domain.alert_log import AlertStatus
from floorwatch.domain.models import Scope
from floorwatch.showcase import SHOWCASE_NOW, FrozenWall, settle, showcase_app, until, until_screen
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.chrome import StatusLine
from floorwatch.ui.screens.mute import MuteScreen
from floorwatch.ui.work_center_grid import WorkCenterGrid

NOW = SHOWCASE_NOW  # the app's frozen clock
HOUR = 3600.0
FAST = Intervals.injected(**(dict.fromkeys(Intervals.model_fields, HOUR) | {"alerts": 0.2}))


async def _wait_for(condition, pause) -> None:  # type: ignore[no-untyped-def]
    await until(condition, pause, within=15.0)


async def _plant(admin_dsn: str, name: str) -> tuple[str, asyncpg.Connection, PlantBuilder]:
    dsn = await create_migrated_database(admin_dsn, name)
    conn = await asyncpg.connect(dsn)
    return dsn, conn, PlantBuilder(conn)


async def _break_down(
    conn: asyncpg.Connection, plant: PlantBuilder, scope: Scope, wc: uuid.UUID, ago: float
) -> None:
    at = NOW - timedelta(minutes=ago)
    await conn.execute(
        "UPDATE equipment_status_log SET status_end = $1 "
        "WHERE work_center_id = $2 AND status_end IS NULL",
        at,
        wc,
    )
    await plant.status(scope, wc, "NON_PRODUCTIVE_BREAKDOWN", at)


async def test_a_critical_alert_rings_once_a_warning_does_not(admin_dsn: str) -> None:
    dsn, conn, plant = await _plant(admin_dsn, "fw_alert_bell")
    try:
        scope = await plant.scope("ACME", "P1")
        press = await plant.work_center(scope, "PRESS-01")
        cutter = await plant.work_center(scope, "CUT-01")
        for wc in (press, cutter):  # both have work (the plan would snooze an idle one)
            await plant.working(scope, wc, NOW - timedelta(hours=3))
        await plant.status(scope, press, "PRODUCTIVE", NOW - timedelta(hours=2))
        # no operator for 20 minutes: a warning, firing since 5 minutes (escalates at 65 min)
        await plant.status(scope, cutter, "NON_PRODUCTIVE_NO_OPERATOR", NOW - timedelta(minutes=20))
        app = showcase_app(dsn, scope, config=Config(intervals=FAST, bell=True), wall=FrozenWall())
        rings: list[int] = []
        app.bell = lambda: rings.append(1)  # type: ignore[method-assign]  # the terminal's bell
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot.pause)
            assert len(app.alert_log.new()) == 1 and rings == []
            await _break_down(conn, plant, scope, press, ago=1)
            await _wait_for(lambda: len(app.alert_log.new()) == 2, pilot.pause)
            await pilot.pause(1.5)  # about seven more polls of the alerts: still one ring
            assert rings == [1]
    finally:
        await conn.close()


async def test_m_mutes_a_work_center_until_unmuted_and_across_a_restart(
    admin_dsn: str, tmp_path: Path
) -> None:
    dsn, conn, plant = await _plant(admin_dsn, "fw_alert_mute")
    try:
        scope = await plant.scope("ACME", "P1")
        press = await plant.work_center(scope, "PRESS-01")
        cutter = await plant.work_center(scope, "CUT-01")
        for wc in (press, cutter):  # both have work (the plan would snooze an idle one)
            await plant.working(scope, wc, NOW - timedelta(hours=3))
        for wc in (press, cutter):
            await plant.status(scope, wc, "PRODUCTIVE", NOW - timedelta(hours=2))
        config = Config(intervals=FAST)
        app = showcase_app(dsn, scope, config=config, wall=FrozenWall(), state_dir=tmp_path)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot.pause)
            grid = app.query_one(WorkCenterGrid)
            grid.table.focus()
            grid.table.move_cursor(row=grid.table.get_row_index(str(press)))
            await pilot.press("m")
            await until_screen(app, MuteScreen, pilot.pause)
            await pilot.press("down", "enter")  # 1 hour
            await _wait_for(lambda: press in app.alerts.mutes, pilot.pause)
            assert app.alerts.mutes[press].until == NOW + timedelta(hours=1)

            await _break_down(conn, plant, scope, press, ago=1)
            panel = app.query_one(AlertPanel)
            await _wait_for(lambda: panel.table.row_count == 1, pilot.pause)
            [alert] = app.alerts.alerts
            assert app.alerts.status(alert) is AlertStatus.MUTED
            assert app.alert_log.new() == [] and not panel.has_class("-new")
            assert "new alert" not in app.screen.query_one(StatusLine).render().plain
            assert panel.table.get_cell(alert.key, "state").plain == (
                "◌ muted" if panel.wide else "mut"
            )

            await _break_down(conn, plant, scope, cutter, ago=1)  # another work center: new
            await _wait_for(lambda: len(app.alert_log.new()) == 1, pilot.pause)
            assert app.alert_log.new()[0].work_center_id == cutter

        mutes = AckStore(tmp_path, scope)
        mutes.load()
        assert mutes.mutes[press].until == NOW + timedelta(hours=1)
        assert mutes.mutes[press].by == login()

        again = showcase_app(dsn, scope, config=config, wall=FrozenWall(), state_dir=tmp_path)
        async with again.run_test(size=(100, 30)) as pilot:
            await settle(again, pilot.pause)
            assert {a.work_center_id for a in again.alert_log.new()} == {cutter}
            grid = again.query_one(WorkCenterGrid)
            grid.table.focus()
            grid.table.move_cursor(row=grid.table.get_row_index(str(press)))
            await pilot.press("m")
            await until_screen(again, MuteScreen, pilot.pause)
            await pilot.press("end", "enter")  # unmute now
            await _wait_for(lambda: len(again.alert_log.new()) == 2, pilot.pause)
            assert press not in again.alerts.mutes
    finally:
        await conn.close()


async def test_the_detail_line_says_who_acknowledged_and_when(
    admin_dsn: str, tmp_path: Path
) -> None:
    dsn, conn, plant = await _plant(admin_dsn, "fw_alert_ack_detail")
    try:
        scope = await plant.scope("ACME", "P1")
        press = await plant.work_center(scope, "PRESS-01")
        await plant.working(scope, press, NOW - timedelta(hours=3))
        await plant.status(scope, press, "NON_PRODUCTIVE_BREAKDOWN", NOW - timedelta(minutes=10))
        app = showcase_app(dsn, scope, wall=FrozenWall(), state_dir=tmp_path)
        async with app.run_test(size=(200, 40)) as pilot:  # a wide alert log
            await settle(app, pilot.pause)
            panel = app.query_one(AlertPanel)
            assert panel.wide
            panel.table.focus()
            await pilot.press("a")
            await _wait_for(lambda: not app.alert_log.new(), pilot.pause)
            [alert] = app.alerts.alerts
            assert panel.table.get_cell(alert.key, "state").plain == "✓ acked"
            detail = str(panel.query_one("#alert-detail").render())
            local = NOW.astimezone(app.tz).strftime("%H:%M")
            assert f"acknowledged by {login()} at {local}" in detail
            assert (
                f"firing since {(NOW - timedelta(minutes=10)).astimezone(app.tz):%H:%M}" in detail
            )
    finally:
        await conn.close()
