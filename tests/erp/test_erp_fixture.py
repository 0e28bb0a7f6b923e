"""The ERP fixture is the ERP's schema, and adoption leaves its tables alone."""

from __future__ import annotations

import asyncpg


async def test_erp_fixture_has_the_erp_shapes(erp_dsn: str) -> None:
    conn = await asyncpg.connect(erp_dsn)
    try:
        width = await conn.fetchval(
            "SELECT character_maximum_length FROM information_schema.columns"
            " WHERE table_name = 'equipment_status_log' AND column_name = 'status'"
        )
        assert width == 20  # the ERP's VARCHAR(20), too short for NON_PRODUCTIVE_BREAKDOWN
        new_id = await conn.fetchval("SELECT uuid_generate_v7()")
        assert new_id.version == 7
    finally:
        await conn.close()


async def test_adopted_database_keeps_its_tables_in_public(adopted_dsn: str) -> None:
    conn = await asyncpg.connect(adopted_dsn)
    try:
        history = await conn.fetch("SELECT version FROM floorwatch.floorwatch_schema_history")
        assert history[0]["version"] == 1
        tables = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'floorwatch'"
            " AND tablename IN ('tenants', 'production_runs')"
        )
        assert tables == 0  # floorwatch created no table of the ERP's names
    finally:
        await conn.close()
