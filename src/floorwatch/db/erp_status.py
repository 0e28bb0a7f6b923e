"""`floorwatch migrate --fix-erp-status`: the optional adoption step that widens the ERP's
equipment_status_log.status and previous_status from VARCHAR(20) to VARCHAR(40)
(migrations/adopt/optional/V901), recorded in floorwatch's history like any step.

A catalogue change (no row rewritten, the indexes keep their files), but PostgreSQL refuses to
change a column's type while a view reads it: floorwatch's own views (and functions bound to
them) over the columns are saved, dropped and created again in the same transaction
(dependents.py). One of anyone else's is left alone and the step refused, naming it."""

from __future__ import annotations

import time

import asyncpg

from floorwatch.db import adopt, dependents, migrate
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
    views = await dependents.dependents(conn, qualified, list(COLUMNS))
    foreign = [f"{v.schema}.{v.name}" for v in views if v.schema != adopt.SCHEMA or v.kind == "m"]
    if foreign:
        raise UserError(
            f"views or functions not floorwatch's read {TABLE}.status: {', '.join(foreign)}; "
            "floorwatch does not change them, so --fix-erp-status cannot run (nothing was changed)"
        )
    plan = [
        f"widens {schema}.{TABLE}.status and previous_status to varchar({WIDTH}) "
        f"(now {shown}): a catalogue change, no row rewritten; an ACCESS EXCLUSIVE lock for "
        f"a moment (gives up after {LOCK_TIMEOUT} waiting for one)",
    ]
    if views:
        names = ", ".join(f"{v.schema}.{v.name}" for v in views)
        plan.append(f"re-creates floorwatch's views and functions that read them: {names}")
    if dry_run:
        return [line.replace("widens", "would widen", 1) for line in plan] + [
            "nothing changed (dry run); apply with: floorwatch migrate --fix-erp-status"
        ]
    await _apply(conn, schema, qualified, the_step)
    return plan


async def _apply(
    conn: asyncpg.Connection,
    schema: str,
    qualified: str,
    the_step: migrate.Migration,
) -> None:
    started = time.perf_counter()
    await conn.execute("SELECT pg_advisory_lock($1)", migrate.ADVISORY_LOCK_KEY)
    try:
        async with conn.transaction():
            await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            # read again under the lock, in this transaction: what is dropped is what is made
            views = await dependents.dependents(conn, qualified, list(COLUMNS))
            await dependents.drop(conn, views)
            await conn.execute(f"SET LOCAL search_path = {quote_ident(schema)}")
            await conn.execute(the_step.sql)
            await conn.execute("SET LOCAL search_path = pg_catalog")
            await dependents.create(conn, views)
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


async def _record(conn: asyncpg.Connection, the_step: migrate.Migration, started: float) -> None:
    await conn.execute(
        f"INSERT INTO {adopt.HISTORY} (version, description, checksum, execution_ms)"
        " VALUES ($1, $2, $3, $4)",
        the_step.version,
        the_step.description,
        the_step.checksum,
        int((time.perf_counter() - started) * 1000),
    )
