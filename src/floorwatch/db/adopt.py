"""Adopting an ERP database in place (README: Run it on your ERP database): floorwatch's own
objects in the schema `floorwatch`, the ERP's tables read through its views, the steps in
migrations/adopt/ recorded in floorwatch.floorwatch_schema_history."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from floorwatch.db import migrate
from floorwatch.db.pool import quote_ident

SCHEMA = "floorwatch"
HISTORY = f"{SCHEMA}.{migrate.HISTORY_TABLE}"


def adopt_dir() -> Path:
    return migrate.migrations_dir() / "adopt"


async def is_adopted(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", HISTORY))


async def erp_schema(conn: asyncpg.Connection) -> str | None:
    """The schema holding the ERP's tenants table: the first on the search path, floorwatch's
    own left out (None when there is none)."""
    return await conn.fetchval(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = 'tenants' AND c.relkind IN ('r', 'p') AND n.nspname <> $1"
        " ORDER BY array_position(current_schemas(false), n.nspname::text) NULLS LAST LIMIT 1",
        SCHEMA,
    )


async def adopt(conn: asyncpg.Connection, schema: str) -> list[migrate.Migration]:
    """Apply the pending adoption steps; the ERP's tables are those of `schema` (the adoption
    SQL names them unqualified and floorwatch's own objects qualified)."""
    await conn.execute(f"SET search_path = {quote_ident(schema)}")
    try:
        return await migrate.migrate(
            conn,
            adopt_dir(),
            history=HISTORY,
            before=f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
        )
    finally:
        await conn.execute("RESET search_path")
