"""`floorwatch bench` end to end on a small load: the JSON shape scripts read, with sane
values (no timing is asserted: this is not a performance test)."""

from __future__ import annotations

import asyncpg
import pytest

from floorwatch.bench.loader import Profile, is_bulk_capable
from floorwatch.bench.report import render_table
from floorwatch.bench.runner import BenchOptions, run_bench
from floorwatch.db.dsn import Target

PANELS = {"summary", "work_centers", "utilization", "runs", "trends", "alerts"}
TINY = Profile(
    tenants=1,
    facilities=2,
    work_centers=6,
    sim_days=4,
    runs=8_000,
    oee_rows=3_000,
    status_rows=2_000,
)


async def test_bench_reports_the_issue_shape(db_dsn: str) -> None:
    conn = await asyncpg.connect(db_dsn)
    try:
        if not await is_bulk_capable(conn):
            pytest.skip("the bulk loader needs a superuser")
    finally:
        await conn.close()
    seen: list[str] = []
    options = BenchOptions(
        scale="small",
        profile=TINY,
        iterations=5,
        render_iterations=2,
        cpu_seconds=1.5,
        monitors=2,
        load_seconds=1.5,
    )
    report = await run_bench(
        Target(db_dsn, "flag"), options, on_progress=lambda d, t, s: seen.append(s)
    )
    doc = report.model_dump(mode="json")

    for key in ("scale", "rows", "floor_ms", "panels", "full_refresh_ms", "render_ms"):
        assert key in doc
    assert doc["scale"] == "small"
    assert doc["rows"]["work_centers"] == 12
    assert doc["rows"]["production_runs"] >= 7_000
    assert doc["rows"]["oee_calculations"] >= 2_500
    assert doc["rows"]["equipment_status_log"] >= 1_500
    assert set(doc["floor_ms"]) == {"p50", "p95"}
    assert 0 < doc["floor_ms"]["p50"] <= doc["floor_ms"]["p95"]
    assert set(doc["panels"]) == PANELS
    for panel in doc["panels"].values():
        assert {"p50", "p95", "p99", "seq_scans"} <= set(panel)
        assert 0 < panel["p50"] <= panel["p95"] <= panel["p99"]
        assert isinstance(panel["seq_scans"], list)
        assert panel["node_types"]
    assert 0 < doc["full_refresh_ms"]["p50"] <= doc["full_refresh_ms"]["p95"]
    assert 0 < doc["render_ms"]["p50"] <= doc["render_ms"]["p95"]
    assert 0 <= doc["monitor_cpu_pct"] <= 200
    assert 20 < doc["rss_mb"] < 2_000
    assert doc["monitors"] == 2
    assert set(doc["panels_under_load"]) <= PANELS
    assert doc["panels_under_load"]
    assert any("simulating" in s for s in seen)
    table = render_table(report)
    assert "round-trip floor" in table and "full refresh" in table and "render" in table
