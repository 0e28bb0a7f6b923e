"""Plan shapes of the panel queries: node types, and any Seq Scan on a big table."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
from typing import Any

import asyncpg

from floorwatch.db.pool import PLAN_SETTINGS, Database
from floorwatch.db.schema import BIG_TABLES


def walk(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += walk(child)
    return nodes


async def explain(
    db: Database, tenant_id: Any, sql: str, args: tuple[Any, ...]
) -> list[dict[str, Any]]:
    """The plan the monitor's pool runs `sql` with: under PLAN_SETTINGS' force_generic_plan the
    generic plan (the statement prepared and EXPLAIN EXECUTEd with `args` as literals, so the
    plan is the one made without them), else the plan made for `args`."""
    async with db.reading(tenant_id) as conn:
        if PLAN_SETTINGS.get("plan_cache_mode") != "force_generic_plan":
            raw = await conn.fetchval("EXPLAIN (FORMAT JSON) " + sql, *args)
        else:
            raw = await _explain_generic(conn, sql, args)
    document = json.loads(raw) if isinstance(raw, str) else raw
    return walk(document[0]["Plan"])


_names = itertools.count()


async def _explain_generic(conn: asyncpg.Connection, sql: str, args: tuple[Any, ...]) -> Any:
    name = f"floorwatch_explain_{next(_names)}"
    await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    await conn.execute(f"PREPARE {name} AS {sql}")
    try:
        types = await conn.fetchval(
            "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = $1", name
        )
        # the server's own text of each argument, quoted (the types are the statement's)
        literals = [
            await conn.fetchval(f"SELECT quote_nullable(($1::{t})::text) || '::{t}'", arg)
            for t, arg in zip(types, args, strict=True)
        ]
        return await conn.fetchval(f"EXPLAIN (FORMAT JSON) EXECUTE {name}({', '.join(literals)})")
    finally:
        with contextlib.suppress(asyncpg.PostgresError):  # (an aborted transaction: left)
            await conn.execute(f"DEALLOCATE {name}")


def node_types(nodes: list[dict[str, Any]]) -> list[str]:
    return sorted({n["Node Type"] for n in nodes})


def seq_scans_on_big_tables(nodes: list[dict[str, Any]]) -> list[str]:
    return sorted(
        {
            n["Relation Name"]
            for n in nodes
            if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG_TABLES
        }
    )


async def leading_columns(conn: asyncpg.Connection) -> dict[str, str]:
    """Each index on a big table and the first column of its key."""
    rows = await conn.fetch(
        "SELECT c.relname AS index, a.attname AS column FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
        " WHERE i.indrelid::regclass::text = ANY ($1::text[])",
        list(BIG_TABLES),
    )
    return {r["index"]: r["column"] for r in rows}


def whole_index_scans(nodes: list[dict[str, Any]], leading: dict[str, str]) -> list[str]:
    """Index scans on a big table whose condition leaves out the index's first column: a skip
    scan (PostgreSQL 18) that walks the whole index, as slow as a Seq Scan on history."""
    found = set()
    for n in nodes:
        index = n.get("Index Name")
        first = leading.get(index or "")
        condition = n.get("Index Cond") or ""
        if first is not None and not re.search(rf"\b{re.escape(first)}\b", condition):
            found.add(index)
    return sorted(found)
