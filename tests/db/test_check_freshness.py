"""`floorwatch check`: the embedded default is seeded as the monitor seeds it, and a facility
whose newest status change or run update is older than `stale_after_minutes` is degraded."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from plant_builder import PlantBuilder

from cli_helpers import clean_env, floorwatch

LIMIT_S = 15 * 60  # the default stale_after_minutes


def _not_timing(problems: list[str]) -> list[str]:
    """Problems other than a slow panel query (a loaded machine may make one slow)."""
    return [p for p in problems if not p.startswith("panel ")]


async def test_check_seeds_the_embedded_default_and_finds_it_fresh(tmp_path: Path) -> None:
    r = await asyncio.to_thread(floorwatch, "check", "--json", env=clean_env(tmp_path))
    report = json.loads(r.out)
    # before: migrated only, "no facility to time the panel queries on", exit 1
    assert report["scope"] == "DEMO/PLANT1", r
    assert _not_timing(report["problems"]) == [], r
    assert r.code == (0 if not report["problems"] else 1), r
    (fresh,) = report["freshness"]
    # the demo seed writes history up to now: measured 6 s .. 6.5 min for the newest status
    # change over 24 times of day, 0 s for the newest run update
    assert fresh["facility"] == "DEMO/PLANT1" and fresh["stale"] is False
    assert 0 <= fresh["status_change_age_s"] < LIMIT_S
    assert 0 <= fresh["run_update_age_s"] < LIMIT_S
    assert report["stale_after_minutes"] == 15


async def _old_plant(dsn: str, age: timedelta) -> None:
    """One work center whose newest status change and run update are `age` old."""
    conn = await asyncpg.connect(dsn)
    try:
        b = PlantBuilder(conn)
        s = await b.scope("ACME", "OLD")
        wc = await b.work_center(s, "P1")
        now = await conn.fetchval("SELECT now()")
        await b.status(s, wc, "PRODUCTIVE", now - age - timedelta(hours=1), now - age)
        await b.status(s, wc, "NON_PRODUCTIVE_SETUP", now - age)  # open since then
        start = now - age - timedelta(hours=1)
        run = await b.run(s, wc, "R-1", "IN_PROGRESS", actual_start=start)
        old = "UPDATE production_runs SET updated_at = $1 WHERE id = $2"
        await conn.execute(old, now - age, run)
    finally:
        await conn.close()


async def test_a_facility_with_old_rows_is_degraded(db_dsn: str, tmp_path: Path) -> None:
    await _old_plant(db_dsn, timedelta(hours=2))
    env = clean_env(tmp_path)
    r = await asyncio.to_thread(floorwatch, "check", "--dsn", db_dsn, env=env)
    assert r.code == 1, r
    assert "ACME/OLD: newest status change 2 h 00 min ago, newest run update 2 h 00 min ago" in (
        r.out
    ), r
    assert "is the data collector running?" in r.out

    r = await asyncio.to_thread(floorwatch, "check", "--json", "--dsn", db_dsn, env=env)
    report = json.loads(r.out)
    (old,) = report["freshness"]
    # 2 h = 7200 s, and the check runs within a minute of building the rows
    assert 7200 <= old["status_change_age_s"] < 7260
    assert 7200 <= old["run_update_age_s"] < 7260
    assert old["stale"] is True and report["exit_code"] == 1

    # a limit above the age: fresh (the flag, then the config file)
    r = await asyncio.to_thread(
        floorwatch, "check", "--json", "--dsn", db_dsn, "--stale-after", "3h", env=env
    )
    assert json.loads(r.out)["freshness"][0]["stale"] is False, r
    config = tmp_path / "fw.toml"
    config.write_text("[check]\nstale_after_minutes = 180\n")
    r = await asyncio.to_thread(
        floorwatch, "check", "--json", "--dsn", db_dsn, "--config", str(config), env=env
    )
    report = json.loads(r.out)
    assert report["stale_after_minutes"] == 180 and report["freshness"][0]["stale"] is False, r


@pytest.mark.parametrize("value", ["0", "-5m", "15x", "8d", "nan", "m", ""])
async def test_a_bad_stale_after_is_one_line(tmp_path: Path, value: str) -> None:
    r = await asyncio.to_thread(
        floorwatch, "check", f"--stale-after={value}", env=clean_env(tmp_path)
    )
    assert r.code == 2, r
    assert r.out == "" and len(r.err.strip().splitlines()) == 1, r
    assert "--stale-after" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "data").exists()  # refused before anything was started


async def test_a_bad_stale_after_in_the_config_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "fw.toml"
    config.write_text("[check]\nstale_after_minutes = 0\n")
    r = await asyncio.to_thread(
        floorwatch, "check", "--config", str(config), env=clean_env(tmp_path)
    )
    assert r.code == 2 and "stale_after_minutes" in r.err, r
    assert len(r.err.strip().splitlines()) == 1 and "Traceback" not in r.err
