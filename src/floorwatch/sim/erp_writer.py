"""The simulator's plant written into an ERP's own tables, through the ERP's columns (README:
Simulator). The records are the native ones (rows.COLUMNS); each table's mapping onto the ERP's
columns is one INSERT ... SELECT in sim/erp_sql/<table>.sql, from a staging table the records
are COPYed into. There is no row-level security on the ERP's tables: the writer writes as the
connecting login."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files

import asyncpg

from floorwatch.db.pool import as_tenant_sql, quote_ident
from floorwatch.domain.models import EquipmentState
from floorwatch.sim.rows import COLUMNS, Record

UNLIMITED = 10_000_000  # left(status, n) of a column without a length limit

# The staging tables' column types (the native schema's), by column name.
_TYPES = {
    "production_rate_per_hour": "numeric(12, 2)",
    "first_shift_start": "time",
    "shift_length_hours": "integer",
    "is_active": "boolean",
    "calculation_date": "date",
    "due_date": "date",
    "ideal_cycle_time_seconds": "numeric(12, 4)",
}
_INTEGER = (
    "quantity_", "total_pieces", "good_pieces", "defective_pieces", "scrap_pieces",
    "rework_pieces", "priority",
)  # fmt: skip
_NUMERIC = ("_minutes", "_percentage", "planned_production_time", "downtime", "runtime")
_TIMESTAMP = ("_at", "scheduled_", "actual_", "status_start", "status_end", "period_")


def staging_type(column: str) -> str:
    """The native schema's type of a column of rows.COLUMNS (tests pin it to the schema)."""
    if column in _TYPES:
        return _TYPES[column]
    if column == "id" or column.endswith("_id"):
        return "uuid"
    if column.startswith(_INTEGER):
        return "integer"
    if column.endswith(_NUMERIC) or column in _NUMERIC:
        return "numeric"
    if column.endswith(_TIMESTAMP) or column.startswith(_TIMESTAMP):
        return "timestamptz"
    return "text"


def staged_columns(table: str) -> tuple[str, ...]:
    """The columns of the records the simulator hands this writer (rows.COLUMNS)."""
    return COLUMNS[table]


def staging_ddl(table: str) -> str:
    cols = ", ".join(f"{c} {staging_type(c)}" for c in staged_columns(table))
    return f"CREATE TEMP TABLE fw_erp_{table} ({cols}) ON COMMIT DROP"


@cache
def _sql_file(name: str) -> str:
    return files("floorwatch.sim").joinpath("erp_sql", f"{name}.sql").read_text("utf-8")


def _fill(sql: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], sql)


def _sources(values: dict[str, str]) -> dict[str, str]:
    parts = re.split(r"^-- table: (\w+)\n", _sql_file("read_sources"), flags=re.M)
    return {
        name: _fill(body.strip(), values)
        for name, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def _uncut(column: str) -> str:
    """The documented status a value the writer cut to the column's width is the start of."""
    statuses = ", ".join(f"'{s.value}'" for s in EquipmentState)
    return (
        f"coalesce((SELECT d FROM unnest(ARRAY[{statuses}]) d WHERE starts_with(d, e.{column})"
        f" LIMIT 1), e.{column})"
    )


class ErpWriter:
    """Writes the simulated plant into the ERP's tables of `schema` (see module doc)."""

    def __init__(
        self,
        conn: asyncpg.Connection,
        schema: str,
        status_widths: tuple[int | None, int | None],
        shift_patterns: bool,
    ) -> None:
        self.conn = conn
        self.schema = schema
        self.status_widths = status_widths
        self.shift_patterns = shift_patterns
        erp = quote_ident(schema)
        self._erp = erp
        pattern = {
            "shift_join": "LEFT JOIN floorwatch.shift_patterns sp ON sp.facility_id = f.id",
            "shift_start": "coalesce(sp.first_shift_start, time '06:00')",
            "shift_hours": "coalesce(sp.shift_length_hours, 8)",
        }
        if not shift_patterns:
            pattern = {"shift_join": "", "shift_start": "time '06:00'", "shift_hours": "8"}
        self._sources = _sources(
            {
                "erp": erp,
                "status_of_status": _uncut("status"),
                "status_of_previous": _uncut("previous_status"),
                **pattern,
            }
        )
        self._inserts = {t: _fill(_sql_file(t), {"erp": erp}) for t in (*COLUMNS, "operations")}

    @classmethod
    async def start(cls, conn: asyncpg.Connection, schema: str) -> ErpWriter:
        """Reads, once, how wide the ERP's status columns are and whether floorwatch's shift
        patterns table is there to be written (it is when the database is adopted)."""
        widths = dict(
            await conn.fetch(
                "SELECT column_name, character_maximum_length FROM information_schema.columns"
                " WHERE table_schema = $1 AND table_name = 'equipment_status_log'"
                " AND column_name IN ('status', 'previous_status')",
                schema,
            )
        )
        patterns = bool(
            await conn.fetchval(
                "SELECT to_regclass('floorwatch.shift_patterns') IS NOT NULL"
                " AND has_table_privilege('floorwatch.shift_patterns', 'INSERT')"
            )
        )
        return cls(conn, schema, (widths.get("status"), widths.get("previous_status")), patterns)

    @asynccontextmanager
    async def writing(self, tenant_id: uuid.UUID) -> AsyncIterator[None]:
        # the tenant setting only (views of an adopted database read it); no role to switch to
        async with self.conn.transaction():
            await self.conn.execute(as_tenant_sql(tenant_id, None))
            yield

    async def copy(self, table: str, records: Sequence[Record]) -> int:
        if not records:
            return 0
        conn = self.conn
        await conn.execute(staging_ddl(table))
        await conn.copy_records_to_table(
            f"fw_erp_{table}", records=records, columns=staged_columns(table)
        )
        if table == "equipment_status_log":
            status, previous = (w or UNLIMITED for w in self.status_widths)
            await conn.execute(self._inserts[table], status, previous)
        else:
            await conn.execute(self._inserts[table])
        if table == "work_centers":
            await conn.execute(self._inserts["operations"])
        if table == "facilities" and self.shift_patterns:
            await conn.execute(_sql_file("shift_patterns"))
        await conn.execute(f"DROP TABLE fw_erp_{table}")
        return len(records)

    async def upsert(self, table: str, records: Sequence[Record]) -> int:
        # the same statements: each live table's ends in ON CONFLICT ... DO UPDATE/NOTHING
        return await self.copy(table, records)

    def source(self, table: str) -> str:
        return self._sources[table]

    async def set_work_center_statuses(self, statuses: list[tuple[uuid.UUID, str]]) -> None:
        await self.conn.executemany(
            f"UPDATE {self._erp}.work_centers SET status = $2 WHERE id = $1", statuses
        )

    async def directory(self, tenant_codes: list[str]) -> list[asyncpg.Record]:
        return await self.conn.fetch(  # type: ignore[no-any-return]
            f"SELECT t.id AS tenant_id, t.tenant_code, f.id AS facility_id, f.facility_code,"
            f" coalesce(f.timezone, t.default_timezone, 'UTC') AS timezone"
            f" FROM {self._erp}.tenants t LEFT JOIN {self._erp}.facilities f"
            f" ON f.tenant_id = t.id AND f.deleted_at IS NULL"
            f" WHERE t.tenant_code = ANY($1::text[])",
            tenant_codes,
        )
