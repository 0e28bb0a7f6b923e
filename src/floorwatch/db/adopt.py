"""Adopting an ERP database in place (README: Run it on your ERP database): floorwatch's own
objects in the schema `floorwatch`, the ERP's tables read through its views, the steps in
migrations/adopt/ recorded in floorwatch.floorwatch_schema_history.

This module applies the steps (`adopt`). What a database is and whether it can be adopted is in
adopt_detect.py, the plan a dry run prints in adopt_plan.py, `--unadopt` in unadopt.py,
`--fix-erp-status` in erp_status.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from floorwatch.db import migrate
from floorwatch.db.pool import quote_ident
from floorwatch.db.schema import PLANT_TABLES

SCHEMA = "floorwatch"
HISTORY = f"{SCHEMA}.{migrate.HISTORY_TABLE}"
INDEX_PREFIX = "floorwatch_"

_CONCURRENT_INDEX = re.compile(
    r"CREATE\s+INDEX\s+CONCURRENTLY\s+IF\s+NOT\s+EXISTS\s+(\w+)\s+ON\s+(\w+)\s*\(([^)]*)\)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StepIndex:
    """An index an adoption step builds CONCURRENTLY on one of the ERP's tables."""

    name: str
    table: str
    columns: str
    statement: str
    step: migrate.Migration


def adopt_dir() -> Path:
    return migrate.migrations_dir() / "adopt"


def load_steps() -> list[migrate.Migration]:
    return migrate.load_migrations(adopt_dir())


async def is_adopted(conn: asyncpg.Connection) -> bool:
    # from the catalogue: to_regclass raises for a login without USAGE on the schema
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = $1 AND c.relname = $2)",
            SCHEMA,
            migrate.HISTORY_TABLE,
        )
    )


async def erp_schema(conn: asyncpg.Connection) -> str | None:
    """The schema holding the ERP's tables: the one with any of the eight, the first on the
    search path when several do, else the one with the most (floorwatch's own and the system's
    left out; None when there is none)."""
    return await conn.fetchval(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p') AND n.nspname <> $1"
        "   AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        "   AND n.nspname NOT LIKE 'pg\\_%'"
        " GROUP BY n.nspname"
        " ORDER BY array_position(current_schemas(false)::text[], n.nspname::text) NULLS LAST,"
        "          count(*) DESC, n.nspname LIMIT 1",
        SCHEMA,
        list(PLANT_TABLES),
    )


def step_indexes(steps: list[migrate.Migration]) -> list[StepIndex]:
    found: list[StepIndex] = []
    for step in steps:
        if step.transactional:
            continue
        for statement in step.statements():
            if match := _CONCURRENT_INDEX.search(statement):
                columns = ", ".join(c.strip() for c in match[3].split(","))
                found.append(StepIndex(match[1], match[2], columns, statement, step))
    return found


async def invalid_indexes(conn: asyncpg.Connection, schema: str, names: list[str]) -> list[str]:
    """Those of `names` that are INVALID on the ERP's tables (an interrupted CONCURRENTLY build
    leaves one; CREATE INDEX IF NOT EXISTS would keep it)."""
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) AND NOT i.indisvalid"
        " ORDER BY c.relname",
        schema,
        names,
    )
    return [r["relname"] for r in rows]


async def adopt(conn: asyncpg.Connection, schema: str) -> list[migrate.Migration]:
    """Apply the pending adoption steps; the ERP's tables are those of `schema` (the adoption
    SQL names them unqualified and floorwatch's own objects qualified). An INVALID index of a
    step is dropped first and built again (by its step when pending, else here)."""
    indexes = step_indexes(load_steps())
    await conn.execute(f"SET search_path = {quote_ident(schema)}")
    # session locks nest: migrate.migrate takes it again; held here so no other adopter builds
    # the index being dropped
    await conn.execute("SELECT pg_advisory_lock($1)", migrate.ADVISORY_LOCK_KEY)
    try:
        invalid = await invalid_indexes(conn, schema, [i.name for i in indexes])
        for name in invalid:
            await conn.execute(
                f"DROP INDEX CONCURRENTLY IF EXISTS {quote_ident(schema)}.{quote_ident(name)}"
            )
        done = await migrate.migrate(
            conn,
            adopt_dir(),
            history=HISTORY,
            before=f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
        )
        for index in indexes:
            if index.name in invalid and index.step not in done:
                await conn.execute(index.statement)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", migrate.ADVISORY_LOCK_KEY)
        await conn.execute("RESET search_path")
