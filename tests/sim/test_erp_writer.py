"""The simulator on the ERP's own tables (sim/erp_writer.py): the same plant as natively,
written through the ERP's columns, statuses cut to a VARCHAR(20) as a truncating client cuts
them (whole once widened), an ERP role's own writes unaffected, and `demo --erp-schema`'s
embedded database created, adopted and seeded."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import asyncpg
from sim_support import UNTIL, migrated_database

from floorwatch.cli import build_parser
from floorwatch.db import adopt, embedded
from floorwatch.db.bootstrap import prepare_embedded_erp, start_embedded
from floorwatch.db.dsn import Target
from floorwatch.db.pool import Database, create_pool
from floorwatch.db.queries import read_directory, work_center_summaries
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.domain.models import EquipmentState
from floorwatch.sim import SimOptions, simulate
from floorwatch.sim.demo import seed_demo
from floorwatch.sim.erp_writer import staging_type
from floorwatch.sim.live import LiveEngine
from floorwatch.sim.plant import build_layout
from floorwatch.sim.rows import COLUMNS

# Two tenants with two facilities each: the work-center codes (and so the native run and order
# numbers) repeat across facilities and tenants, which the ERP's global UNIQUE refuses.
OPTIONS = SimOptions(seed=5, backfill_days=1, tenants=2, facilities=2, work_centers=3, until=UNTIL)
LIVE_UNTIL = UNTIL + timedelta(hours=2)
TABLES = PLANT_TABLES
DOCUMENTED = {s.value for s in EquipmentState}


async def _write(dsn: str) -> None:
    """A backfill, then live ticks up to a fixed simulated time (the clock does not move, so
    the rows written do not depend on how many ticks run)."""
    await simulate(dsn, OPTIONS)
    conn = await asyncpg.connect(dsn)
    try:
        facilities = [
            (r["tenant_id"], r["id"])
            for r in await conn.fetch("SELECT tenant_id, id FROM public.facilities ORDER BY id")
        ]
    finally:
        await conn.close()
    engine = LiveEngine(dsn, facilities, lambda: LIVE_UNTIL, tick_s=0.05)  # type: ignore[arg-type]
    await engine.run_for(0.5)
    assert sum(engine.report.updated.values()) > 0


async def _ids(dsn: str) -> dict[str, list[object]]:
    conn = await asyncpg.connect(dsn)
    try:
        return {
            t: [r[0] for r in await conn.fetch(f"SELECT id FROM {t} ORDER BY id")] for t in TABLES
        }
    finally:
        await conn.close()


async def test_the_erp_tables_get_the_plant_the_native_writer_writes(
    admin_dsn: str, adopted_dsn: str
) -> None:
    native = await migrated_database(admin_dsn)
    await _write(native)
    await _write(adopted_dsn)
    native_ids, erp_ids = await _ids(native), await _ids(adopted_dsn)
    for table in TABLES:
        assert erp_ids[table] == native_ids[table], table  # same rows (same ids), none lost
    assert len(erp_ids["facilities"]) == 4 and len(erp_ids["production_runs"]) > 50

    conn = await asyncpg.connect(adopted_dsn)
    try:
        # the ERP's NOT NULL columns have honest values
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM facilities WHERE facility_type = 'MANUFACTURING'"
                " AND address_line1 <> '' AND city <> '' AND postal_code <> '' AND country <> ''"
            )
            == 4
        )
        users = await conn.fetchrow(
            "SELECT count(*) AS n, count(DISTINCT username) AS names,"
            " count(DISTINCT email) AS emails, count(default_facility_id) AS placed FROM users"
        )
        assert users["n"] == users["names"] == users["emails"] == users["placed"] > 0
        assert (
            await conn.fetchval("SELECT count(*) FROM production_orders WHERE product_id IS NULL")
            == 0
        )
        # every run has an order and the operation of its work center's kind
        assert await conn.fetchval(
            "SELECT count(*) FROM production_runs r JOIN work_centers w ON w.id = r.work_center_id"
            " JOIN operations o ON o.id = r.operation_id AND o.tenant_id = r.tenant_id"
            " JOIN production_orders p ON p.id = r.production_order_id"
            " WHERE o.operation_type = w.work_center_type"
        ) == len(erp_ids["production_runs"])
        # run numbers unique across the table, prefixed once with tenant and facility codes
        numbers = await conn.fetch(
            "SELECT r.production_run_number AS n, t.tenant_code || '-' || f.facility_code AS p"
            " FROM production_runs r JOIN tenants t ON t.id = r.tenant_id"
            " JOIN facilities f ON f.id = r.facility_id"
        )
        assert len({r["n"] for r in numbers}) == len(numbers)
        assert all(r["n"].startswith(r["p"] + "-") and r["n"].count(r["p"]) == 1 for r in numbers)
        # VARCHAR(20): the statuses as a truncating client leaves them
        stored = {
            r[0] for r in await conn.fetch("SELECT DISTINCT status FROM equipment_status_log")
        }
        assert stored == {s[:20] for s in DOCUMENTED}
        assert "NON_PRODUCTIVE_BREAK" in stored
        # loss columns: the downtime split as simulated; each of the four parts is rounded to
        # 0.01 min, so they add up to the (rounded) downtime within 4 x 0.005 = 0.02 min
        oee = await conn.fetchrow(
            "SELECT count(*) AS n,"
            " count(*) FILTER (WHERE quality_loss_pieces = defective_pieces) AS quality,"
            " count(speed_loss_minutes) AS speed,"
            " count(*) FILTER (WHERE abs(setup_changeover_minutes + breakdown_minutes"
            "   + no_operator_minutes + no_material_minutes - downtime) <= 0.02) AS split,"
            " sum(breakdown_minutes) AS breakdown, sum(setup_changeover_minutes) AS setup"
            " FROM oee_calculations"
        )
        assert oee["quality"] == oee["speed"] == oee["split"] == oee["n"] > 0
        assert oee["breakdown"] > 0 and oee["setup"] > 0
        # the facilities' shift patterns (06:00 / 8 h and 07:00 / 12 h) in floorwatch's table
        patterns = await conn.fetch(
            "SELECT f.facility_code, p.first_shift_start, p.shift_length_hours"
            " FROM floorwatch.shift_patterns p JOIN facilities f ON f.id = p.facility_id"
        )
        assert sorted((r[0], r[1].isoformat(), r[2]) for r in patterns) == [
            ("PLANT1", "06:00:00", 8), ("PLANT1", "06:00:00", 8),
            ("PLANT2", "07:00:00", 12), ("PLANT2", "07:00:00", 12),
        ]  # fmt: skip
    finally:
        await conn.close()


async def test_statuses_are_whole_once_the_columns_are_widened(erp_dsn: str) -> None:
    conn = await asyncpg.connect(erp_dsn)
    try:
        await conn.execute(
            "ALTER TABLE equipment_status_log ALTER status TYPE varchar(40),"
            " ALTER previous_status TYPE varchar(40)"
        )
        await simulate(erp_dsn, OPTIONS.model_copy(update={"tenants": 1, "facilities": 1}))
        stored = {
            r[0] for r in await conn.fetch("SELECT DISTINCT status FROM equipment_status_log")
        }
        previous = {
            r[0]
            for r in await conn.fetch(
                "SELECT DISTINCT previous_status FROM equipment_status_log"
                " WHERE previous_status IS NOT NULL"
            )
        }
    finally:
        await conn.close()
    assert stored == previous == DOCUMENTED


async def test_an_erp_role_writes_alongside_the_simulator(erp_dsn: str) -> None:
    role = f"fw_erp_app_{uuid.uuid4().hex[:8]}"  # roles are the server's: one per run
    options = OPTIONS.model_copy(update={"tenants": 1, "facilities": 1})
    await simulate(erp_dsn, options)
    conn = await asyncpg.connect(erp_dsn)
    try:
        await conn.execute(
            f"CREATE ROLE {role} NOLOGIN;"
            f" GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        facility = await conn.fetchrow("SELECT tenant_id, id FROM facilities")
        async with conn.transaction():
            await conn.execute(f"SET LOCAL ROLE {role}")
            run = await conn.fetchrow(
                "SELECT id, work_center_id FROM production_runs ORDER BY production_run_number"
                " LIMIT 1"
            )
            await conn.execute(
                "UPDATE production_runs SET operator_notes = 'checked by the ERP' WHERE id = $1",
                run["id"],
            )
            await conn.execute(
                "INSERT INTO equipment_status_log (tenant_id, facility_id, work_center_id,"
                " status, status_start, status_end, reason_description)"
                " VALUES ($1, $2, $3, 'PRODUCTIVE', $4, $4, 'entered in the ERP')",
                facility["tenant_id"],
                facility["id"],
                run["work_center_id"],
                UNTIL - timedelta(days=30),
            )
        # the same seed again, live: resumes the plant from the ERP's tables
        report = await simulate(erp_dsn, options.model_copy(update={"duration": 0.3}))
        assert report.resumed == [options_code(options)] and sum(report.updated.values()) > 0
        assert (
            await conn.fetchval(
                "SELECT operator_notes FROM production_runs WHERE id = $1", run["id"]
            )
            == "checked by the ERP"
        )
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM equipment_status_log"
                " WHERE reason_description = 'entered in the ERP'"
            )
            == 1
        )
    finally:
        await conn.execute(f"DROP OWNED BY {role}; DROP ROLE {role}")
        await conn.close()


def options_code(options: SimOptions) -> str:
    return build_layout(options)[0].code


def test_demo_takes_an_erp_schema_flag() -> None:
    assert build_parser().parse_args(["demo", "--erp-schema"]).erp_schema is True
    assert build_parser().parse_args(["demo"]).erp_schema is False


async def test_demo_erp_schema_creates_adopts_and_seeds_its_database(tmp_path: Path) -> None:
    server = start_embedded(tmp_path / "data")
    try:
        demo = await prepare_embedded_erp(server, seed=seed_demo)
        again = await prepare_embedded_erp(server, seed=seed_demo)  # once: not seeded again
        assert demo.target.dsn == again.target.dsn == server.dsn(embedded.ERP_DATABASE)
        conn = await asyncpg.connect(again.target.dsn)
        try:
            assert await adopt.is_adopted(conn)
            assert await conn.fetchval("SELECT count(*) FROM public.facilities") == 1
            assert await conn.fetchval("SELECT count(*) FROM public.work_centers") == 12
            seeded = await conn.fetchval("SELECT count(*) FROM public.equipment_status_log")
            assert seeded > 100
            # a database of its own: the native demo's is not even created
            assert not await conn.fetchval(
                "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
                embedded.DEFAULT_DATABASE,
            )
        finally:
            await conn.close()
        reset = await prepare_embedded_erp(server, seed=None, reset=True)
        conn = await asyncpg.connect(reset.target.dsn)
        try:  # recreated: the ERP's tables and floorwatch's schema, no plant yet
            assert await conn.fetchval("SELECT count(*) FROM public.facilities") == 0
            assert await adopt.is_adopted(conn)
        finally:
            await conn.close()
    finally:
        server.stop()


async def test_the_monitor_reads_what_the_erp_writer_wrote(adopted_dsn: str) -> None:
    options = OPTIONS.model_copy(update={"tenants": 1, "facilities": 1})
    await simulate(adopted_dsn, options)
    pool = await create_pool(Target(adopted_dsn, "flag"))
    try:
        async with pool.acquire() as conn:
            scopes = await read_directory(conn)
        assert len(scopes) == 1
        db = Database(pool)
        rows = await work_center_summaries(db, scopes[0], UNTIL)
        assert len(rows) == 3
        # the cut statuses read as the documented ones
        status = await db.fetch(
            scopes[0].tenant_id, "SELECT DISTINCT status FROM equipment_status_log"
        )
        assert {r[0] for r in status} == DOCUMENTED
    finally:
        await pool.close()


async def test_the_staging_tables_have_the_native_column_types(db_dsn: str) -> None:
    """The staging columns' types (erp_writer.staging_type, by name) are the native schema's, so a
    native record COPYs into them unchanged (numeric precision aside)."""
    conn = await asyncpg.connect(db_dsn)
    try:
        for table in TABLES:
            native = dict(
                await conn.fetch(
                    "SELECT attname, split_part(format_type(atttypid, atttypmod), '(', 1)"
                    " FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0",
                    table,
                )
            )
            for column in COLUMNS[table]:
                expected = native[column].replace("timestamp with time zone", "timestamptz")
                expected = expected.replace("time without time zone", "time")
                assert staging_type(column).split("(")[0] == expected, (table, column)
    finally:
        await conn.close()
