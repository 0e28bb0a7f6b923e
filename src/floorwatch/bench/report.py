"""The benchmark's result: the JSON shape scripts read, and a table people read."""

from __future__ import annotations

from pydantic import BaseModel

from floorwatch.bench.measure import PanelResult, RoundTrips
from floorwatch.bench.stats import Percentiles


class FloorMs(BaseModel):
    p50: float
    p95: float


class BenchReport(BaseModel):
    scale: str
    rows: dict[str, int]
    floor_ms: FloorMs
    fetch_floor_ms: FloorMs | None = None  # SELECT 1 through Database.fetch
    round_trips: RoundTrips | None = None  # per poll, counted on a socket
    panels: dict[str, PanelResult]
    full_refresh_ms: FloorMs
    render_ms: FloorMs | None = None
    monitor_cpu_pct: float | None = None
    monitor_cpu_push_pct: float | None = None  # push refresh on, nothing writing
    push_ms: FloorMs | None = None  # writer's commit to the alert in the app's log
    push_samples: int = 0
    push_state: str = ""  # "push", or why push could not be measured
    rss_mb: float | None = None
    render_parts_ms: dict[str, float] = {}  # p50 of each part of a render
    monitors: int = 0
    panels_under_load: dict[str, Percentiles] = {}
    load_seconds: float = 0
    notes: list[str] = []


def _cell(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_table(report: BenchReport) -> str:
    floor = report.floor_ms
    lines = [
        f"floorwatch bench  scale={report.scale}",
        "rows: " + ", ".join(f"{t} {n:,}" for t, n in report.rows.items()),
        f"round-trip floor (SELECT 1): p50 {floor.p50:.3f} ms  p95 {floor.p95:.3f} ms",
    ]
    if report.fetch_floor_ms is not None:
        ff, trips = report.fetch_floor_ms, report.round_trips
        lines.append(
            f"SELECT 1 through Database.fetch: p50 {ff.p50:.3f} ms  p95 {ff.p95:.3f} ms"
            + (f"  ({trips.select_one:g} round trips)" if trips else "")
        )
    lines += [
        "",
        f"{'panel':<14}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/floor':>11}{'trips':>7}"
        "  big tables read whole (seq scans, whole indexes)",
    ]
    for name, p in report.panels.items():
        ratio = p.p95 / floor.p50 if floor.p50 else 0
        scans = ", ".join(p.seq_scans + p.whole_index_scans) or "none"
        trips_cell = "-" if p.round_trips is None else f"{p.round_trips:g}"
        lines.append(
            f"{name:<14}{p.p50:>9.3f}{p.p95:>9.3f}{_cell(p.p99, 3):>9}{ratio:>10.1f}x"
            f"{trips_cell:>7}  {scans}"
        )
    fr = report.full_refresh_ms
    lines.append(f"{'full refresh':<14}{fr.p50:>9.3f}{fr.p95:>9.3f}")
    if report.render_ms is not None:
        lines.append("")
        lines.append(
            f"monitor: render p50 {report.render_ms.p50:.1f} ms p95 {report.render_ms.p95:.1f} ms,"
            f" CPU {_cell(report.monitor_cpu_pct, 1)} % of one core,"
            f" RSS {_cell(report.rss_mb, 0)} MB"
        )
        if report.monitor_cpu_push_pct is not None:
            lines.append(
                f"  with push refresh: CPU {report.monitor_cpu_push_pct:.1f} % of one core idle;"
                + (
                    f" commit to alert on screen p50 {report.push_ms.p50:.0f} ms"
                    f" p95 {report.push_ms.p95:.0f} ms ({report.push_samples} samples)"
                    if report.push_ms is not None
                    else f" push latency not measured: {report.push_state}"
                )
            )
        if report.render_parts_ms:
            parts = ", ".join(f"{k} {v:.1f}" for k, v in report.render_parts_ms.items())
            lines.append(f"  render parts (p50 ms): {parts}")
    if report.monitors:
        lines.append("")
        lines.append(
            f"under load: {report.monitors} monitors at default intervals for "
            f"{report.load_seconds:.0f} s"
        )
        for name, p in report.panels_under_load.items():
            lines.append(
                f"  {name:<14}p50 {p.p50:>8.3f}  p95 {p.p95:>8.3f}  p99 {_cell(p.p99, 3):>8}"
                f"  (n={p.n})"
            )
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)
