"""`floorwatch alerts` as a script sees it (#12 item 6): the real command in a subprocess over a
hand-built plant whose rows are dated from the real clock (the command reads the alerts as of
now): a breakdown (critical), a wait past 15 minutes (warning), a wait of 5 minutes (pending),
an acknowledged high scrap, another tenant's breakdown that must not show; the exit codes; and
bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from plant_builder import PlantBuilder, ident

from cli_helpers import Result, assert_clean_failure, clean_env, floorwatch
from floorwatch.acks import AckStore
from floorwatch.domain.models import Scope

HOSTILE_CODE = "BIND-\x1b[2J\x07\u202e1"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")  # the facility's zone is UTC


class Plant:
    def __init__(self, dsn: str, scope: Scope, now: datetime, wcs: dict[str, object]) -> None:
        self.dsn, self.scope, self.now, self.wcs = dsn, scope, now, wcs


@pytest.fixture
async def plant(builder: PlantBuilder, db_dsn: str) -> Plant:
    now = _now()
    scope = await builder.scope("ACME", "P1")
    press = await builder.work_center(scope, "PRESS-1")
    cutter = await builder.work_center(scope, "CUT-1")
    binder = await builder.work_center(scope, HOSTILE_CODE)
    folder = await builder.work_center(scope, "FOLD-1")
    for wc in (press, cutter, binder):  # work for each (the plan snoozes an idle one)
        await builder.working(scope, wc, now - timedelta(hours=3))
    await builder.status(
        scope, press, "NON_PRODUCTIVE_BREAKDOWN", now - timedelta(minutes=10),
        reason_description="web break",
    )  # fmt: skip
    await builder.status(scope, cutter, "NON_PRODUCTIVE_NO_OPERATOR", now - timedelta(minutes=20))
    await builder.status(scope, binder, "NON_PRODUCTIVE_NO_MATERIAL", now - timedelta(minutes=5))
    await builder.run(
        scope, folder, "R-1", "IN_PROGRESS", actual_start=now - timedelta(minutes=90),
        planned=5000, good=940, scrap=60, rework=0,
    )  # fmt: skip
    # another tenant, a facility of the same code, a breakdown: never in ACME's list
    other = await builder.scope("OTHER", "P1")
    other_press = await builder.work_center(other, "PRESS-9")
    await builder.working(other, other_press, now - timedelta(hours=3))
    await builder.status(other, other_press, "NON_PRODUCTIVE_BREAKDOWN", now - timedelta(minutes=3))
    wcs = {"press": press, "cutter": cutter, "binder": binder, "folder": folder}
    return Plant(db_dsn, scope, now, wcs)


def _state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


def run(plant: Plant, tmp_path: Path, *args: str) -> Result:
    env = clean_env(tmp_path, FLOORWATCH_STATE_DIR=str(_state_dir(tmp_path)))
    return floorwatch("alerts", "--dsn", plant.dsn, "--tenant", "ACME", *args, env=env)


def _key(kind: str, *parts: object) -> str:
    return f"{kind}:" + ":".join(str(p) for p in parts)


def _log_id(wc: object, start: datetime) -> object:
    return ident("log", wc, start.isoformat())


def _acknowledge(plant: Plant, tmp_path: Path, key: str) -> None:
    AckStore(_state_dir(tmp_path), plant.scope).add([key], plant.now)


async def test_alerts_json_lists_the_firing_alerts_and_exits_3(
    plant: Plant, tmp_path: Path
) -> None:
    now = plant.now
    scrap_key = _key("HIGH_SCRAP", ident("run", plant.scope.facility_id, "R-1"))
    _acknowledge(plant, tmp_path, scrap_key)

    result = run(plant, tmp_path, "--json")
    assert result.code == 3, result
    assert result.err == ""
    doc = json.loads(result.out)
    assert (doc["tenant"], doc["facility"], doc["exit_code"]) == ("ACME", "P1", 3)
    assert doc["firing"] == {"critical": 1, "warning": 2}
    assert now <= datetime.fromisoformat(doc["as_of"]) <= now + timedelta(minutes=2)
    down, wait, scrap = doc["alerts"]  # newest first: the acknowledged one is firing too

    down_start = now - timedelta(minutes=10)
    assert down["key"] == _key("EQUIPMENT_DOWN", _log_id(plant.wcs["press"], down_start))
    assert (down["kind"], down["severity"], down["status"]) == (
        "EQUIPMENT_DOWN", "critical", "firing",
    )  # fmt: skip
    assert down["work_center"] == "PRESS-1"
    assert down["since"] == down["started_at"] == _iso(down_start)
    assert 10 <= down["value"] <= 12 and down["threshold"] == 0 and down["unit"] == "min"
    assert down["message"] == "down, breakdown: web break"

    wait_start = now - timedelta(minutes=20)
    assert wait["key"] == _key("EQUIPMENT_DOWN", _log_id(plant.wcs["cutter"], wait_start))
    assert (wait["severity"], wait["status"], wait["work_center"]) == (
        "warning", "firing", "CUT-1",
    )  # fmt: skip
    # pending for wait_warning_minutes (15), firing since then
    assert wait["started_at"] == _iso(wait_start)
    assert wait["since"] == _iso(wait_start + timedelta(minutes=15))
    assert 20 <= wait["value"] <= 22 and wait["threshold"] == 15
    assert wait["message"] == "down, no operator" and not wait["escalated"]

    assert scrap["key"] == scrap_key
    assert (scrap["kind"], scrap["severity"], scrap["status"]) == (
        "HIGH_SCRAP", "warning", "acknowledged",
    )  # fmt: skip
    # firing 90 minutes, past escalate_minutes (60), but acknowledged: never escalated
    assert scrap["since"] == _iso(now - timedelta(minutes=90)) and not scrap["escalated"]
    assert (scrap["value"], scrap["threshold"], scrap["unit"]) == (6, 5, "%")
    assert scrap["message"] == "scrap 6.0% on run R-1 (60 of 1000)"

    # the pending wait is listed with --all only; the other tenant never
    everything = run(plant, tmp_path, "--json", "--all")
    assert everything.code == 3, everything
    listed = json.loads(everything.out)["alerts"]
    assert [a["status"] for a in listed] == ["firing", "firing", "acknowledged", "pending"]
    pending = listed[-1]
    assert pending["work_center"] == "BIND-\ufffd[2J\ufffd\ufffd1"
    assert pending["since"] == _iso(now - timedelta(minutes=5) + timedelta(minutes=15))
    assert "PRESS-9" not in everything.out and "OTHER" not in everything.out


async def test_alerts_table_is_plain_aligned_text(plant: Plant, tmp_path: Path) -> None:
    result = run(plant, tmp_path, "--all")
    assert result.code == 3, result
    lines = result.out.splitlines()
    assert lines[0].startswith("ACME / P1 as of ")
    # not acknowledged here, the high scrap firing for 90 minutes has escalated (60)
    assert lines[0].endswith(": 2 critical, 1 warning firing")
    header, *rows = lines[1:]
    assert header.split()[:3] == ["SEVERITY", "STATUS", "WORK"]
    assert len(rows) == 4
    key_column = header.index("KEY")
    assert all(row[key_column:].startswith(("EQUIPMENT_DOWN:", "HIGH_SCRAP:")) for row in rows)
    assert rows[0].split()[:4] == ["critical", "firing", "PRESS-1", "EQUIPMENT_DOWN"]
    began = plant.now - timedelta(minutes=90)
    assert rows[2].split()[:6] == [
        "critical", "firing", "FOLD-1", "HIGH_SCRAP", f"{began:%Y-%m-%d}", f"{began:%H:%M}",
    ]  # fmt: skip
    assert rows[2].split()[6:10] == ["6", "%", "5", "%"]  # the warning threshold it crossed
    assert "\x1b" not in result.out and "\x07" not in result.out and "\u202e" not in result.out
    assert "BIND-\ufffd[2J" in rows[-1] and rows[-1].split()[1] == "pending"


async def test_exit_code_follows_the_worst_firing_alert(
    plant: Plant, builder: PlantBuilder, tmp_path: Path
) -> None:
    conn: asyncpg.Connection = builder.conn
    _acknowledge(plant, tmp_path, _key("HIGH_SCRAP", ident("run", plant.scope.facility_id, "R-1")))
    # the breakdown ends: the wait (warning) and the acknowledged high scrap (a warning, not
    # escalated) are left; acknowledged alerts count
    await conn.execute(
        "UPDATE equipment_status_log SET status_end = now() WHERE work_center_id = $1",
        plant.wcs["press"],
    )
    result = run(plant, tmp_path)
    assert result.code == 1, result
    # the scrap goes, the cutter is muted: its wait does not count, nor the pending one
    await conn.execute(
        "UPDATE production_runs SET quantity_scrap = 0 WHERE production_run_number = 'R-1'"
    )
    AckStore(_state_dir(tmp_path), plant.scope).mute(
        plant.wcs["cutter"], plant.now + timedelta(hours=1), plant.now
    )
    result = run(plant, tmp_path, "--json")
    assert result.code == 0, result
    doc = json.loads(result.out)
    assert doc["alerts"] == [] and doc["exit_code"] == 0
    listed = json.loads(run(plant, tmp_path, "--json", "--all").out)["alerts"]
    assert sorted(a["status"] for a in listed) == ["muted", "pending"]
    plain = run(plant, tmp_path)
    assert plain.code == 0 and plain.out.endswith(": 0 critical, 0 warning firing\n"), plain


async def test_bad_input_is_one_line_exit_2(plant: Plant, tmp_path: Path) -> None:
    for args, words in [
        (("--facility", "NOPE"), "unknown facility 'NOPE'"),
        (("--bogus",), "unrecognized arguments: --bogus"),
        (("--watch", "--all"), "--all goes with the list"),
        (("--interval", "5"), "--interval goes with --watch"),
        (("--watch", "--interval", "0"), "must be at least 1"),
    ]:
        result = run(plant, tmp_path, *args)
        assert_clean_failure(result)
        assert words in result.err, result
