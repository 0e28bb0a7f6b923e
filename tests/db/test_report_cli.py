"""`floorwatch report` as a script sees it: a real subprocess over the hand-made plant of
test_shift_report.py (figures worked out by hand there), JSON, Markdown and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from test_shift_report import plant  # noqa: F401 - the fixture

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from floorwatch.domain.models import Scope


def run(dsn: str, tmp_path: Path, *args: str) -> object:
    return floorwatch("report", "--dsn", dsn, "--tenant", "PACE", *args, env=clean_env(tmp_path))


async def test_report_json_of_a_closed_shift(
    plant: Scope,  # noqa: F811
    db_dsn: str,
    tmp_path: Path,
) -> None:
    result = run(db_dsn, tmp_path, "--shift", "2026-11-01/3", "--json")
    assert result.code == 0, result
    doc = json.loads(result.out)
    assert (doc["facility"], doc["shift"], doc["closed"]) == ("P1", "2026-11-01/3", True)
    assert doc["start"] == "2026-11-01T22:00:00+00:00" and doc["small_stop_minutes"] == 5
    cut, press = doc["work_centers"]
    assert press["code"] == "PRESS-1"
    # productive 415 + no material 45 + setup 20 = 480 planned; 3,600/h -> target 28,800
    assert press["target"] == 28_800 and press["actual"] == 24_000
    assert press["efficiency"] == round(24_000 / 28_800, 4)
    assert (press["good"], press["scrap"], press["rework"]) == (23_500, 500, None)
    assert press["downtime_min"] == 45
    # the row: planned 480, downtime 65, ICT 1 s: A 415/480, P 24,000 s / 415 min, Q 0.979
    assert press["availability"] == round(415 / 480, 4)
    assert press["oee"] == round(23_500 / (480 * 60), 4)
    assert press["losses"] == {
        "unplanned_stops": 45, "planned_stops": 20, "small_stops": 0, "slow_cycles": 15,
        "scrap": round(500 / 60, 2), "rework": 0,
    }  # fmt: skip
    assert press["pareto"] == [
        {"reason": "(no material, no reason)", "reason_code": None, "description": None,
         "minutes": 45, "count": 1, "share": round(45 / 65, 4), "cumulative": round(45 / 65, 4)},
        {"reason": "MR", "reason_code": "MR", "description": "make-ready", "minutes": 20,
         "count": 1, "share": round(20 / 65, 4), "cumulative": 1},
    ]  # fmt: skip
    assert press["top_loss"] == "unplanned_stops"
    assert cut["actual"] == 0 and cut["target"] == 0
    assert doc["facility_totals"]["target"] == 28_800


async def test_report_markdown(plant: Scope, db_dsn: str, tmp_path: Path) -> None:  # noqa: F811
    result = run(db_dsn, tmp_path, "--shift", "2026-11-01/3", "--markdown")
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == "# PACE / P1: shift 2026-11-01/3 2026-11-01 22:00-06:00 (closed)"
    assert (
        "| PRESS-1 | 28,800 | 24,000 | 83.3% | 23,500 | 2.1% | 45.0 | 81.6% | unplanned stops |"
        in lines
    )
    assert "| (no material, no reason) |  | 45.0 | 1 | 69.2% | 69.2% |" in lines


async def test_bad_input_is_one_line(plant: Scope, db_dsn: str, tmp_path: Path) -> None:  # noqa: F811
    for args, words in [
        (("--shift", "2026-11-01/9"), "shift 9 does not exist"),
        (("--shift", "tomorrow"), "give current, previous or YYYY-MM-DD/N"),
        (("--shift", "2099-01-01/1"), "has not started yet"),
        (("--facility", "NOPE"), "unknown facility 'NOPE'"),
    ]:
        result = run(db_dsn, tmp_path, *args)
        assert_clean_failure(result)
        assert words in result.err
