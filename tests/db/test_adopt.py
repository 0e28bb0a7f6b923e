"""`floorwatch migrate` on the ERP's own database (README: Run it on your ERP database):
detection, --adopt (--dry-run), the CONCURRENTLY indexes, the ERP's rows and roles untouched,
--unadopt, on the real embedded PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import pytest
from adopt_support import ERP_ROWS, execute, fetchval, refusal, row_sums, run_migrate, schema_dump

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from databases import create_database, erp_schema_sql
from floorwatch.db import adopt, adopt_detect
from floorwatch.db.embedded import EmbeddedServer
from logins import Logins

INDEXES = {  # what V003 must build: the panel queries' access paths
    "floorwatch_production_runs_facility_status": (
        "production_runs (tenant_id, facility_id, status)"
    ),
    "floorwatch_production_runs_facility_end": (
        "production_runs (tenant_id, facility_id, actual_end)"
    ),
    "floorwatch_oee_calculations_facility_date": (
        "oee_calculations (tenant_id, facility_id, calculation_date)"
    ),
    "floorwatch_equipment_status_log_facility_end": (
        "equipment_status_log (tenant_id, facility_id, status_end)"
    ),
    "floorwatch_equipment_status_log_work_center_start": (
        "equipment_status_log (work_center_id, status_start)"
    ),
}


async def floorwatch_indexes(dsn: str) -> dict[str, tuple[str, bool]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT c.relname, pg_get_indexdef(c.oid) AS def, i.indisvalid FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'floorwatch\\_%'"
            "   AND c.relnamespace = 'public'::regnamespace"
        )
    finally:
        await conn.close()
    return {r["relname"]: (r["def"], r["indisvalid"]) for r in rows}


async def snapshot(dsn: str) -> tuple[str, dict]:
    return await schema_dump(dsn), await row_sums(dsn)


async def test_migrate_on_the_erp_database_offers_adoption_and_changes_nothing(
    erp_dsn: str, tmp_path: Path
) -> None:
    await execute(erp_dsn, ERP_ROWS)
    before = await snapshot(erp_dsn)
    # the real command, as a new user would run it (it failed with DuplicateTableError)
    result = await asyncio.to_thread(
        floorwatch, "migrate", "--dsn", erp_dsn, env=clean_env(tmp_path)
    )
    assert_clean_failure(result)
    assert "floorwatch migrate --adopt --dry-run" in result.err
    assert "floorwatch migrate --adopt`" in result.err
    assert "DuplicateTable" not in result.err
    assert await snapshot(erp_dsn) == before
    assert await fetchval(erp_dsn, "SELECT to_regnamespace('floorwatch')") is None
    plan = await asyncio.to_thread(
        floorwatch, "migrate", "--adopt", "--dry-run", "--dsn", erp_dsn, env=clean_env(tmp_path)
    )
    assert plan.code == 0 and plan.err == "", plan
    assert "V003 erp indexes: builds 5 indexes CONCURRENTLY" in plan.out
    assert await snapshot(erp_dsn) == before


async def test_adopt_dry_run_prints_the_plan_and_changes_nothing(
    erp_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await execute(erp_dsn, ERP_ROWS)
    before = await snapshot(erp_dsn)
    assert await run_migrate(erp_dsn, "adopt", dry_run=True) == 0
    out = capsys.readouterr().out
    assert await snapshot(erp_dsn) == before
    assert await fetchval(erp_dsn, "SELECT to_regnamespace('floorwatch')") is None
    assert re.search(
        r"^  V001 floorwatch schema: creates in schema floorwatch: .*function", out, re.M
    )
    assert (
        "tables floorwatch_login_tenants, shift_patterns" in out and "role floorwatch_reader" in out
    )
    assert re.search(r"^  V003 erp indexes: builds 5 indexes CONCURRENTLY", out, re.M)
    for name, on in INDEXES.items():
        table, columns = on.split(" ", 1)
        assert f"      {name} ON public.{table} {columns}\n" in out
    assert "nothing changed (dry run)" in out


async def test_adopt_keeps_every_erp_row_and_builds_only_the_indexes(
    erp_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await execute(erp_dsn, ERP_ROWS)
    rows_before = await row_sums(erp_dsn)
    erp_catalogue = await schema_dump(erp_dsn, "--exclude-schema=floorwatch")
    assert await run_migrate(erp_dsn, "adopt") == 0
    out = capsys.readouterr().out
    assert "applied adoption step V001 floorwatch schema" in out
    assert "applied adoption step V003 erp indexes" in out
    assert await row_sums(erp_dsn) == rows_before  # counts, values, ctid and xmin
    assert rows_before["production_runs"][0] == 2 and rows_before["equipment_status_log"][0] == 2
    # outside schema floorwatch the catalogue gained the five indexes and nothing else
    after = await schema_dump(erp_dsn, "--exclude-schema=floorwatch")
    added = sorted(set(after.splitlines()) - set(erp_catalogue.splitlines()))
    removed = set(erp_catalogue.splitlines()) - set(after.splitlines())
    assert removed == set()
    expected = []
    for name, on in INDEXES.items():
        table, columns = on.split(" ", 1)
        expected.append(f"CREATE INDEX {name} ON public.{table} USING btree {columns};")
    assert [line for line in added if line.strip() and not line.startswith("--")] == sorted(
        expected
    )
    found = await floorwatch_indexes(erp_dsn)
    assert set(found) == set(INDEXES) and all(valid for _d, valid in found.values())
    history = await fetchval(
        erp_dsn,
        "SELECT array_agg(version ORDER BY version) FROM floorwatch.floorwatch_schema_history",
    )
    assert history == [s.version for s in adopt.load_steps()]


async def test_adopt_twice_is_a_no_op_and_plain_migrate_too(
    adopted_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await snapshot(adopted_dsn)
    assert await run_migrate(adopted_dsn, "adopt") == 0
    assert await run_migrate(adopted_dsn) == 0  # an adopted database: pending steps, none here
    out = capsys.readouterr().out
    assert out.count("every adoption step applied; nothing to do") == 2
    assert await snapshot(adopted_dsn) == before
    assert await run_migrate(adopted_dsn, "status") == 0
    assert capsys.readouterr().out.splitlines() == [
        *(f"V{s.version:03d}  applied  adopt/{s.path.name}" for s in adopt.load_steps()),
        "V901  optional adopt/optional/V901__erp_status_width.sql (--fix-erp-status)",
    ]


async def test_adopt_dry_run_on_an_adopted_database_changes_nothing(
    adopted_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await execute(adopted_dsn, ERP_ROWS)
    await execute(adopted_dsn, "DELETE FROM floorwatch.floorwatch_schema_history WHERE version = 3")
    before = await snapshot(adopted_dsn)
    assert await run_migrate(adopted_dsn, "adopt", dry_run=True) == 0
    out = capsys.readouterr().out
    assert "1 adoption step pending" in out and "(exists: kept)" in out
    assert await snapshot(adopted_dsn) == before


async def test_plain_migrate_applies_a_pending_adoption_step(
    adopted_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # as after an upgrade of floorwatch that brings a new step: here V003, undone by hand
    await execute(adopted_dsn, "DELETE FROM floorwatch.floorwatch_schema_history WHERE version = 3")
    for name in INDEXES:
        await execute(adopted_dsn, f"DROP INDEX {name}")
    assert await run_migrate(adopted_dsn) == 0
    assert "applied adoption step V003 erp indexes" in capsys.readouterr().out
    assert set(await floorwatch_indexes(adopted_dsn)) == set(INDEXES)


async def test_an_invalid_index_left_by_an_interrupted_build_is_built_again(erp_dsn: str) -> None:
    await execute(erp_dsn, ERP_ROWS)
    # a CONCURRENTLY build that fails part way leaves its index INVALID; IF NOT EXISTS keeps it
    name = "floorwatch_production_runs_facility_end"
    with pytest.raises(asyncpg.UniqueViolationError):
        await execute(
            erp_dsn, f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON production_runs (tenant_id)"
        )
    assert (await floorwatch_indexes(erp_dsn))[name][1] is False
    assert await run_migrate(erp_dsn, "adopt") == 0
    definition, valid = (await floorwatch_indexes(erp_dsn))[name]
    assert valid and "(tenant_id, facility_id, actual_end)" in definition
    assert "UNIQUE" not in definition


async def test_an_index_gone_invalid_after_adoption_is_rebuilt_by_migrate(
    adopted_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await execute(adopted_dsn, ERP_ROWS)
    name = "floorwatch_equipment_status_log_facility_end"
    await execute(adopted_dsn, f"DROP INDEX {name}")
    with pytest.raises(asyncpg.UniqueViolationError):
        await execute(
            adopted_dsn,
            f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON equipment_status_log (tenant_id)",
        )
    assert await run_migrate(adopted_dsn) == 0
    assert f"rebuilt index {name}" in capsys.readouterr().out
    definition, valid = (await floorwatch_indexes(adopted_dsn))[name]
    assert valid and "(tenant_id, facility_id, status_end)" in definition


async def test_an_erp_role_that_is_not_the_owner_writes_as_before(
    erp_dsn: str, admin_dsn: str
) -> None:
    await execute(erp_dsn, ERP_ROWS)
    admin = await asyncpg.connect(erp_dsn)
    logins = Logins(admin, erp_dsn)
    try:
        erp_app = await logins.create(prefix="erp_app")
        await admin.execute(
            f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {erp_app}"
        )

        async def write_as_the_erp(n: int) -> None:
            conn = await logins.connect(erp_app)
            try:
                run = await conn.fetchval(
                    "INSERT INTO production_runs (tenant_id, facility_id, production_run_number,"
                    " production_order_id, work_center_id, operation_id, actual_start, status)"
                    f" SELECT tenant_id, facility_id, 'RUN-X{n}', production_order_id,"
                    "        work_center_id, operation_id, now(), 'IN_PROGRESS'"
                    " FROM production_runs WHERE production_run_number = 'RUN-1' RETURNING id"
                )
                await conn.execute(
                    "UPDATE production_runs SET quantity_good = 10, updated_at = now()"
                    " WHERE id = $1",
                    run,
                )
                state = await conn.fetchval(
                    "INSERT INTO equipment_status_log (tenant_id, facility_id, work_center_id,"
                    " status, status_start, production_run_id)"
                    " SELECT tenant_id, facility_id, work_center_id, 'PRODUCTIVE', now(), id"
                    " FROM production_runs WHERE id = $1 RETURNING id",
                    run,
                )
                await conn.execute(
                    "UPDATE equipment_status_log SET status_end = now() WHERE id = $1", state
                )
            finally:
                await conn.close()

        await write_as_the_erp(1)
        await run_migrate(erp_dsn, "adopt")
        await write_as_the_erp(2)  # no RLS, trigger or constraint of floorwatch's stops it
        count = await admin.fetchval(
            "SELECT count(*) FROM production_runs WHERE production_run_number LIKE 'RUN-X%'"
            " AND quantity_good = 10"
        )
        assert count == 2
        assert (
            await admin.fetchval(
                "SELECT count(*) FROM pg_class"
                " WHERE relrowsecurity AND relnamespace = 'public'::regnamespace"
            )
            == 0
        )
    finally:
        await admin.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + logins.created[0])
        await logins.close()
        await admin.close()


async def test_unadopt_leaves_the_erp_schema_as_it_was_and_adopt_works_again(
    erp_dsn: str, db_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # db_dsn: a native floorwatch database on the same server, whose grants use floorwatch_reader
    await execute(erp_dsn, ERP_ROWS)
    before = await snapshot(erp_dsn)
    await run_migrate(erp_dsn, "adopt")
    assert await run_migrate(erp_dsn, "unadopt", dry_run=True) == 0
    plan = capsys.readouterr().out
    assert "drop index floorwatch_production_runs_facility_end ON public.production_runs" in plan
    assert "drop schema floorwatch (CASCADE), holding:" in plan and "table shift_patterns" in plan
    assert "keep role floorwatch_reader" in plan
    assert await fetchval(erp_dsn, "SELECT to_regnamespace('floorwatch') IS NOT NULL")
    assert await run_migrate(erp_dsn, "unadopt") == 0
    out = capsys.readouterr().out
    assert "kept role floorwatch_reader: it holds privileges in" in out
    login = await fetchval(erp_dsn, "SELECT current_user")
    assert f"revoked floorwatch_reader from {login}" in out  # adoption's grant, taken back
    assert await snapshot(erp_dsn) == before
    assert await run_migrate(erp_dsn, "adopt") == 0
    assert set(await floorwatch_indexes(erp_dsn)) == set(INDEXES)


async def test_unadopt_drops_the_reader_role_nothing_else_uses(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "own")  # its own server: no other database uses the role
    await asyncio.to_thread(server.start)
    try:
        dsn = await create_database(server.admin_dsn(), "fw_erp")
        await execute(dsn, erp_schema_sql())
        await run_migrate(dsn, "adopt")
        assert (
            await fetchval(dsn, "SELECT count(*) FROM pg_roles WHERE rolname = 'floorwatch_reader'")
            == 1
        )
        await run_migrate(dsn, "unadopt")
        assert (
            await fetchval(dsn, "SELECT count(*) FROM pg_roles WHERE rolname = 'floorwatch_reader'")
            == 0
        )
    finally:
        await asyncio.to_thread(server.stop)


async def test_unadopt_and_adopt_refuse_on_floorwatch_own_schema(db_dsn: str) -> None:
    before = await schema_dump(db_dsn)
    assert "only what --adopt added" in await refusal(db_dsn, "unadopt")
    assert "only what --adopt added" in await refusal(db_dsn, "unadopt", dry_run=True)
    assert "nothing to adopt" in await refusal(db_dsn, "adopt", dry_run=True)
    assert "nothing to adopt" in await refusal(db_dsn, "adopt")
    assert "--fix-erp-status is for an adopted ERP database" in await refusal(
        db_dsn, "fix-erp-status"
    )
    assert await schema_dump(db_dsn) == before


async def test_unadopt_on_an_erp_database_never_adopted_refuses(erp_dsn: str) -> None:
    assert "has not adopted this database" in await refusal(erp_dsn, "unadopt")


async def test_some_plant_tables_are_named_in_one_line(erp_dsn: str) -> None:
    await execute(erp_dsn, "DROP TABLE oee_calculations")
    message = await refusal(erp_dsn)
    assert "holds 7 of the eight plant tables (missing: oee_calculations)" in message
    assert message == await refusal(erp_dsn, "adopt", dry_run=True)


async def test_erp_tables_lacking_columns_are_named_and_nothing_changes(erp_dsn: str) -> None:
    await execute(
        erp_dsn,
        "ALTER TABLE production_runs DROP COLUMN quantity_rework;"
        " ALTER TABLE oee_calculations DROP COLUMN breakdown_minutes",
    )
    before = await schema_dump(erp_dsn)
    for action in ("migrate", "adopt"):
        message = await refusal(erp_dsn, action)
        assert "production_runs.quantity_rework, oee_calculations.breakdown_minutes" in message
    assert await schema_dump(erp_dsn) == before


async def test_adopt_by_a_login_that_does_not_own_the_erp_tables_is_refused(erp_dsn: str) -> None:
    admin = await asyncpg.connect(erp_dsn)
    logins = Logins(admin, erp_dsn)
    try:
        login = await logins.create(prefix="fw_notowner")
        message = await refusal(logins.dsn_of(login), "adopt")
        assert (
            f"{login} does not own equipment_status_log, oee_calculations, production_runs"
            in message
        )
    finally:
        await logins.close()
        await admin.close()


async def test_every_erp_column_floorwatch_views_read_is_validated(adopted_dsn: str) -> None:
    """adopt_detect.REQUIRED_COLUMNS must name every column of the ERP's that adoption's views read
    (else an ERP lacking one fails mid-adoption instead of with the one line)."""
    read = await fetchval(
        adopted_dsn,
        "SELECT coalesce(array_agg(DISTINCT t.relname || '.' || a.attname), '{}')"
        " FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid"
        " JOIN pg_class v ON v.oid = r.ev_class AND v.relnamespace = 'floorwatch'::regnamespace"
        " JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = 'public'::regnamespace"
        " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
        " WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjsubid > 0",
    )
    required = {f"{t}.{c}" for t, cols in adopt_detect.REQUIRED_COLUMNS.items() for c in cols}
    assert set(read) - required == set()


def test_dry_run_goes_with_an_adoption_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from floorwatch.cli import main

    assert main(["migrate", "--dry-run", "--dsn", "postgresql://nobody@/nowhere"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("floorwatch: --dry-run goes with --adopt, --unadopt or --fix-erp-status")
    with pytest.raises(SystemExit) as caught:
        main(["migrate", "--adopt", "--unadopt"])
    assert caught.value.code == 2


def test_readme_names_every_index_adoption_builds() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Run it on your ERP database", 1)[1].split("\n## ", 1)[0]
    text = " ".join(section.split())  # the README wraps lines inside the backticks
    indexes = adopt.step_indexes(adopt.load_steps())
    assert len(indexes) == len(INDEXES) == 5
    for index in indexes:
        assert f"`({index.columns})`" in text, index.name


async def test_a_schema_floorwatch_of_someone_else_is_neither_adopted_nor_dropped(
    erp_dsn: str,
) -> None:
    await execute(erp_dsn, "CREATE SCHEMA floorwatch; CREATE TABLE floorwatch.theirs (x int)")
    before = await schema_dump(erp_dsn)
    assert "is not floorwatch's" in await refusal(erp_dsn, "adopt")
    assert "is not floorwatch's" in await refusal(erp_dsn, "unadopt")
    assert await schema_dump(erp_dsn) == before


async def test_erp_tables_in_a_schema_of_their_own_are_found_and_adopted_there(
    admin_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dsn = await create_database(admin_dsn, "fw_erp_own")
    await execute(dsn, "CREATE SCHEMA erp; SET search_path = erp;\n" + erp_schema_sql())
    before = await schema_dump(dsn)
    assert "(schema erp)" in await refusal(dsn)
    assert await run_migrate(dsn, "adopt") == 0
    indexed = await fetchval(
        dsn,
        "SELECT array_agg(DISTINCT n.nspname) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname LIKE 'floorwatch\\_%'"
        "   AND c.relkind = 'i' AND n.nspname <> 'floorwatch'",
    )
    assert indexed == ["erp"]
    assert await fetchval(dsn, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0
    await run_migrate(dsn, "unadopt")
    assert await schema_dump(dsn) == before


async def test_the_erp_tables_owner_adopts_and_unadopts_without_being_a_superuser(
    admin_dsn: str, db_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # db_dsn: floorwatch's own schema elsewhere on the server, so floorwatch_reader stays
    admin = await asyncpg.connect(admin_dsn)
    logins = Logins(admin, admin_dsn)
    dsn = database = None
    try:
        owner = await logins.create(prefix="erp_owner")
        dsn = await create_database(admin_dsn, "fw_erp_owned")
        database = urlsplit(dsn).path.lstrip("/")
        await admin.execute(f'ALTER DATABASE "{database}" OWNER TO {owner}')
        as_owner = logins.dsn_of(owner, dsn)
        await execute(as_owner, erp_schema_sql() + ERP_ROWS)
        before = await snapshot(dsn)
        assert await run_migrate(as_owner, "adopt") == 0
        assert set(await floorwatch_indexes(dsn)) == set(INDEXES)
        assert await run_migrate(as_owner, "unadopt") == 0
        out = capsys.readouterr().out
        assert "kept role floorwatch_reader: it holds privileges in" in out
        assert await snapshot(dsn) == before
    finally:
        if dsn:
            await execute(dsn, f"DROP OWNED BY {logins.created[0]}")
            await admin.execute(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER')
        await logins.close()
        await admin.close()


async def test_status_on_an_erp_database_lists_the_adoption_steps_pending(
    erp_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_migrate(erp_dsn, "status") == 1  # pending: degraded, as for migrations
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "V001  pending  adopt/V001__floorwatch_schema.sql"
    assert (
        lines[-1] == "V901  optional adopt/optional/V901__erp_status_width.sql (--fix-erp-status)"
    )


async def test_the_empty_history_a_failed_migrate_left_is_still_offered_adoption(
    erp_dsn: str,
) -> None:
    # what `floorwatch migrate` left before it knew ERP databases: its history table, created
    # before the first migration failed with DuplicateTableError, and empty
    await execute(erp_dsn, migrate_history_ddl())
    assert "floorwatch migrate --adopt --dry-run" in await refusal(erp_dsn)
    assert await run_migrate(erp_dsn, "adopt") == 0
    conn = await asyncpg.connect(erp_dsn)
    try:
        assert (await adopt_detect.detect(conn)).kind == "adopted"
    finally:
        await conn.close()


def migrate_history_ddl() -> str:
    return (
        "CREATE TABLE floorwatch_schema_history (version integer PRIMARY KEY, description text"
        " NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
        " execution_ms integer NOT NULL)"
    )
