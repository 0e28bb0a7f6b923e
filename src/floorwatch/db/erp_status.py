"""`floorwatch migrate --fix-erp-status`: the optional adoption step that widens the ERP's
equipment_status_log.status and previous_status from VARCHAR(20) to VARCHAR(40)
(migrations/adopt/optional/V901), recorded in floorwatch's history like any step.

A catalogue change (no row rewritten, the indexes keep their files), but PostgreSQL refuses to
change a column's type while a view reads it: floorwatch's own views over the table are saved,
dropped and created again in the same transaction. A view of anyone else's is left alone and
the step refused, naming it."""

from __future__ import annotations

import time
from dataclasses import dataclass

import asyncpg

from floorwatch.db import adopt, migrate
from floorwatch.db.pool import quote_ident
from floorwatch.errors import UserError

TABLE = "equipment_status_log"
COLUMNS = ("status", "previous_status")
WIDTH = 40
LOCK_TIMEOUT = "10s"  # ALTER TABLE waits for the ERP's open transactions on the table, and
# every statement on it would queue behind the wait: give up rather than stall the ERP


def step() -> migrate.Migration:
    (found,) = migrate.load_migrations(adopt.adopt_dir() / "optional")
    return found


@dataclass(frozen=True)
class SavedView:
    oid: int
    schema: str
    name: str
    definition: str
    options: list[str]
    owner: str
    grants: list[tuple[str, str]]  # (privilege, grantee)
    comment: str | None
    depth: int


# Views that read the columns, and views over those, deepest last. With search_path =
# pg_catalog every name in a definition comes out schema-qualified.
_DEPENDENT_VIEWS = """
WITH RECURSIVE dependent(oid, depth) AS (
    SELECT DISTINCT r.ev_class, 1
    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid = $1::regclass AND r.ev_class <> $1::regclass
      AND d.refobjsubid IN (SELECT attnum FROM pg_attribute
                            WHERE attrelid = $1::regclass AND attname = ANY ($2::text[]))
    UNION
    SELECT r.ev_class, dependent.depth + 1
    FROM dependent
    JOIN pg_depend d ON d.refobjid = dependent.oid AND d.refclassid = 'pg_class'::regclass
                    AND d.classid = 'pg_rewrite'::regclass
    JOIN pg_rewrite r ON r.oid = d.objid AND r.ev_class <> dependent.oid
)
SELECT c.oid, n.nspname, c.relname, c.relkind::text AS relkind, max(dep.depth) AS depth,
       pg_get_viewdef(c.oid) AS definition, coalesce(c.reloptions, '{}') AS options,
       pg_get_userbyid(c.relowner) AS owner, obj_description(c.oid, 'pg_class') AS comment,
       (SELECT coalesce(array_agg(ARRAY[a.privilege_type,
                                        CASE a.grantee WHEN 0 THEN 'PUBLIC'
                                             ELSE quote_ident(pg_get_userbyid(a.grantee)) END]),
                        '{}')
        FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner) AS grants
FROM dependent dep JOIN pg_class c ON c.oid = dep.oid JOIN pg_namespace n ON n.oid = c.relnamespace
GROUP BY c.oid, n.nspname
ORDER BY depth, c.relname
"""


async def column_types(conn: asyncpg.Connection, qualified: str) -> dict[str, tuple[str, int]]:
    """column -> (type name, declared length or -1)."""
    rows = await conn.fetch(
        "SELECT attname, format_type(atttypid, NULL) AS type,"
        "       CASE WHEN atttypid = 'varchar'::regtype AND atttypmod > 0"
        "            THEN atttypmod - 4 ELSE -1 END AS length"
        " FROM pg_attribute WHERE attrelid = $1::regclass AND attname = ANY ($2::text[])",
        qualified,
        list(COLUMNS),
    )
    return {r["attname"]: (r["type"], r["length"]) for r in rows}


def _wide(type_name: str, length: int) -> bool:
    return type_name == "text" or (type_name == "character varying" and not 0 < length < WIDTH)


async def is_recorded(conn: asyncpg.Connection) -> bool:
    return bool(
        await conn.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM {adopt.HISTORY} WHERE version = $1)", step().version
        )
    )


async def fix_erp_status(conn: asyncpg.Connection, schema: str, *, dry_run: bool) -> list[str]:
    """Widen the two columns (or say why not, or what it would do); the lines to print."""
    qualified = f"{quote_ident(schema)}.{TABLE}"
    the_step = step()
    types = await column_types(conn, qualified)
    shown = ", ".join(
        f"{c} {t}({n})" if n > 0 else f"{c} {t}" for c, (t, n) in sorted(types.items())
    )
    if await is_recorded(conn):
        return [f"--fix-erp-status was applied already ({schema}.{TABLE}: {shown})"]
    if all(_wide(*types[c]) for c in COLUMNS):
        action = "would record" if dry_run else "recorded"
        lines = [
            f"{schema}.{TABLE} holds every documented status already ({shown}); {action} "
            f"V{the_step.version} {the_step.description}"
        ]
        if not dry_run:
            await _record(conn, the_step, time.perf_counter())
        return lines
    if not all(types[c][0] == "character varying" and types[c][1] <= WIDTH for c in COLUMNS):
        raise UserError(
            f"{schema}.{TABLE} has {shown}: --fix-erp-status widens only VARCHAR columns of at "
            f"most {WIDTH} characters; nothing was changed"
        )
    views = await _dependent_views(conn, qualified)
    foreign = [f"{v.schema}.{v.name}" for v in views if v.schema != adopt.SCHEMA]
    if foreign:
        raise UserError(
            f"views outside schema {adopt.SCHEMA} read {TABLE}.status: {', '.join(foreign)}; "
            "floorwatch does not change them, so --fix-erp-status cannot run (nothing was changed)"
        )
    plan = [
        f"widens {schema}.{TABLE}.status and previous_status to varchar({WIDTH}) "
        f"(now {shown}): a catalogue change, no row rewritten; an ACCESS EXCLUSIVE lock for "
        f"a moment (gives up after {LOCK_TIMEOUT} waiting for one)",
    ]
    if views:
        names = ", ".join(f"{v.schema}.{v.name}" for v in views)
        plan.append(f"re-creates floorwatch's views that read them: {names}")
    if dry_run:
        return [line.replace("widens", "would widen", 1) for line in plan] + [
            "nothing changed (dry run); apply with: floorwatch migrate --fix-erp-status"
        ]
    await _apply(conn, schema, the_step, views)
    return plan


async def _dependent_views(conn: asyncpg.Connection, qualified: str) -> list[SavedView]:
    async with conn.transaction():
        await conn.execute("SET LOCAL search_path = pg_catalog")
        rows = await conn.fetch(_DEPENDENT_VIEWS, qualified, list(COLUMNS))
    kinds = {r["relkind"] for r in rows}
    if kinds - {"v"}:
        names = ", ".join(f"{r['nspname']}.{r['relname']}" for r in rows if r["relkind"] != "v")
        raise UserError(f"materialized views read {TABLE}.status ({names}); nothing was changed")
    return [
        SavedView(
            r["oid"],
            r["nspname"],
            r["relname"],
            r["definition"],
            list(r["options"]),
            r["owner"],
            [(g[0], g[1]) for g in r["grants"]],
            r["comment"],
            r["depth"],
        )
        for r in rows
    ]


async def _apply(
    conn: asyncpg.Connection, schema: str, the_step: migrate.Migration, views: list[SavedView]
) -> None:
    started = time.perf_counter()
    await conn.execute("SELECT pg_advisory_lock($1)", migrate.ADVISORY_LOCK_KEY)
    try:
        async with conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            await conn.execute(f"SET LOCAL search_path = {quote_ident(schema)}")
            for view in sorted(views, key=lambda v: -v.depth):
                await conn.execute(f"DROP VIEW {_name(view)}")
            await conn.execute(the_step.sql)
            await conn.execute("SET LOCAL search_path = pg_catalog")
            for view in views:
                await _create(conn, view)
            await _record(conn, the_step, started)
    except asyncpg.LockNotAvailableError:
        raise UserError(
            f"{schema}.{TABLE} stayed locked by other transactions for {LOCK_TIMEOUT}; "
            "nothing was changed: try again when the ERP is quieter"
        ) from None
    except asyncpg.PostgresError as exc:  # e.g. a policy or trigger of the ERP's on the column
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"--fix-erp-status failed, nothing was changed: {first}") from None
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", migrate.ADVISORY_LOCK_KEY)


def _name(view: SavedView) -> str:
    return f"{quote_ident(view.schema)}.{quote_ident(view.name)}"


async def _create(conn: asyncpg.Connection, view: SavedView) -> None:
    options = f" WITH ({', '.join(view.options)})" if view.options else ""
    await conn.execute(f"CREATE VIEW {_name(view)}{options} AS {view.definition}")
    await conn.execute(f"ALTER VIEW {_name(view)} OWNER TO {quote_ident(view.owner)}")
    for privilege, grantee in view.grants:
        await conn.execute(f"GRANT {privilege} ON {_name(view)} TO {grantee}")
    if view.comment is not None:
        await conn.execute(
            await conn.fetchval(
                "SELECT format('COMMENT ON VIEW %s IS %L', $1::text, $2::text)",
                _name(view),
                view.comment,
            )
        )


async def _record(conn: asyncpg.Connection, the_step: migrate.Migration, started: float) -> None:
    await conn.execute(
        f"INSERT INTO {adopt.HISTORY} (version, description, checksum, execution_ms)"
        " VALUES ($1, $2, $3, $4)",
        the_step.version,
        the_step.description,
        the_step.checksum,
        int((time.perf_counter() - started) * 1000),
    )
