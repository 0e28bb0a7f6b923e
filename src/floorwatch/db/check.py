"""`floorwatch check`: is this database fit to be monitored? For DevOps and scripts.

Exit 0 healthy, 1 degraded (pending or changed migrations, a missing or invalid index, RLS off
(native) or the views' boundary broken (adopted: db/check_adopted.py), a panel query slower
than SLOW_PANEL_MS (a view's: SLOW_VIEW_MS), a facility's data older than
stale_after_minutes), 2 cannot connect / bad input. Assumptions (an adopted facility's shift
pattern) and notes do not degrade it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

from floorwatch import exit_codes
from floorwatch.db import adopt, migrate
from floorwatch.db.changes import why_no_push
from floorwatch.db.check_adopted import (
    Boundary,
    RowsLeftOut,
    boundary_problems,
    read_assumptions,
    read_boundary,
    read_rows_left_out,
)
from floorwatch.db.dsn import Target
from floorwatch.db.freshness import Freshness, minutes_text, problem_of, read_freshness, summary_of
from floorwatch.db.grants import no_grant_hint
from floorwatch.db.mode import SchemaMode, schema_mode
from floorwatch.db.plant import PlantData, panel_calls
from floorwatch.db.pool import Database
from floorwatch.db.queries import sql
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.domain.models import Scope
from floorwatch.panels import VIEWS

VIEW_NAMES = frozenset(v.name for v in VIEWS)

SLOW_PANEL_MS = 100.0
# a view (the shift and losses screens) polls every 30-60 s and only while its screen is open;
# the losses' 7-day window reads a week of status rows (bench: losses p95 124 ms at 10x)
SLOW_VIEW_MS = 250.0
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
    mode: str  # native (floorwatch's own schema) | adopted (an ERP database, db/adopt.py)
    database: str
    server_version: str
    embedded_data_dir: str | None
    schema_version: int | None  # None: this login may not read the migration history
    pending_migrations: list[str]
    changed_migrations: list[str]
    tables_missing: list[str]  # adopted: the views of floorwatch missing
    indexes: list[IndexState]  # adopted: floorwatch's (floorwatch_...) on the ERP's tables
    indexes_missing: list[str]
    rls: dict[str, dict[str, bool]]  # native only
    push: str  # "on", or why the monitor will poll only (db/changes.py); never a problem
    boundary: Boundary | None  # adopted only
    scope: str | None
    panels: dict[str, PanelLatency]
    stale_after_minutes: float
    freshness: list[Freshness]  # one per facility checked
    assumptions: list[str]  # what the monitor assumes until it is set; not problems
    rows_left_out: list[RowsLeftOut]  # adopted: the ERP's rows its views cannot read
    notes: list[str]
    problems: list[str]


def _index_name(words: list[str]) -> str:
    """The name after INDEX [IF [NOT] EXISTS], without a trailing semicolon."""
    i = words.index("INDEX") + 1
    while words[i] in ("IF", "NOT", "EXISTS", "CONCURRENTLY"):
        i += 1
    return words[i].rstrip(";")


def _expected_indexes(adopted: bool) -> set[str]:
    """Index names the migrations create and do not drop later, in order (adopted: those the
    adoption steps build on the ERP's tables, every one named floorwatch_...)."""
    names: set[str] = set()
    for m in migrate.load_migrations(adopt.adopt_dir() if adopted else None):
        for line in m.sql.splitlines():
            words = line.split()
            if words[:2] == ["CREATE", "INDEX"] or words[:3] == ["CREATE", "UNIQUE", "INDEX"]:
                names.add(_index_name(words))
            elif words[:2] == ["DROP", "INDEX"]:
                names.discard(_index_name(words))
    return {n for n in names if n.startswith("floorwatch_")} if adopted else names


async def _time_panel(call: Callable[[], Awaitable[Any]]) -> PanelLatency:
    samples: list[float] = []
    rows = 0
    for _ in range(LATENCY_SAMPLES):
        started = time.perf_counter()
        result = await call()
        samples.append((time.perf_counter() - started) * 1000)
        rows = len(result) if isinstance(result, list) else 1
    return PanelLatency(ms=round(statistics.median(samples), 2), rows=rows)


async def panel_latencies(
    data: PlantData, now: datetime
) -> tuple[dict[str, PanelLatency], dict[str, str]]:
    """The latency of each panel's query, and the panels whose query the schema cannot run
    (a column or table a pending migration adds): name -> the server's message."""
    timed: dict[str, PanelLatency] = {}
    failed: dict[str, str] = {}
    for name, call in panel_calls(data, now).items():
        try:
            timed[name] = await _time_panel(call)
        except asyncpg.exceptions.SyntaxOrAccessError as e:
            failed[name] = str(e)
    return timed, failed


async def _migration_status(
    conn: asyncpg.Connection, problems: list[str], adopted: bool
) -> migrate.MigrationStatus | None:
    """None (and a problem naming the grant) when this login may not read the history."""
    history = adopt.HISTORY if adopted else migrate.HISTORY_TABLE
    try:
        if adopted:
            return await migrate.status(conn, adopt.adopt_dir(), history=history)
        return await migrate.status(conn)
    except asyncpg.InsufficientPrivilegeError:
        login = await conn.fetchval("SELECT session_user")
        fix = (
            "adopt V001 does; run `floorwatch migrate --adopt`"
            if adopted
            else ("migration V005 does; run `floorwatch migrate`")
        )
        problems.append(
            f"login {login!r} may not read {history}, so the schema version is "
            f"unknown: GRANT SELECT ON {history} TO floorwatch_reader ({fix})"
        )
        return None


def _version(st: migrate.MigrationStatus | None, adopted: bool, notes: list[str]) -> int | None:
    """The newest step applied of the main sequence. Adopted: an optional step run only when
    asked (`migrate --fix-erp-status`, numbered apart) is recorded in the same history; it is
    named in a note, not taken for the version."""
    if st is None:
        return None
    if not adopted:
        return st.current_version
    sequence = {m.version for m in migrate.load_migrations(adopt.adopt_dir())}
    extra = [a for a in st.applied if a.version not in sequence]
    if extra:
        steps = ", ".join(f"V{a.version:03d} {a.description}" for a in extra)
        notes.append(f"optional adoption step(s) applied: {steps}")
    return max((a.version for a in st.applied if a.version in sequence), default=0)


async def _native_tables(
    conn: asyncpg.Connection,
) -> tuple[dict[str, tuple[bool, bool]], list[asyncpg.Record]]:
    """floorwatch's own tables (with their RLS flags) and their indexes."""
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
    return present, index_rows


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
    notes: list[str] = []
    assumptions: list[str] = []
    rows_left_out: list[RowsLeftOut] = []
    boundary: Boundary | None = None
    async with pool.acquire() as conn:
        server_version = await conn.fetchval("SHOW server_version")
        mode: SchemaMode = await schema_mode(conn)
        adopted = mode.kind == "adopted"
        st = await _migration_status(conn, problems, adopted)
        push = await why_no_push(conn) or "on"
        if adopted and push != "on":
            push = "an adopted ERP database (floorwatch adds no triggers to the ERP's tables)"
        no_grant = None if scope is not None else await no_grant_hint(conn)
        if adopted:
            rls: dict[str, dict[str, bool]] = {}
            tables_missing = mode.missing
            index_rows = await conn.fetch(
                sql("adopted_indexes"), mode.erp_schema or "", list(PLANT_TABLES)
            )
            boundary = await read_boundary(conn, mode.erp_schema)
            assumptions = await read_assumptions(conn, mode.erp_schema, notes)
            rows_left_out = await read_rows_left_out(conn, notes)
        else:
            present, index_rows = await _native_tables(conn)
            tables_missing = [t for t in PLANT_TABLES if t not in present]
            rls = {t: {"enabled": e, "forced": f} for t, (e, f) in present.items()}
    indexes = [IndexState(name=r["name"], table=r["table"], valid=r["valid"]) for r in index_rows]
    indexes_missing = sorted(_expected_indexes(adopted) - {i.name for i in indexes})

    pending = [m.path.name for m in st.pending] if st else []
    changed = [m.path.name for m in st.changed] if st else []
    if pending:
        what, run = ("adoption step", " --adopt") if adopted else ("migration", "")
        problems.append(f"{len(pending)} pending {what}(s): run `floorwatch migrate{run}`")
    if changed:
        problems.append("applied migration file(s) changed: " + ", ".join(changed))
    if tables_missing:
        what = f"views in schema {adopt.SCHEMA}" if adopted else "tables"
        problems.append(f"missing {what}: " + ", ".join(tables_missing))
    problems += [f"missing index {name}" for name in indexes_missing]
    problems += [
        f"invalid index {i.name} (an interrupted CREATE INDEX CONCURRENTLY leaves one): "
        f"REINDEX INDEX CONCURRENTLY {i.name}"
        if adopted
        else f"invalid index {i.name}"
        for i in indexes
        if not i.valid
    ]
    if boundary is not None:
        problems += boundary_problems(boundary)
    problems += [
        f"row-level security not enabled and forced on {t}"
        for t, v in rls.items()
        if not all(v.values())
    ]

    panels: dict[str, PanelLatency] = {}
    if scope is not None and not tables_missing:
        data = PlantData(Database(pool, reader_role), scope)
        panels, failed = await panel_latencies(data, datetime.now(UTC))
        hint = " (a pending migration adds it)" if pending or st is None else ""
        problems += [
            f"the {name} panel's query cannot run: {why}{hint}" for name, why in failed.items()
        ]
        problems += [
            f"panel {name} took {p.ms:.1f} ms (over {limit:.0f} ms)"
            for name, p in panels.items()
            if p.ms > (limit := SLOW_VIEW_MS if name in VIEW_NAMES else SLOW_PANEL_MS)
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
        mode="adopted" if adopted else "native",
        database=target.display,
        server_version=str(server_version),
        embedded_data_dir=embedded_data_dir,
        schema_version=_version(st, adopted, notes),
        pending_migrations=pending,
        changed_migrations=changed,
        tables_missing=tables_missing,
        indexes=indexes,
        indexes_missing=indexes_missing,
        rls=rls,
        push=push,
        boundary=boundary,
        scope=f"{scope.tenant_code}/{scope.facility_code}" if scope else None,
        panels=panels,
        stale_after_minutes=stale_after_minutes,
        freshness=freshness,
        assumptions=assumptions,
        rows_left_out=rows_left_out,
        notes=notes,
        problems=problems,
    )


def _adopted_lines(report: CheckReport) -> list[str]:
    b = report.boundary
    views = b.views if b else []
    present = sum(1 for v in views if v.present)
    barrier = sum(1 for v in views if v.present and v.security_barrier)
    lines = [
        f"  views           {present}/{len(PLANT_TABLES)} present in schema {adopt.SCHEMA}, "
        f"{barrier} with security_barrier",
        _index_line(report),
    ]
    leaks = len(b.reader_privileges) if b else 0
    lines.append(
        "  boundary        floorwatch_reader has no privilege on the ERP's tables"
        if not leaks
        else f"  boundary        floorwatch_reader has {leaks} privilege(s) on the ERP's tables"
    )
    return lines


def _index_line(report: CheckReport) -> str:
    valid = sum(1 for i in report.indexes if i.valid)
    return f"  indexes         {valid} valid, {len(report.indexes_missing)} missing"


def render_text(report: CheckReport) -> str:
    adopted = report.mode == "adopted"
    lines = [
        f"floorwatch check: {report.status.upper()}",
        f"  database        {report.database} (PostgreSQL {report.server_version})",
        "  mode            "
        + ("adopted (an ERP database, read through floorwatch's views)" if adopted else "native"),
    ]
    if report.embedded_data_dir:
        lines.append(f"  embedded data   {report.embedded_data_dir}")
    pending = ", ".join(report.pending_migrations) or "none"
    version = "unknown" if report.schema_version is None else report.schema_version
    lines.append(f"  schema version  {version} (pending: {pending})")
    if adopted:
        lines += _adopted_lines(report)
    else:
        lines.append(
            f"  tables          {len(PLANT_TABLES) - len(report.tables_missing)}"
            f"/{len(PLANT_TABLES)} present"
        )
        lines.append(_index_line(report))
        forced = sum(1 for v in report.rls.values() if all(v.values()))
        lines.append(f"  row security    enabled and forced on {forced}/{len(report.rls)} tables")
    push = "on (change notices)" if report.push == "on" else f"off, polls only: {report.push}"
    lines.append(f"  push refresh    {push}")
    if report.scope:
        lines.append(f"  panel queries   on {report.scope} (median of {LATENCY_SAMPLES} runs)")
        for name, p in report.panels.items():
            lines.append(f"    {name:<14}{p.ms:>8.2f} ms  {p.rows:>5} rows")
    if report.freshness:
        limit = minutes_text(report.stale_after_minutes)
        lines.append(f"  data freshness  stale after {limit}")
        lines += [f"    {summary_of(f)}" for f in report.freshness]
    if report.rows_left_out:
        lines.append("  rows left out   by floorwatch's views (the ERP's rows it cannot read)")
        lines += [f"    {r.table:<22}{r.rows:>8} {r.reason}" for r in report.rows_left_out]
    for assumption in report.assumptions:
        lines.append(f"  ? {assumption}")
    for note in report.notes:
        lines.append(f"  - {note}")
    for problem in report.problems:
        lines.append(f"  ! {problem}")
    return "\n".join(lines)
