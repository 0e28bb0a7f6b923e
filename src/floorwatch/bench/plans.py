"""Plan shapes of the panel queries: node types, and any Seq Scan on a big table."""

from __future__ import annotations

import json
from typing import Any

from floorwatch.db.pool import Database
from floorwatch.db.schema import BIG_TABLES


def walk(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes += walk(child)
    return nodes


async def explain(
    db: Database, tenant_id: Any, sql: str, args: tuple[Any, ...]
) -> list[dict[str, Any]]:
    async with db.reading(tenant_id) as conn:
        raw = await conn.fetchval("EXPLAIN (FORMAT JSON) " + sql, *args)
    document = json.loads(raw) if isinstance(raw, str) else raw
    return walk(document[0]["Plan"])


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
