"""`floorwatch migrate --unadopt`: remove everything adoption added to an ERP database: the
floorwatch_* indexes on the ERP's tables (DROP INDEX CONCURRENTLY: the ERP keeps writing), the
schema floorwatch with all it holds, and the role floorwatch_reader when nothing else uses it
(else the adopting login's membership of it, which adoption granted).
`--fix-erp-status` is not undone: narrowing the columns again could fail on the longer values
stored since and would rewrite the table (README: Run it on your ERP database)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from floorwatch.db import adopt, adopt_detect, erp_status, migrate
from floorwatch.db.pool import quote_ident
from floorwatch.errors import UserError

READER = "floorwatch_reader"

_OBJECTS = """
SELECT kind, name FROM (
    SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
                          WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' END AS kind,
           c.relname::text AS name
    FROM pg_class c WHERE c.relnamespace = $1::regnamespace
    UNION ALL
    SELECT 'function', p.proname::text FROM pg_proc p WHERE p.pronamespace = $1::regnamespace
) o WHERE kind IS NOT NULL ORDER BY kind, name
"""

# where else the role holds a privilege or owns something (after the schema is gone: anywhere)
_READER_USES = """
SELECT DISTINCT coalesce(d.datname, 'the cluster') AS place
FROM pg_shdepend s LEFT JOIN pg_database d ON d.oid = s.dbid
WHERE s.refclassid = 'pg_authid'::regclass
  AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1)
  AND (s.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database()) OR $2)
ORDER BY 1
"""


@dataclass(frozen=True)
class Removal:
    schema: str  # the ERP's
    owner: str | None  # of schema floorwatch: the adopting login
    indexes: list[tuple[str, str]]  # (index, table)
    objects: list[tuple[str, str]]  # (kind, name) in schema floorwatch
    widened: bool  # --fix-erp-status was applied
    reader_used_in: list[str]  # other databases where floorwatch_reader holds privileges


async def removal(conn: asyncpg.Connection, found: adopt_detect.Found) -> Removal:
    if found.kind == "native":
        raise UserError(
            "this database has floorwatch's own schema, not an adopted ERP's: --unadopt "
            "removes only what --adopt added; nothing was changed"
        )
    if await adopt_detect.foreign_schema(conn):
        raise UserError(
            f"schema {adopt.SCHEMA} here is not floorwatch's (it holds objects and no floorwatch "
            "history): --unadopt leaves it alone; nothing was changed"
        )
    owner = await conn.fetchval(
        "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1", adopt.SCHEMA
    )
    schema = found.schema or "public"
    indexes = await conn.fetch(
        "SELECT c.relname AS index, t.relname AS table FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
        " JOIN pg_namespace n ON n.oid = t.relnamespace"
        " WHERE n.nspname = $1 AND c.relname LIKE $2 ORDER BY t.relname, c.relname",
        schema,
        adopt.INDEX_PREFIX.replace("_", r"\_") + "%",
    )
    if owner is None and not indexes:
        raise UserError(
            "floorwatch has not adopted this database (no schema floorwatch, no floorwatch_* "
            "index): nothing to remove"
        )
    objects = (
        [(r["kind"], r["name"]) for r in await conn.fetch(_OBJECTS, adopt.SCHEMA)] if owner else []
    )
    widened = bool(owner) and await adopt.is_adopted(conn) and await erp_status.is_recorded(conn)
    used = [r["place"] for r in await conn.fetch(_READER_USES, READER, False)]
    return Removal(
        schema, owner, [(r["index"], r["table"]) for r in indexes], objects, widened, used
    )


def plan_lines(plan: Removal) -> list[str]:
    lines = []
    for index, table in plan.indexes:
        lines.append(f"  drop index {index} ON {plan.schema}.{table} (CONCURRENTLY)")
    if plan.owner:
        listed = ", ".join(f"{kind} {name}" for kind, name in plan.objects) or "nothing"
        lines.append(f"  drop schema {adopt.SCHEMA} (CASCADE), holding: {listed}")
    if plan.reader_used_in:
        lines.append(
            f"  keep role {READER}: it holds privileges in {', '.join(plan.reader_used_in)}; "
            f"revoke it from {plan.owner or 'the adopting login'} unless that login has "
            "floorwatch's own schema in one of them"
        )
    else:
        lines.append(f"  drop role {READER} (nothing else uses it)")
    if plan.widened:
        lines.append(
            f"  keep {plan.schema}.equipment_status_log.status and previous_status at "
            f"varchar({erp_status.WIDTH}) (--fix-erp-status is not undone: narrowing could fail "
            "on longer values and would rewrite the table)"
        )
    return lines


async def unadopt(conn: asyncpg.Connection, plan: Removal) -> list[str]:
    """Remove it all; the lines to print (what became of the role)."""
    if plan.owner and not await conn.fetchval(
        "SELECT pg_has_role(current_user, $1, 'USAGE')", plan.owner
    ):
        raise UserError(
            f"schema {adopt.SCHEMA} belongs to {plan.owner}: run --unadopt as it or a superuser"
        )
    await conn.execute("SELECT pg_advisory_lock($1)", migrate.ADVISORY_LOCK_KEY)
    try:
        for index, _table in plan.indexes:
            await conn.execute(
                f"DROP INDEX CONCURRENTLY IF EXISTS {quote_ident(plan.schema)}.{quote_ident(index)}"
            )
        await conn.execute(f"DROP SCHEMA IF EXISTS {adopt.SCHEMA} CASCADE")
        return await _drop_reader(conn, plan.owner)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", migrate.ADVISORY_LOCK_KEY)


async def _drop_reader(conn: asyncpg.Connection, owner: str | None) -> list[str]:
    if not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", READER):
        return []
    used = [r["place"] for r in await conn.fetch(_READER_USES, READER, True)]
    if used:
        kept = f"kept role {READER}: it holds privileges in {', '.join(used)}"
        revoked = await _revoke_from(conn, owner) if owner else None
        return [kept, revoked] if revoked else [kept]
    try:
        await conn.execute(f"DROP ROLE {READER}")
    except asyncpg.PostgresError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return [f"kept role {READER}: {first}"]
    return [f"dropped role {READER}"]


# the adopting login ran floorwatch's own migrate in another database: it owns objects where
# the role holds privileges (native V002 granted it the role there too)
_NATIVE_ELSEWHERE = """
SELECT EXISTS (
    SELECT 1 FROM pg_shdepend o JOIN pg_shdepend r ON r.dbid = o.dbid
    WHERE o.refclassid = 'pg_authid'::regclass AND o.deptype = 'o'
      AND o.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1)
      AND r.refclassid = 'pg_authid'::regclass
      AND r.refobjid = (SELECT oid FROM pg_roles WHERE rolname = $2)
      AND o.dbid <> (SELECT oid FROM pg_database WHERE datname = current_database()))
"""


async def _revoke_from(conn: asyncpg.Connection, owner: str) -> str | None:
    """Adoption granted the role to the adopting login: take it back, unless that login uses it
    for floorwatch's own schema elsewhere."""
    member = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_auth_members m"
        " WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $2)"
        "   AND m.member = (SELECT oid FROM pg_roles WHERE rolname = $1))",
        owner,
        READER,
    )
    if not member:  # adoption could not grant it (V001 lets that pass)
        return None
    if await conn.fetchval(_NATIVE_ELSEWHERE, owner, READER):
        return f"{owner} keeps {READER}: it has floorwatch's own schema in another database"
    try:
        await conn.execute(f"REVOKE {READER} FROM {quote_ident(owner)}")
    except asyncpg.PostgresError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"{owner} keeps {READER}: {first}"
    return f"revoked {READER} from {owner}"
