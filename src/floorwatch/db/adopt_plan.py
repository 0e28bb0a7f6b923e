"""The plan `floorwatch migrate --adopt --dry-run` prints: each pending adoption step with what
it creates, the indexes it builds CONCURRENTLY on the ERP's tables, and what schema floorwatch
then holds. Read from the step files and the catalogue; nothing is written."""

from __future__ import annotations

import re

import asyncpg

from floorwatch.db import adopt, adopt_detect, migrate

_OBJECT = re.compile(
    r"CREATE\s+(?:OR\s+REPLACE\s+)?(TABLE|VIEW|FUNCTION|MATERIALIZED\s+VIEW|SEQUENCE|TYPE)\s+"
    rf"(?:IF\s+NOT\s+EXISTS\s+)?{adopt.SCHEMA}\.(\w+)",
    re.IGNORECASE,
)
_ROLE = re.compile(r"CREATE\s+ROLE\s+(\w+)", re.IGNORECASE)


def step_objects(step: migrate.Migration) -> list[tuple[str, str]]:
    """(kind, name) of each object the step creates in schema floorwatch, in file order."""
    found: list[tuple[str, str]] = []
    for kind, name in _OBJECT.findall(step.sql):
        entry = (" ".join(kind.lower().split()), name)
        if entry not in found:
            found.append(entry)
    return found


def _grouped(objects: list[tuple[str, str]]) -> str:
    kinds: dict[str, list[str]] = {}
    for kind, name in objects:
        kinds.setdefault(kind, []).append(name)
    return "; ".join(
        f"{kind}{'s' if len(names) > 1 else ''} {', '.join(names)}" for kind, names in kinds.items()
    )


def _summary(step: migrate.Migration, login: str, index_count: int) -> str:
    parts = []
    if objects := step_objects(step):
        parts.append(f"creates in schema {adopt.SCHEMA}: {_grouped(objects)}")
    for role in dict.fromkeys(_ROLE.findall(step.sql)):
        granted = f", granted to {login}" if f"GRANT {role} TO" in step.sql else ""
        parts.append(f"role {role} (created if absent{granted})")
    if index_count:
        parts.append(
            f"builds {index_count} indexes CONCURRENTLY on the ERP's tables "
            "(the ERP keeps reading and writing them)"
        )
    return "; ".join(parts) or "no objects"


async def plan_lines(conn: asyncpg.Connection, found: adopt_detect.Found) -> list[str]:
    schema = found.schema
    assert schema is not None
    steps = adopt.load_steps()
    st = await migrate.status(conn, adopt.adopt_dir(), history=adopt.HISTORY)
    login = await conn.fetchval("SELECT current_user")
    indexes = adopt.step_indexes(steps)
    invalid = set(await adopt.invalid_indexes(conn, schema, [i.name for i in indexes]))
    present = set(
        await conn.fetchval(
            "SELECT coalesce(array_agg(c.relname::text), '{}') FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = $1 AND c.relkind = 'i' AND c.relname = ANY ($2::text[])",
            schema,
            [i.name for i in indexes],
        )
    )
    lines = [
        f"the ERP's tables are in schema {schema}; {len(st.pending)} adoption step"
        f"{'' if len(st.pending) == 1 else 's'} pending"
    ]
    for step in st.pending:
        own = [i for i in indexes if i.step == step]
        lines.append(f"  V{step.version:03d} {step.description}: {_summary(step, login, len(own))}")
        for index in own:
            state = (
                " (INVALID, left by an interrupted build: dropped and built again)"
                if index.name in invalid
                else " (exists: kept)"
                if index.name in present
                else ""
            )
            lines.append(f"      {index.name} ON {schema}.{index.table} ({index.columns}){state}")
    for index in indexes:
        if index.name in invalid and index.step not in st.pending:
            lines.append(f"  rebuilds INVALID index {index.name} ON {schema}.{index.table}")
    lines.append(
        "the ERP's tables get only indexes, all named floorwatch_* and built CONCURRENTLY; "
        "no row of theirs is changed"
    )
    everything = [("table", migrate.HISTORY_TABLE)] + [o for s in steps for o in step_objects(s)]
    lines.append(f"schema {adopt.SCHEMA} then holds: {_grouped(everything)}")
    return lines
