"""Writing as the simulator, behind one interface (`Writer`) chosen once per connection by
`open_writer`: into floorwatch's own schema (`NativeWriter`), or into an ERP's own tables
through the ERP's columns (`floorwatch.sim.erp_writer.ErpWriter`, README: Simulator).

Natively every transaction runs as floorwatch_writer with the tenant set, so row-level security
checks each row. Bulk rows go through COPY, live changes are upserts."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import asyncpg

from floorwatch.db import adopt_detect
from floorwatch.db.dsn import Target
from floorwatch.db.pool import as_tenant_sql, connect
from floorwatch.errors import UserError
from floorwatch.sim.rows import COLUMNS, Record

WRITER_ROLE = "floorwatch_writer"

# Live upserts: the conflict target and the columns an update must not touch, in the order a
# tick writes them (parents first; the work centers, whose updated_at is the resume cursor, last).
CONFLICT: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "production_orders": ("id", None),  # None: DO NOTHING
    "production_runs": ("id", ("created_at",)),
    "equipment_status_log": ("id", ("created_at",)),
    "oee_calculations": ("work_center_id, calculation_date, shift", ("id", "created_at")),
    "work_centers": ("id", ("created_at",)),
}
UPSERT_TABLES = tuple(CONFLICT)

DIRECTORY_SQL = (
    "SELECT tenant_id, tenant_code, facility_id, facility_code, timezone"
    " FROM floorwatch_directory() WHERE tenant_code = ANY($1::text[])"
)


class Writer(Protocol):
    """What the simulator writes and reads its own plant through, on one connection."""

    conn: asyncpg.Connection

    def writing(self, tenant_id: uuid.UUID) -> AbstractAsyncContextManager[None]:
        """One transaction writing for `tenant_id`."""
        ...

    async def copy(self, table: str, records: Sequence[Record]) -> int:
        """Bulk insert of native-shaped records (rows.COLUMNS order), inside `writing()`."""
        ...

    async def upsert(self, table: str, records: Sequence[Record]) -> int:
        """Insert or update native-shaped records of an UPSERT_TABLES table."""
        ...

    def source(self, table: str) -> str:
        """A FROM item giving `table`'s rows with the native columns, named `table`."""
        ...

    async def set_work_center_statuses(self, statuses: list[tuple[uuid.UUID, str]]) -> None: ...

    async def directory(self, tenant_codes: list[str]) -> list[asyncpg.Record]:
        """(tenant_id, tenant_code, facility_id, facility_code, timezone) of those tenants."""
        ...


def _upsert_sql(table: str) -> str:
    cols = COLUMNS[table]
    target, keep = CONFLICT[table]
    values = ", ".join(f"${i}" for i in range(1, len(cols) + 1))
    head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({values}) ON CONFLICT ({target}) DO "
    if keep is None:
        return head + "NOTHING"
    keys = {c.strip() for c in target.split(",")} | set(keep)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in keys)
    return head + f"UPDATE SET {sets}"


UPSERT_SQL = {table: _upsert_sql(table) for table in CONFLICT}


class NativeWriter:
    """Writes floorwatch's own schema as floorwatch_writer (row-level security applies)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    @asynccontextmanager
    async def writing(self, tenant_id: uuid.UUID) -> AsyncIterator[None]:
        async with self.conn.transaction():
            await self.conn.execute(as_tenant_sql(tenant_id, WRITER_ROLE))
            yield

    async def copy(self, table: str, records: Sequence[Record]) -> int:
        """PostgreSQL refuses COPY FROM into a table with row-level security, so the rows are
        COPYed into a temporary table dropped at commit and moved with INSERT ... SELECT, which
        checks the policies row by row."""
        if not records:
            return 0
        conn = self.conn
        cols = ", ".join(COLUMNS[table])
        staging = f"fw_sim_{table}"
        await conn.execute(
            f"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        await conn.copy_records_to_table(staging, records=records, columns=COLUMNS[table])
        await conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {staging}")
        await conn.execute(f"DROP TABLE {staging}")
        return len(records)

    async def upsert(self, table: str, records: Sequence[Record]) -> int:
        if records:
            await self.conn.executemany(UPSERT_SQL[table], records)
        return len(records)

    def source(self, table: str) -> str:
        return table

    async def set_work_center_statuses(self, statuses: list[tuple[uuid.UUID, str]]) -> None:
        await self.conn.executemany("UPDATE work_centers SET status = $2 WHERE id = $1", statuses)

    async def directory(self, tenant_codes: list[str]) -> list[asyncpg.Record]:
        return await self.conn.fetch(DIRECTORY_SQL, tenant_codes)  # type: ignore[no-any-return]


async def open_writer(dsn: str | None) -> Writer:
    """A writer on a new connection (UserError when that fails): the ERP writer when the
    database holds the ERP's tables, else the native one, whose login must be able to act as
    floorwatch_writer."""
    from floorwatch.sim import erp_writer

    target = Target(dsn, "flag")
    conn = await connect(target, statement_timeout_ms=0)
    try:
        found = await adopt_detect.detect(conn)
        if found.kind in ("erp", "adopted") and found.schema is not None:
            return await erp_writer.ErpWriter.start(conn, found.schema)
        ok = await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)"
            " AND pg_has_role(current_user, $1, 'MEMBER')",
            WRITER_ROLE,
        )
        if not ok:
            raise UserError(
                f"{target.display}: this login may not act as {WRITER_ROLE} "
                "(run `floorwatch migrate`, or GRANT floorwatch_writer TO the login role)"
            )
    except BaseException:
        await conn.close()
        raise
    return NativeWriter(conn)
