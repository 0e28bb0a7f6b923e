"""What a database is to `floorwatch migrate` (`detect`: floorwatch's own schema, the ERP's
tables, some of them, an adopted ERP database) and whether the ERP's tables can be adopted
(`adoption_problem`: the columns floorwatch reads, the privileges adoption needs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import asyncpg

from floorwatch.db import migrate
from floorwatch.db.adopt import SCHEMA, erp_schema, is_adopted
from floorwatch.db.pool import quote_ident
from floorwatch.db.schema import PLANT_TABLES

# The ERP's columns floorwatch's views read (V002); an ERP table without one cannot be adopted.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "tenants": (
        "id", "tenant_code", "tenant_name", "default_timezone", "deleted_at", "created_at",
    ),
    "facilities": (
        "id", "tenant_id", "facility_code", "facility_name", "timezone", "deleted_at",
        "created_at",
    ),
    "users": (
        "id", "tenant_id", "default_facility_id", "display_name", "first_name", "last_name",
        "username", "deleted_at", "created_at",
    ),
    "work_centers": (
        "id", "tenant_id", "facility_id", "work_center_code", "work_center_name",
        "work_center_type", "production_rate_per_hour", "status", "is_active",
        "operating_calendar", "deleted_at", "created_at", "updated_at",
    ),
    "production_orders": (
        "id", "tenant_id", "facility_id", "production_order_number", "quantity_ordered",
        "due_date", "priority", "created_at",
    ),
    "production_runs": (
        "id", "tenant_id", "facility_id", "production_run_number", "production_order_id",
        "work_center_id", "operator_user_id", "operator_name", "scheduled_start",
        "scheduled_end", "actual_start", "actual_end", "quantity_planned", "quantity_good",
        "quantity_scrap", "quantity_rework", "setup_time_minutes", "run_time_minutes",
        "downtime_minutes", "status", "created_at", "updated_at",
    ),
    "oee_calculations": (
        "id", "tenant_id", "facility_id", "work_center_id", "calculation_date", "shift",
        "planned_production_time", "downtime", "runtime", "total_pieces_produced",
        "good_pieces", "defective_pieces", "ideal_cycle_time_seconds",
        "availability_percentage", "performance_percentage", "quality_percentage",
        "oee_percentage", "target_oee_percentage", "setup_changeover_minutes",
        "breakdown_minutes", "no_operator_minutes", "no_material_minutes",
        "speed_loss_minutes", "quality_loss_pieces", "created_at",
    ),
    "equipment_status_log": (
        "id", "tenant_id", "facility_id", "work_center_id", "status", "previous_status",
        "status_start", "status_end", "production_run_id", "reason_code", "reason_description",
        "created_at",
    ),
}  # fmt: skip

# the ERP's tables adoption builds indexes on (it must own them: CREATE INDEX needs the owner)
INDEXED_TABLES = ("production_runs", "oee_calculations", "equipment_status_log")


@dataclass(frozen=True)
class Found:
    """What a database is to `floorwatch migrate`.
    empty: no plant table in any schema (migrate creates floorwatch's own schema);
    native: floorwatch's own schema; adopted: floorwatch has adopted the ERP's tables;
    erp: all eight of the ERP's tables in `schema`, not adopted; partial: only some."""

    kind: Literal["empty", "native", "adopted", "erp", "partial"]
    schema: str | None = None
    tables: tuple[str, ...] = ()

    @property
    def missing_tables(self) -> list[str]:
        return [t for t in PLANT_TABLES if t not in self.tables]


async def _tables_in(conn: asyncpg.Connection, schema: str) -> tuple[str, ...]:
    rows = await conn.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p')",
        schema,
        list(PLANT_TABLES),
    )
    found = {r["relname"] for r in rows}
    return tuple(t for t in PLANT_TABLES if t in found)


async def _has_history(conn: asyncpg.Connection, schema: str) -> bool:
    """Whether floorwatch's own migrations ran here. An empty history is not: `floorwatch
    migrate` before it could adopt created it on an ERP database and then failed."""
    table = f"{quote_ident(schema)}.{migrate.HISTORY_TABLE}"
    try:
        return bool(await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"))
    except asyncpg.InsufficientPrivilegeError:  # a login before V005's grant: it is floorwatch's
        return True


async def detect(conn: asyncpg.Connection) -> Found:
    if await is_adopted(conn):
        schema = await erp_schema(conn)
        return Found("adopted", schema, await _tables_in(conn, schema) if schema else ())
    native = await conn.fetchval(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = $1 AND n.nspname <> $2 AND n.nspname = ANY (current_schemas(false))"
        " LIMIT 1",
        migrate.HISTORY_TABLE,
        SCHEMA,
    )
    if native and await _has_history(conn, native):
        return Found("native", native)
    schema = await erp_schema(conn)
    if schema is None:
        return Found("empty")
    tables = await _tables_in(conn, schema)
    return Found("erp" if len(tables) == len(PLANT_TABLES) else "partial", schema, tables)


async def missing_columns(conn: asyncpg.Connection, schema: str) -> list[str]:
    """table.column for each column floorwatch reads that the ERP's tables lack."""
    rows = await conn.fetch(
        "SELECT c.relname, a.attname FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p')"
        "   AND a.attnum > 0 AND NOT a.attisdropped",
        schema,
        list(PLANT_TABLES),
    )
    have = {(r["relname"], r["attname"]) for r in rows}
    return [f"{t}.{c}" for t, cols in REQUIRED_COLUMNS.items() for c in cols if (t, c) not in have]


def partial_message(found: Found) -> str:
    return (
        f"schema {found.schema} holds {len(found.tables)} of the eight plant tables "
        f"(missing: {', '.join(found.missing_tables)}): floorwatch can neither create its own "
        "tables there nor adopt the ERP's"
    )


def columns_message(schema: str, missing: list[str]) -> str:
    return (
        f"the ERP's tables in schema {schema} lack columns floorwatch reads: "
        f"{', '.join(missing)}; nothing was changed"
    )


async def adoption_problem(conn: asyncpg.Connection, found: Found) -> str | None:
    """Why `migrate --adopt` cannot run here, in one line (None when it can)."""
    if found.kind == "native":
        return (
            f"this database has floorwatch's own schema ({migrate.HISTORY_TABLE} in "
            f"{found.schema}): there is nothing to adopt; `floorwatch migrate` updates it"
        )
    if found.kind == "empty":
        return (
            "no ERP tables in this database to adopt; `floorwatch migrate` (without --adopt) "
            "creates floorwatch's own schema"
        )
    if found.kind == "partial":
        return partial_message(found)
    assert found.schema is not None
    if missing := await missing_columns(conn, found.schema):
        return columns_message(found.schema, missing)
    if found.kind == "erp" and await foreign_schema(conn):
        return (
            f"a schema {SCHEMA} exists already, holding objects, without floorwatch's history: "
            "it is not floorwatch's; rename it (or drop it) to adopt this database"
        )
    return await _privilege_problem(conn, found.schema)


async def foreign_schema(conn: asyncpg.Connection) -> bool:
    """A schema `floorwatch` holding objects on a database floorwatch has not adopted."""
    return bool(
        await conn.fetchval(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n"
            "                   ON n.oid = c.relnamespace"
            "                   WHERE n.nspname = $1 AND c.relname = $2)"
            "   AND (EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n"
            "                ON n.oid = c.relnamespace WHERE n.nspname = $1)"
            "        OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n"
            "                   ON n.oid = p.pronamespace WHERE n.nspname = $1))",
            SCHEMA,
            migrate.HISTORY_TABLE,
        )
    )


async def _privilege_problem(conn: asyncpg.Connection, schema: str) -> str | None:
    row = await conn.fetchrow(
        "SELECT current_user AS login,"
        "       (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user)"
        "           OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'floorwatch_reader')"
        "           AS may_have_role,"
        "       has_database_privilege(current_database(), 'CREATE') AS may_create_schema,"
        "       (SELECT array_agg(c.relname ORDER BY c.relname) FROM pg_class c"
        "        JOIN pg_namespace n ON n.oid = c.relnamespace"
        "        WHERE n.nspname = $1 AND c.relname = ANY ($2::text[])"
        "          AND NOT pg_has_role(current_user, c.relowner, 'USAGE')) AS not_owned",
        schema,
        list(INDEXED_TABLES),
    )
    login = row["login"]
    if row["not_owned"]:
        return (
            f"{login} does not own {', '.join(row['not_owned'])} (CREATE INDEX needs the "
            "owner): run it as the ERP tables' owner or a superuser"
        )
    if not row["may_create_schema"]:
        return f"{login} may not create the schema {SCHEMA} in this database (CREATE on it)"
    if not row["may_have_role"]:
        return f"role floorwatch_reader does not exist and {login} may not create roles"
    return None
