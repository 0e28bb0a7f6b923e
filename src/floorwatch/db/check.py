"""`floorwatch check`: is this database fit to be monitored? For DevOps and scripts.

Exit 0 healthy, 1 degraded (pending or changed migrations, a missing or invalid index, RLS off,
a panel query slower than SLOW_PANEL_MS, a facility's data older than stale_after_minutes),
2 cannot connect / bad input."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from floorwatch import exit_codes
from floorwatch.db import migrate
from floorwatch.db.dsn import Target
from floorwatch.db.freshness import Freshness, minutes_text, problem_of, read_freshness, summary_of
from floorwatch.db.grants import no_grant_hint
from floorwatch.db.plant import PlantData, panel_calls
from floorwatch.db.pool import Database
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.domain.models import Scope

SLOW_PANEL_MS = 100.0
LATENCY_SAMPLES = 3


class IndexState(BaseModel):
    name: str
    table: str
    valid: bool


class PanelLatency(BaseModel):
    ms: float  # median of LATENCY_SAMPLES runs through the real data layer
    rows: int


class CheckReport(BaseModel):
    status: str  # healthy | degraded | unusable (no schema)
    exit_code: int
    database: str
    server_version: str
    embedded_data_dir: str | None
    schema_version: int | None  # None: this login may not read the migration history
    pending_migrations: list[str]
    changed_migrations: list[str]
    tables_missing: list[str]
    indexes: list[IndexState]
    indexes_missing: list[str]
    rls: dict[str, dict[str, bool]]
    scope: str | None
    panels: dict[str, PanelLatency]
    stale_after_minutes: float
    freshness: list[Freshness]  # one per facility checked
    problems: list[str]


def _index_name(words: list[str]) -> str:
    """The name after INDEX [IF [NOT] EXISTS], without a trailing semicolon."""
    i = words.index("INDEX") + 1
    while words[i] in ("IF", "NOT", "EXISTS", "CONCURRENTLY"):
        i += 1
    return words[i].rstrip(";")


async def _expected_indexes() -> set[str]:
    """Index names the migrations create and do not drop later, in order."""
    names: set[str] = set()
    for m in migrate.load_migrations():
        for line in m.sql.splitlines():
            words = line.split()
            if words[:2] == ["CREATE", "INDEX"] or words[:3] == ["CREATE", "UNIQUE", "INDEX"]:
                names.add(_index_name(words))
            elif words[:2] == ["DROP", "INDEX"]:
                names.discard(_index_name(words))
    return names


async def _time_panel(call: Callable[[], Awaitable[Any]]) -> PanelLatency:
    samples: list[float] = []
    rows = 0
    for _ in range(LATENCY_SAMPLES):
        started = time.perf_counter()
        result = await call()
        samples.append((time.perf_counter() - started) * 1000)
        rows = len(result) if isinstance(result, list) else 1
    return PanelLatency(ms=round(statistics.median(samples), 2), rows=rows)


async def panel_latencies(data: PlantData, now: datetime) -> dict[str, PanelLatency]:
    return {name: await _time_panel(call) for name, call in panel_calls(data, now).items()}


async def _migration_status(
    conn: asyncpg.Connection, problems: list[str]
) -> migrate.MigrationStatus | None:
    """None (and a problem naming the grant) when this login may not read the history."""
    try:
        return await migrate.status(conn)
    except asyncpg.InsufficientPrivilegeError:
        login = await conn.fetchval("SELECT session_user")
        problems.append(
            f"login {login!r} may not read {migrate.HISTORY_TABLE}, so the schema version is "
            f"unknown: GRANT SELECT ON {migrate.HISTORY_TABLE} TO floorwatch_reader "
            "(migration V005 does; run `floorwatch migrate`)"
        )
        return None


async def run_check(
    target: Target,
    pool: asyncpg.Pool,
    *,
    scope: Scope | None,
    reader_role: str | None,
    embedded_data_dir: str | None = None,
    facilities: list[Scope] | None = None,
    stale_after_minutes: float = 15,
) -> CheckReport:
    """`facilities`: whose data freshness to report (default: `scope`'s)."""
    problems: list[str] = []
    async with pool.acquire() as conn:
        server_version = await conn.fetchval("SHOW server_version")
        st = await _migration_status(conn, problems)
        no_grant = None if scope is not None else await no_grant_hint(conn)
        present = {
            r["relname"]: (r["relrowsecurity"], r["relforcerowsecurity"])
            for r in await conn.fetch(
                "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
                " WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
                " AND relname = ANY($1::text[])",
                list(PLANT_TABLES),
            )
        }
        index_rows = await conn.fetch(
            "SELECT i.relname AS name, t.relname AS table, x.indisvalid AS valid"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " JOIN pg_class t ON t.oid = x.indrelid"
            " WHERE t.relnamespace = current_schema()::regnamespace"
            " AND t.relname = ANY($1::text[]) ORDER BY 1",
            list(PLANT_TABLES),
        )
    tables_missing = [t for t in PLANT_TABLES if t not in present]
    indexes = [IndexState(name=r["name"], table=r["table"], valid=r["valid"]) for r in index_rows]
    expected = await _expected_indexes()
    indexes_missing = sorted(expected - {i.name for i in indexes})
    rls = {t: {"enabled": e, "forced": f} for t, (e, f) in present.items()}

    pending = [m.path.name for m in st.pending] if st else []
    changed = [m.path.name for m in st.changed] if st else []
    if pending:
        problems.append(f"{len(pending)} pending migration(s): run `floorwatch migrate`")
    if changed:
        problems.append("applied migration file(s) changed: " + ", ".join(changed))
    if tables_missing:
        problems.append("missing tables: " + ", ".join(tables_missing))
    problems += [f"missing index {name}" for name in indexes_missing]
    problems += [f"invalid index {i.name}" for i in indexes if not i.valid]
    problems += [
        f"row-level security not enabled and forced on {t}"
        for t, v in rls.items()
        if not all(v.values())
    ]

    panels: dict[str, PanelLatency] = {}
    if scope is not None and not tables_missing:
        data = PlantData(Database(pool, reader_role), scope)
        panels = await panel_latencies(data, datetime.now(UTC))
        problems += [
            f"panel {name} took {p.ms:.1f} ms (over {SLOW_PANEL_MS:.0f} ms)"
            for name, p in panels.items()
            if p.ms > SLOW_PANEL_MS
        ]
    elif scope is None and not tables_missing:
        why = f" ({no_grant})" if no_grant else ""
        problems.append(f"no facility to time the panel queries on{why}")

    freshness: list[Freshness] = []
    if not tables_missing:
        db = Database(pool, reader_role)
        for facility in facilities if facilities is not None else [scope] if scope else []:
            freshness.append(await read_freshness(db, facility, stale_after_minutes))
        problems += [p for f in freshness if (p := problem_of(f, stale_after_minutes))]

    if tables_missing:
        code, status = exit_codes.BAD_INPUT, "unusable"
    elif problems:
        code, status = exit_codes.DEGRADED, "degraded"
    else:
        code, status = exit_codes.OK, "healthy"
    return CheckReport(
        status=status,
        exit_code=code,
        database=target.display,
        server_version=str(server_version),
        embedded_data_dir=embedded_data_dir,
        schema_version=st.current_version if st else None,
        pending_migrations=pending,
        changed_migrations=changed,
        tables_missing=tables_missing,
        indexes=indexes,
        indexes_missing=indexes_missing,
        rls=rls,
        scope=f"{scope.tenant_code}/{scope.facility_code}" if scope else None,
        panels=panels,
        stale_after_minutes=stale_after_minutes,
        freshness=freshness,
        problems=problems,
    )


def render_text(report: CheckReport) -> str:
    lines = [
        f"floorwatch check: {report.status.upper()}",
        f"  database        {report.database} (PostgreSQL {report.server_version})",
    ]
    if report.embedded_data_dir:
        lines.append(f"  embedded data   {report.embedded_data_dir}")
    pending = ", ".join(report.pending_migrations) or "none"
    version = "unknown" if report.schema_version is None else report.schema_version
    lines.append(f"  schema version  {version} (pending: {pending})")
    lines.append(
        f"  tables          {len(PLANT_TABLES) - len(report.tables_missing)}"
        f"/{len(PLANT_TABLES)} present"
    )
    valid = sum(1 for i in report.indexes if i.valid)
    lines.append(f"  indexes         {valid} valid, {len(report.indexes_missing)} missing")
    forced = sum(1 for v in report.rls.values() if all(v.values()))
    lines.append(f"  row security    enabled and forced on {forced}/{len(report.rls)} tables")
    if report.scope:
        lines.append(f"  panel queries   on {report.scope} (median of {LATENCY_SAMPLES} runs)")
        for name, p in report.panels.items():
            lines.append(f"    {name:<14}{p.ms:>8.2f} ms  {p.rows:>5} rows")
    if report.freshness:
        limit = minutes_text(report.stale_after_minutes)
        lines.append(f"  data freshness  stale after {limit}")
        lines += [f"    {summary_of(f)}" for f in report.freshness]
    for problem in report.problems:
        lines.append(f"  ! {problem}")
    return "\n".join(lines)
