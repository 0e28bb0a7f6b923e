"""Rows written straight into the ERP's own tables of a test database (as the ERP would), and
stand-ins for adoption objects another step provides when that step is not there yet."""

from __future__ import annotations

import uuid

import asyncpg


async def erp_tenant(conn: asyncpg.Connection, code: str) -> uuid.UUID:
    return await conn.fetchval(
        "INSERT INTO public.tenants (tenant_code, tenant_name) VALUES ($1, $1) RETURNING id", code
    )


async def erp_facility(conn: asyncpg.Connection, tenant_id: uuid.UUID, code: str) -> uuid.UUID:
    """A facility with only the ERP's required columns (its timezone: the ERP's default)."""
    return await conn.fetchval(
        "INSERT INTO public.facilities (tenant_id, facility_code, facility_name, facility_type,"
        " address_line1, city, postal_code, country)"
        " VALUES ($1, $2::text, $2::text || ' plant', 'MANUFACTURING', '1 Press Lane',"
        " 'Leeds', 'LS1', 'UK') RETURNING id",
        tenant_id,
        code,
    )


async def ensure_view(conn: asyncpg.Connection, name: str, select: str) -> None:
    """floorwatch.<name> as adopt V002 makes it, or (before V002 exists) a security_barrier
    stand-in over `select`."""
    if await conn.fetchval("SELECT to_regclass($1) IS NULL", f"floorwatch.{name}"):
        await conn.execute(f"CREATE VIEW floorwatch.{name} WITH (security_barrier) AS {select}")
