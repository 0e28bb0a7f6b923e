"""`floorwatch bench` end to end on a small load: the report describes what was loaded and
measured (no timing is compared with a budget: this is not a performance test)."""

from __future__ import annotations

import math
from datetime import datetime

import asyncpg

from bench_support import skip_unless_bulk_capable
from floorwatch.bench.loader import Profile
from floorwatch.bench.report import render_table
from floorwatch.bench.runner import BENCH_UNTIL, BenchOptions, run_bench
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData, panel_calls
from floorwatch.db.schema import BIG_TABLES

TINY = Profile(
    tenants=1, facilities=2, work_centers=6, sim_days=4, runs=8_000, oee_rows=3_000,
    status_rows=2_000,
)  # fmt: skip


def _panel_names(now: datetime) -> set[str]:
    return set(panel_calls(PlantData(None, None), now))  # type: ignore[arg-type]


def _timing(value: object) -> float:
    assert isinstance(value, float) and math.isfinite(value) and value > 0, value
    return value


def _ordered(*values: object) -> None:
    timings = [_timing(v) for v in values]
    assert timings == sorted(timings)


async def _counts(dsn: str, tables: list[str]) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in tables}
    finally:
        await conn.close()


async def test_bench_reports_what_it_loaded_and_measured(db_dsn: str) -> None:
    await skip_unless_bulk_capable(db_dsn)
    seen: list[str] = []
    options = BenchOptions(
        scale="small",
        profile=TINY,
        iterations=5,
        render_iterations=2,
        cpu_seconds=1.5,
        push_trials=3,
        monitors=2,
        load_seconds=1.5,
    )
    target = Target(db_dsn, "flag")
    report = await run_bench(target, options, on_progress=lambda d, t, s: seen.append(s))
    doc = report.model_dump(mode="json")

    assert doc["scale"] == "small"
    # the counts are the database's, and the load reached the profile's targets
    assert set(doc["rows"]) == {"work_centers", *BIG_TABLES}
    assert doc["rows"] == await _counts(db_dsn, list(doc["rows"]))
    assert doc["rows"]["work_centers"] == TINY.tenants * TINY.facilities * TINY.work_centers
    for table, wanted in (
        ("production_runs", TINY.runs),
        ("oee_calculations", TINY.oee_rows),
        ("equipment_status_log", TINY.status_rows),
    ):
        assert doc["rows"][table] >= 0.8 * wanted, table  # history cloned up to about it
    assert any("simulating" in s for s in seen)

    # every panel the monitor polls, and nothing else, measured with real timings and plans
    panels = _panel_names(BENCH_UNTIL)
    assert set(doc["panels"]) == panels
    for name, panel in doc["panels"].items():
        _ordered(panel["p50"], panel["p95"], panel["p99"])
        assert set(panel["seq_scans"]) <= set(BIG_TABLES), name
        assert panel["node_types"] and all(isinstance(n, str) for n in panel["node_types"])
    _ordered(doc["floor_ms"]["p50"], doc["floor_ms"]["p95"])
    _ordered(doc["fetch_floor_ms"]["p50"], doc["fetch_floor_ms"]["p95"])
    # round trips per poll, counted on a socket after warm-up: one for a single statement on a
    # connection already set to the tenant (summary is one statement)
    trips = doc["round_trips"]
    assert trips["select_one"] == 1 and trips["polls"] >= 1
    assert set(trips["panels"]) == panels
    assert trips["panels"]["summary"] == 1
    for name, panel in doc["panels"].items():
        assert panel["round_trips"] == trips["panels"][name] >= 1, name
    _ordered(doc["full_refresh_ms"]["p50"], doc["full_refresh_ms"]["p95"])

    # the headless monitor ran and rendered
    _ordered(doc["render_ms"]["p50"], doc["render_ms"]["p95"])
    assert math.isfinite(doc["monitor_cpu_pct"]) and 0 <= doc["monitor_cpu_pct"] <= 200
    assert 20 < _timing(doc["rss_mb"]) < 2_000
    assert doc["render_parts_ms"] and all(
        math.isfinite(v) and v >= 0 for v in doc["render_parts_ms"].values()
    )

    # push refresh on, and a breakdown committed by a writer reached the alert log each time
    assert doc["push_state"] == "push" and doc["push_samples"] == 3
    _ordered(doc["push_ms"]["p50"], doc["push_ms"]["p95"])
    assert math.isfinite(doc["monitor_cpu_push_pct"]) and 0 <= doc["monitor_cpu_push_pct"] <= 200
    # and undone: the load is as it was
    assert doc["rows"] == await _counts(db_dsn, list(doc["rows"]))

    # the concurrent monitors polled (within 1.5 s, the panels whose first poll came)
    assert doc["monitors"] == 2 and doc["load_seconds"] == 1.5
    assert doc["panels_under_load"] and set(doc["panels_under_load"]) <= panels
    for p in doc["panels_under_load"].values():
        assert p["n"] >= 1
        _ordered(p["p50"], p["p95"], p["p99"])

    table = render_table(report)
    for name in panels:
        assert f"\n{name} " in table
    assert "round-trip floor" in table and "full refresh" in table and "render" in table
    assert "SELECT 1 through Database.fetch" in table and "(1 round trips)" in table
    assert "commit to alert on screen" in table
