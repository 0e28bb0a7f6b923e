"""Writing as the simulator: every transaction runs as floorwatch_writer with the tenant set,
so row-level security checks each row. Bulk rows go through COPY, live changes are upserts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import asyncpg

from floorwatch.db.dsn import Target
from floorwatch.db.pool import as_tenant_sql, connect
from floorwatch.errors import UserError
from floorwatch.sim.rows import COLUMNS, Record

WRITER_ROLE = "floorwatch_writer"

# Live upserts: the conflict target and the columns an update must not touch, in the order a
# tick writes them (parents first; the work centers, whose updated_at is the resume cursor, last).
_CONFLICT: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "production_orders": ("id", None),  # None: DO NOTHING
    "production_runs": ("id", ("created_at",)),
    "equipment_status_log": ("id", ("created_at",)),
    "oee_calculations": ("work_center_id, calculation_date, shift", ("id", "created_at")),
    "work_centers": ("id", ("created_at",)),
}


def _upsert_sql(table: str) -> str:
    cols = COLUMNS[table]
    target, keep = _CONFLICT[table]
    values = ", ".join(f"${i}" for i in range(1, len(cols) + 1))
    head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) ON CONFLICT ({target}) DO "
    if keep is None:
        return head + "NOTHING"
    keys = {c.strip() for c in target.split(",")} | set(keep)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in keys)
    return head + f"UPDATE SET {sets}"


UPSERT_SQL = {table: _upsert_sql(table) for table in _CONFLICT}


async def open_connection(dsn: str | None) -> asyncpg.Connection:
    """A connection (UserError when that fails) whose login may act as the writer role."""
    target = Target(dsn, "flag")
    conn = await connect(target, statement_timeout_ms=0)
    ok = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)"
        " AND pg_has_role(current_user, $1, 'MEMBER')",
        WRITER_ROLE,
    )
    if not ok:
        await conn.close()
        raise UserError(
            f"{target.display}: this login may not act as {WRITER_ROLE} "
            "(run `floorwatch migrate`, or GRANT floorwatch_writer TO the login role)"
        )
    return conn


@asynccontextmanager
async def writing(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> AsyncIterator[None]:
    """One transaction as the writer role with `tenant_id` as the current tenant."""
    async with conn.transaction():
        await conn.execute(as_tenant_sql(tenant_id, WRITER_ROLE))
        yield


async def copy(conn: asyncpg.Connection, table: str, records: Sequence[Record]) -> int:
    """Bulk insert inside `writing()`. PostgreSQL refuses COPY FROM into a table with row-level
    security, so the rows are COPYed into a temporary table dropped at commit and moved with
    INSERT ... SELECT, which checks the policies row by row."""
    if not records:
        return 0
    cols = ", ".join(COLUMNS[table])
    staging = f"fw_sim_{table}"
    await conn.execute(
        f"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    await conn.copy_records_to_table(staging, records=records, columns=COLUMNS[table])
    await conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {staging}")
    await conn.execute(f"DROP TABLE {staging}")
    return len(records)


async def upsert(conn: asyncpg.Connection, table: str, records: Sequence[Record]) -> int:
    if records:
        await conn.executemany(UPSERT_SQL[table], records)
    return len(records)
