"""CSV export writes data, not the screen: every field of the table's rows whatever the width,
raw numbers, ISO 8601 timestamps with their offset, codes without marks, words for states and
severities; files go to export_dir, and so does the command palette's screenshot."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from floorwatch.app import FloorwatchApp
from floorwatch.config import STILL, Config
from floorwatch.showcase import settle, showcase_app
from floorwatch.ui.export import RUN_FIELDS, WORK_CENTER_FIELDS
from ui.coded_plant import CodedPlant, build_coded_plant


@pytest.fixture
async def coded(db_dsn: str) -> CodedPlant:
    return await build_coded_plant(db_dsn)


def _app(plant: CodedPlant, export_dir: Path) -> FloorwatchApp:
    config = Config(intervals=STILL, export_dir=export_dir)
    return showcase_app(plant.dsn, plant.scope, config=config)


async def _export(app: FloorwatchApp, pilot, table_id: str, out: Path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    app.query_one(f"#{table_id}").focus()
    await pilot.pause()
    before = set(out.glob("*.csv"))
    await pilot.press("e")
    for _ in range(200):
        made = set(out.glob("*.csv")) - before
        if made:
            break
        await asyncio.sleep(0.02)
    [path] = made
    name = table_id.removesuffix("-table")
    assert path.name == f"floorwatch-{name}-20261102-103000.csv"  # plant-local 10:30
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


async def test_export_at_80_columns_holds_every_field_as_data(
    coded: CodedPlant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")  # not the current directory: export_dir
    app = _app(coded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        grid = await _export(app, pilot, "work-center-table", tmp_path)
        runs = await _export(app, pilot, "run-table", tmp_path)
        alerts = await _export(app, pilot, "alert-table", tmp_path)
        notes = [str(n.message) for n in app._notifications]
    assert any(f"to {tmp_path}/floorwatch-run-20261102-103000.csv" in n for n in notes)

    assert list(grid[0]) == list(WORK_CENTER_FIELDS)  # columns hidden at 80 included
    by_code = {r["work_center_code"]: r for r in grid}
    assert set(by_code) == {"PRESS-0001", "PRESS-0002", "STITCH-001"}  # no `!` mark
    press = by_code["PRESS-0001"]
    assert press == {
        "work_center_code": "PRESS-0001",
        "work_center_name": "PRESS-0001 (offset press)",
        "state": "RUN",  # the word, not "▶ RUN"
        "erp_state": "PRODUCTIVE",
        # 22:00 UTC yesterday is 23:00 in Berlin (UTC+1); 11 h 30 min before 09:30 UTC
        "state_since": "2026-11-01T23:00:00+01:00",
        "seconds_in_state": str(11 * 3600 + 30 * 60),
        "reason_code": "",
        "reason": "",
        "run": "PRESS-0001-000001",
        "run_progress": "0.25",  # 250 good of 1,000 planned
        # productive since before the run's start (08:00 UTC): 90 productive minutes for 250
        # good; 750 left take 750 x 90 / 250 = 270 min from 09:30 UTC: 14:00 UTC, 15:00 in
        # Berlin, after the scheduled end (11:30 UTC): late
        "run_finish": "2026-11-02T15:00:00+01:00",
        "run_late": "yes",
        # the current shift, 06:00 local = 05:00 UTC, 270 min in, all productive: target
        # 3,600/h x 270 min / 60 = 16,200; its one shift row (from 06:00 UTC) produced 11,520:
        # 11,520 / 16,200 = 0.7111; no stop
        "shift_target": "16200",
        "shift_actual": "11520",
        "shift_efficiency": "0.7111",
        "shift_downtime_seconds": "0",
        # productive since before local midnight: every minute of today productive
        "utilization": "1",
        # one shift: ICT x good / planned = 1.5 s x 10,368 / (480 min x 60) = 0.54
        "oee": "0.54",
        "target_oee": "0.85",  # 85 % as a ratio
        "new_alert": "yes",  # its low-OEE alert is new
    }
    down = by_code["PRESS-0002"]
    assert (down["state"], down["reason"]) == ("DOWN", "web break")
    assert down["seconds_in_state"] == "1800"  # since 09:00 UTC

    assert list(runs[0]) == list(RUN_FIELDS)
    active = next(r for r in runs if r["run"] == "PRESS-0001-000001")
    assert active == {
        "run": "PRESS-0001-000001",
        "order": "SO-PRESS-0001-000001",
        "work_center_code": "PRESS-0001",
        "status": "ACTIVE",
        "erp_status": "IN_PROGRESS",
        "operator": "Ada Lovelace",
        "scheduled_start": "2026-11-02T08:30:00+01:00",  # 07:30 UTC
        "scheduled_end": "2026-11-02T12:30:00+01:00",
        "actual_start": "2026-11-02T09:00:00+01:00",  # 08:00 UTC
        "actual_end": "",
        "planned": "1000",
        "good": "250",
        "scrap": "10",
        "rework": "0",
        "progress": "0.25",
        "expected_finish": "2026-11-02T15:00:00+01:00",  # as the grid's, above
        "late": "yes",
    }
    paused = next(r for r in runs if r["run"] == "PRESS-0002-000001")
    # broken down since 09:00 UTC, no productive minute on the run: no rate; no scheduled end
    assert (paused["expected_finish"], paused["late"]) == ("", "no")
    scheduled = next(r for r in runs if r["run"] == "STITCH-001-000001")
    assert (scheduled["expected_finish"], scheduled["late"]) == ("", "")  # not open
    assert [r["run"] for r in runs] == [
        "PRESS-0001-000001",  # by status: active, paused, scheduled
        "PRESS-0002-000001",
        "STITCH-001-000001",
    ]

    # active first, newest first: the breakdown (09:00 UTC), the late run (behind schedule
    # since its start, 08:00 UTC), then the shift's low OEE
    assert [(a["severity"], a["status"], a["work_center_code"], a["kind"]) for a in alerts] == [
        ("critical", "new", "PRESS-0002", "EQUIPMENT_DOWN"),
        # a warning, firing unacknowledged since 08:00: escalated after 60 minutes
        ("critical", "new", "PRESS-0001", "BEHIND_SCHEDULE"),
        ("critical", "new", "PRESS-0001", "LOW_OEE"),
    ]
    assert alerts[0]["message"] == "down, breakdown: web break"
    assert alerts[0]["started_at"] == "2026-11-02T10:00:00+01:00"
    assert alerts[0]["resolved_at"] == alerts[0]["lasted_seconds"] == ""
    # expected 15:00, scheduled to end 12:30 (plant-local)
    assert alerts[1]["message"] == "run PRESS-0001-000001 behind schedule, expected 2h 30 late"
    assert alerts[2]["message"] == "OEE 54.0% below target 85% (shift 1)"
    for row in [*grid, *runs, *alerts]:
        for value in row.values():
            assert "%" not in value or value.startswith("OEE ")  # figures are raw numbers
            assert not any(ch in value for ch in "▶◆✖◌■▁▂▃▄▅▆▇█!")


async def test_screenshot_goes_to_export_dir_without_downloads(
    showcase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh SSH account: HOME has no Downloads; the palette's screenshot is saved anyway."""
    home, out = tmp_path / "home", tmp_path / "out"
    home.mkdir()
    out.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=Config(intervals=STILL, export_dir=out))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        app.deliver_screenshot()  # what the palette's "Screenshot" command calls
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
    [shot] = list(out.glob("*.svg"))
    assert shot.name == "floorwatch-screen-20261102-103000.svg"
    assert "<svg" in shot.read_text(encoding="utf-8")[:200]
    assert not (home / "Downloads").exists()
    assert f"saved screenshot to {shot}" in notes
