"""Which kind of database this is: floorwatch's own schema ("native"), an ERP database floorwatch
has adopted ("adopted": its objects in the schema `floorwatch`, db/adopt.py), an ERP database
not adopted yet ("erp"), or none of these ("none")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Literal

import asyncpg

from floorwatch.db import adopt, adopt_detect
from floorwatch.db.pool import quote_ident
from floorwatch.db.schema import PLANT_TABLES

Kind = Literal["native", "adopted", "erp", "none"]

ADOPT_HINT = "`floorwatch migrate --adopt --dry-run`"


@dataclass(frozen=True)
class SchemaMode:
    kind: Kind
    missing: list[str]  # of the eight: tables (native), views (adopted)
    erp_schema: str | None  # where the ERP's tenants table is (adopted, erp)


async def _relations(conn: asyncpg.Connection, schema: str | None, kinds: str) -> set[str]:
    """Which of the eight names are relations of `kinds` (pg_class.relkind letters: r table,
    p partitioned table, v view) in `schema` (None: the current schema)."""
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = coalesce($1, current_schema())"
        " AND c.relkind::text = ANY($2::text[])"
        " AND c.relname = ANY($3::text[])",
        schema,
        list(kinds),
        list(PLANT_TABLES),
    )
    return {r["relname"] for r in rows}


def _missing(present: set[str]) -> list[str]:
    return [t for t in PLANT_TABLES if t not in present]


async def schema_mode(conn: asyncpg.Connection) -> SchemaMode:
    """The kind of database (db/adopt_detect.detect) and what floorwatch misses in it."""
    found = await adopt_detect.detect(conn)
    if found.kind == "adopted":
        views = await _relations(conn, adopt.SCHEMA, "v")
        return SchemaMode("adopted", _missing(views), found.schema)
    if found.kind == "erp":
        return SchemaMode("erp", [], found.schema)
    tables = await _relations(conn, None, "rp")
    return SchemaMode("native" if found.kind == "native" else "none", _missing(tables), None)


def not_adopted_message(display: str) -> str:
    return (
        f"{display} holds the ERP's tables but floorwatch has not adopted it: "
        f"{ADOPT_HINT} shows what adopting it would change"
    )


@asynccontextmanager
async def on_erp_tables(conn: asyncpg.Connection, erp_schema: str) -> AsyncIterator[None]:
    """A transaction in which unqualified names are the ERP's own tables (floorwatch's views
    of the same names show an administrator no tenant: they filter by the current one). SQL
    run in it names floorwatch's own objects qualified (floorwatch.…)."""
    async with conn.transaction():
        await conn.execute(f"SET LOCAL search_path = {quote_ident(erp_schema)}")
        yield
