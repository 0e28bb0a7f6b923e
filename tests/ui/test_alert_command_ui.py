"""The `[alerts] command` in the monitor (#12 item 6): a breakdown that starts firing runs it (a
real subprocess writing its stdin to a file) without holding up the UI, and a restarted monitor
does not run it again for the same alert."""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta
from pathlib import Path

from databases import create_migrated_database
from db.plant_builder import PlantBuilder, ident
from floorwatch.config import AlertSettings, Config, Intervals
from floorwatch.showcase import SHOWCASE_NOW, FrozenWall, settle, showcase_app, until

NOW = SHOWCASE_NOW
FAST = Intervals.injected(**(dict.fromkeys(Intervals.model_fields, 3600.0) | {"alerts": 0.2}))


def _config(out: Path) -> Config:
    # sleeps first: the UI must go on polling while the command runs
    script = (
        "import sys, time; data = sys.stdin.read(); time.sleep(1); "
        f"open({str(out)!r}, 'w').write(data)"
    )
    return Config(
        intervals=FAST,
        alerts=AlertSettings(command=(sys.executable, "-c", script), command_timeout_seconds=10),
    )


async def test_the_monitor_runs_the_alert_command_once(admin_dsn: str, tmp_path: Path) -> None:
    import asyncpg

    dsn = await create_migrated_database(admin_dsn, "fw_alert_command")
    conn = await asyncpg.connect(dsn)
    try:
        plant = PlantBuilder(conn)
        scope = await plant.scope("ACME", "P1")
        press = await plant.work_center(scope, "PRESS-01")
        await plant.working(scope, press, NOW - timedelta(hours=3))  # work: not snoozed
        await plant.status(
            scope, press, "PRODUCTIVE", NOW - timedelta(hours=2), NOW - timedelta(minutes=1)
        )
        out = tmp_path / "alert.json"
        config = _config(out)
        state = tmp_path / "state"
        app = showcase_app(dsn, scope, config=config, wall=FrozenWall(), state_dir=state)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot.pause)
            assert app.alert_action is not None and app.alert_log.new() == []
            at = NOW - timedelta(minutes=1)
            await plant.status(
                scope, press, "NON_PRODUCTIVE_BREAKDOWN", at, reason_description="jam"
            )
            await until(lambda: len(app.alert_log.new()) == 1, pilot.pause, within=15)
            polls = app.alerts_poll.calls if app.alerts_poll else 0
            started = time.monotonic()
            await until(out.exists, pilot.pause, within=15)
            # the alerts kept polling while the command slept (0.2 s interval, 1 s sleep)
            assert app.alerts_poll is not None and app.alerts_poll.calls >= polls + 3
            assert time.monotonic() - started < 14
            await until(lambda: not app.alert_action.busy, pilot.pause, within=15)
        payload = json.loads(out.read_text())
        key = f"EQUIPMENT_DOWN:{ident('log', press, at.isoformat())}"
        assert (payload["event"], payload["key"], payload["severity"]) == (
            "firing",
            key,
            "critical",
        )
        assert (payload["work_center"], payload["message"]) == ("PRESS-01", "down, breakdown: jam")
        assert payload["since"] == at.isoformat(timespec="seconds")
        assert payload["at"] == NOW.isoformat(timespec="seconds")  # the monitor's clock

        # restarted: the breakdown is firing and new again, the command is not run again
        out.unlink()
        again = showcase_app(dsn, scope, config=config, wall=FrozenWall(), state_dir=state)
        async with again.run_test(size=(100, 30)) as pilot:
            await settle(again, pilot.pause)
            assert [a.key for a in again.alert_log.new()] == [key]
            await pilot.pause(0.5)
            assert again.alert_action is not None
            await until(lambda: not again.alert_action.busy, pilot.pause, within=15)
            assert again.alert_action.runs == 0
        assert not out.exists()
    finally:
        await conn.close()
