"""The views and the SQL functions with a bound body (BEGIN ATOMIC) that read some columns of a
table, directly or through one another: PostgreSQL refuses to change the columns' type while
they exist, so --fix-erp-status (erp_status.py) saves them, drops them and creates them again
in its transaction, with their options, owner, privileges and comment.

Definitions are read with search_path = pg_catalog, so every other name in them comes out
schema-qualified and binds to the same objects when run again under that search_path."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from floorwatch.db.pool import quote_ident

# (class, object, depth): depth is the longest chain from the columns, so an object's own
# dependencies among these all have a smaller one. A view is reached through its rewrite rule.
_CLOSURE = """
WITH RECURSIVE dependent(classid, objid, depth) AS (
    SELECT CASE WHEN d.classid = 'pg_rewrite'::regclass THEN 'pg_class'::regclass
                ELSE d.classid END,
           coalesce(r.ev_class, d.objid), 1
    FROM pg_depend d
    LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
    WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = $1::regclass
      AND d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass)
      AND coalesce(r.ev_class, 0) <> $1::regclass
      AND d.refobjsubid IN (SELECT attnum FROM pg_attribute
                            WHERE attrelid = $1::regclass AND attname = ANY ($2::text[]))
    UNION
    SELECT CASE WHEN d.classid = 'pg_rewrite'::regclass THEN 'pg_class'::regclass
                ELSE d.classid END,
           coalesce(r.ev_class, d.objid), dependent.depth + 1
    FROM dependent
    JOIN pg_depend d ON d.refclassid = dependent.classid AND d.refobjid = dependent.objid
    LEFT JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid
    WHERE d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass)
      AND coalesce(r.ev_class, 0) <> dependent.objid
)
SELECT classid = 'pg_proc'::regclass AS is_function, objid, max(depth) AS depth
FROM dependent GROUP BY classid, objid
"""

_VIEW = """
SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       format('%I.%I', n.nspname, c.relname) AS qualified,
       format('CREATE VIEW %I.%I%s AS %s', n.nspname, c.relname,
              CASE WHEN c.reloptions IS NULL THEN ''
                   ELSE ' WITH (' || array_to_string(c.reloptions, ', ') || ')' END,
              pg_get_viewdef(c.oid)) AS definition,
       pg_get_userbyid(c.relowner) AS owner, c.relacl IS NOT NULL AS has_acl,
       (SELECT coalesce(array_agg(ARRAY[a.privilege_type,
                                        CASE a.grantee WHEN 0 THEN 'PUBLIC'
                                             ELSE quote_ident(pg_get_userbyid(a.grantee)) END]),
                        '{}')
        FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner) AS grants,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1
"""

_FUNCTION = """
SELECT n.nspname AS schema, p.proname AS name, 'f' AS kind,
       format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
           AS qualified,
       pg_get_functiondef(p.oid) AS definition,
       pg_get_userbyid(p.proowner) AS owner, p.proacl IS NOT NULL AS has_acl,
       (SELECT coalesce(array_agg(ARRAY[a.privilege_type,
                                        CASE a.grantee WHEN 0 THEN 'PUBLIC'
                                             ELSE quote_ident(pg_get_userbyid(a.grantee)) END]),
                        '{}')
        FROM aclexplode(p.proacl) a WHERE a.grantee <> p.proowner) AS grants,
       obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = $1
"""


@dataclass(frozen=True)
class Saved:
    schema: str
    name: str
    kind: str  # 'v' view, 'm' materialized view, 'f' function
    qualified: str  # as DROP and GRANT name it
    definition: str  # the statement creating it
    owner: str
    has_acl: bool  # privileges other than the defaults
    grants: list[tuple[str, str]]  # (privilege, grantee)
    comment: str | None
    depth: int

    @property
    def word(self) -> str:
        return "FUNCTION" if self.kind == "f" else "VIEW"


async def dependents(conn: asyncpg.Connection, table: str, columns: list[str]) -> list[Saved]:
    """What reads `columns` of `table` (qualified), in an order they can be created in."""
    async with conn.transaction():
        await conn.execute("SET LOCAL search_path = pg_catalog")
        found = []
        for dep in await conn.fetch(_CLOSURE, table, columns):
            row = await conn.fetchrow(_FUNCTION if dep["is_function"] else _VIEW, dep["objid"])
            fields = dict(row)
            fields["grants"] = [(g[0], g[1]) for g in row["grants"]]
            found.append(Saved(**fields, depth=dep["depth"]))
    return sorted(found, key=lambda s: (s.depth, s.qualified))


async def drop(conn: asyncpg.Connection, saved: list[Saved]) -> None:
    for s in sorted(saved, key=lambda s: -s.depth):
        await conn.execute(f"DROP {s.word} {s.qualified}")


async def create(conn: asyncpg.Connection, saved: list[Saved]) -> None:
    """Create them again (under search_path = pg_catalog, as they were read)."""
    for s in saved:
        await conn.execute(s.definition)
        await conn.execute(f"ALTER {s.word} {s.qualified} OWNER TO {quote_ident(s.owner)}")
        if s.has_acl and s.kind == "f":  # a new function may be run by PUBLIC
            await conn.execute(f"REVOKE ALL ON FUNCTION {s.qualified} FROM PUBLIC")
        on = "FUNCTION " if s.kind == "f" else ""
        for privilege, grantee in s.grants:
            await conn.execute(f"GRANT {privilege} ON {on}{s.qualified} TO {grantee}")
        if s.comment is not None:
            comment = await conn.fetchval(
                "SELECT format('COMMENT ON %s %s IS %L', $1::text, $2::text, $3::text)",
                s.word,
                s.qualified,
                s.comment,
            )
            await conn.execute(comment)
