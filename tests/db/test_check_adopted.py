"""`floorwatch check` on an adopted ERP database (through the CLI in a subprocess): its mode and
adoption version, shift patterns reported as assumptions until `floorwatch shifts` sets them,
the views' boundary (security_barrier, no reader privilege on the ERP's tables), floorwatch's
indexes, the rows the views leave out; and a plain ERP database is pointed at `--adopt`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg
import pytest

from adopted_support import ensure_view, erp_facility, erp_tenant
from cli_helpers import Result, assert_clean_failure, clean_env, floorwatch
from floorwatch.db import adopt, grants, migrate
from floorwatch.db.bootstrap import require_schema
from floorwatch.db.dsn import Target
from floorwatch.db.pool import connect
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.errors import UserError
from logins import Logins

ADOPT_VERSION = migrate.load_migrations(adopt.adopt_dir())[-1].version


async def fw(*args: str, tmp: Path) -> Result:
    return await asyncio.to_thread(floorwatch, *args, env=clean_env(tmp))


async def check_json(dsn: str, tmp: Path) -> tuple[int, dict]:
    r = await fw("check", "--json", "--dsn", dsn, tmp=tmp)
    assert "Traceback" not in r.both, r
    return r.code, json.loads(r.out)


async def _sql(dsn: str, *statements: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture
async def acme(adopted_dsn: str) -> str:
    """The adopted database with the ERP's tenant ACME and its facility P1, no shift pattern."""
    conn = await asyncpg.connect(adopted_dsn)
    try:
        await erp_facility(conn, await erp_tenant(conn, "ACME"), "P1")
    finally:
        await conn.close()
    return adopted_dsn


async def test_check_reports_the_adopted_mode_and_its_version(acme: str, tmp_path: Path) -> None:
    code, report = await check_json(acme, tmp_path)
    assert report["mode"] == "adopted", report
    assert report["schema_version"] == ADOPT_VERSION
    assert report["pending_migrations"] == [] and report["changed_migrations"] == []
    assert report["rls"] == {}  # RLS stays off on the ERP's tables: not a problem here
    assert not [p for p in report["problems"] if "row-level security" in p], report
    views = report["boundary"]["views"]
    assert [v["name"] for v in views] == list(PLANT_TABLES)
    assert all(v["security_barrier"] for v in views if v["present"]), views
    missing = [v["name"] for v in views if not v["present"]]
    assert report["tables_missing"] == missing
    assert report["boundary"]["reader_privileges"] == []
    # every index the adoption steps name is there, valid
    assert report["indexes_missing"] == [] and all(i["valid"] for i in report["indexes"])
    assert all(i["name"].startswith("floorwatch_") for i in report["indexes"])
    if missing:  # before adopt V002 (the views) exists
        assert code == 2 and report["status"] == "unusable"

    text = await fw("check", "--dsn", acme, tmp=tmp_path)
    assert text.code == code, text
    assert f"schema version  {ADOPT_VERSION} (pending: none)" in text.out
    assert "mode            adopted" in text.out and "row security" not in text.out
    # the monitor polls there: said, not a problem
    assert report["push"].startswith("an adopted ERP database")
    assert "push refresh    off, polls only: an adopted ERP database" in text.out


async def test_a_shift_pattern_is_an_assumption_until_set(acme: str, tmp_path: Path) -> None:
    code, report = await check_json(acme, tmp_path)
    # no work center tells the ERP's shifts: 06:00, 8 h (24 / 8 = 3 shifts)
    assert report["assumptions"] == [
        "facility ACME/P1: shift pattern assumed: 3 x 8 h from 06:00 (set it with "
        "`floorwatch shifts --tenant ACME --facility P1 --first-start 06:00 --hours 8`)"
    ]
    assert not [p for p in report["problems"] if "shift" in p], report  # not a problem
    text = await fw("check", "--dsn", acme, tmp=tmp_path)
    assert "  ? facility ACME/P1: shift pattern assumed: 3 x 8 h from 06:00" in text.out, text

    r = await fw(
        "shifts", "--dsn", acme, "--facility", "P1", "--first-start", "06:00", "--hours", "8",
        tmp=tmp_path,
    )  # fmt: skip
    assert r.code == 0, r
    after, report = await check_json(acme, tmp_path)
    assert report["assumptions"] == [] and after == code, report


async def test_a_view_without_security_barrier_is_a_problem(acme: str, tmp_path: Path) -> None:
    await _sql_ensure_tenants_view(acme)
    _, report = await check_json(acme, tmp_path)
    assert not [p for p in report["problems"] if "security_barrier" in p], report

    await _sql(acme, "ALTER VIEW floorwatch.tenants SET (security_barrier = false)")
    code, report = await check_json(acme, tmp_path)
    (tenants,) = [v for v in report["boundary"]["views"] if v["name"] == "tenants"]
    assert tenants == {"name": "tenants", "present": True, "security_barrier": False}
    (problem,) = [p for p in report["problems"] if "security_barrier" in p]
    assert problem.startswith("view floorwatch.tenants is not a security_barrier view"), problem
    assert "ALTER VIEW floorwatch.tenants SET (security_barrier = true)" in problem
    assert code in (1, 2)  # degraded (2 while other views are still missing)


async def _sql_ensure_tenants_view(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await ensure_view(
            conn,
            "tenants",
            "SELECT id, tenant_code, tenant_name FROM public.tenants"
            " WHERE id = floorwatch.floorwatch_current_tenant()",
        )
    finally:
        await conn.close()


async def test_a_reader_privilege_on_an_erp_table_is_a_problem(acme: str, tmp_path: Path) -> None:
    _, report = await check_json(acme, tmp_path)
    assert not [p for p in report["problems"] if "floorwatch_reader has" in p], report

    await _sql(acme, "GRANT SELECT ON public.production_runs TO floorwatch_reader")
    code, report = await check_json(acme, tmp_path)
    assert report["boundary"]["reader_privileges"] == [
        {"table": "public.production_runs", "privilege": "SELECT", "to_public": False}
    ]
    (problem,) = [p for p in report["problems"] if "floorwatch_reader has" in p]
    assert problem.startswith(
        "floorwatch_reader has SELECT on the ERP's table public.production_runs"
    )
    assert problem.endswith("(REVOKE SELECT ON public.production_runs FROM floorwatch_reader)")
    assert code in (1, 2)

    # granted to PUBLIC, every role has it: that is the grant to take back
    await _sql(
        acme,
        "REVOKE SELECT ON public.production_runs FROM floorwatch_reader",
        "GRANT UPDATE (status) ON public.work_centers TO PUBLIC",
    )
    _, report = await check_json(acme, tmp_path)
    (problem,) = [p for p in report["problems"] if "floorwatch_reader has" in p]
    assert "UPDATE on the ERP's table public.work_centers" in problem
    assert problem.endswith("FROM PUBLIC)"), problem


async def test_an_invalid_floorwatch_index_is_a_problem(acme: str, tmp_path: Path) -> None:
    # an interrupted CREATE INDEX CONCURRENTLY leaves an invalid index; a failed unique build
    # does the same, deterministically (two tenants of one name)
    conn = await asyncpg.connect(acme)
    try:
        await erp_tenant(conn, "ACME2")
        await conn.execute("UPDATE public.tenants SET tenant_name = 'same'")
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(
                "CREATE UNIQUE INDEX CONCURRENTLY floorwatch_test_name ON public.tenants"
                " (tenant_name)"
            )
    finally:
        await conn.close()
    code, report = await check_json(acme, tmp_path)
    assert {"name": "floorwatch_test_name", "table": "tenants", "valid": False} in report["indexes"]
    assert (
        "invalid index floorwatch_test_name (an interrupted CREATE INDEX CONCURRENTLY leaves "
        "one): REINDEX INDEX CONCURRENTLY floorwatch_test_name"
    ) in report["problems"]
    assert code in (1, 2)


async def test_rows_the_views_leave_out_are_reported_not_degrading(
    acme: str, tmp_path: Path
) -> None:
    _, before = await check_json(acme, tmp_path)
    # three status rows of a state no documented one begins with ('NON_PRODUCTIVE_NO_' could be
    # either wait): the views leave them out, adopt V002's floorwatch.unreadable_rows() counts
    await _sql(
        acme,
        "INSERT INTO public.work_centers (tenant_id, facility_id, work_center_code,"
        " work_center_name, work_center_type)"
        " SELECT tenant_id, id, 'P-01', 'Press 1', 'OFFSET_PRESS' FROM public.facilities",
        "INSERT INTO public.equipment_status_log (tenant_id, facility_id, work_center_id, status,"
        " status_start, status_end)"
        " SELECT tenant_id, facility_id, id, 'NON_PRODUCTIVE_NO_', now() - k * interval '1 h',"
        " now() - k * interval '1 h' + interval '10 min'"
        " FROM public.work_centers, generate_series(1, 3) k",
    )
    code, report = await check_json(acme, tmp_path)
    # a count of 0 is not listed
    assert report["rows_left_out"] == [
        {"table": "equipment_status_log", "reason": "unknown equipment status", "rows": 3}
    ]
    assert report["problems"] == before["problems"] and code == report["exit_code"]
    text = await fw("check", "--dsn", acme, tmp=tmp_path)
    assert "    equipment_status_log         3 unknown equipment status" in text.out, text


async def test_native_check_says_native(db_dsn: str, tmp_path: Path) -> None:
    _, report = await check_json(db_dsn, tmp_path)
    assert report["mode"] == "native" and report["boundary"] is None
    assert report["assumptions"] == [] and report["rows_left_out"] == []
    assert set(report["rls"]) == set(PLANT_TABLES)
    assert report["push"] == "on"  # V009's change triggers


async def test_an_erp_database_not_adopted_is_pointed_at_adopt(
    erp_dsn: str, tmp_path: Path
) -> None:
    expected = "holds the ERP's tables but floorwatch has not adopted it: "
    expected += "`floorwatch migrate --adopt --dry-run` shows what adopting it would change"
    for command in (("check",), ("grant", "--list"), ("shifts",)):
        r = await fw(*command, "--dsn", erp_dsn, tmp=tmp_path)
        assert_clean_failure(r)
        assert r.err.strip().endswith(expected), r
    r = await fw("check", "--json", "--dsn", erp_dsn, tmp=tmp_path)
    assert_clean_failure(r)
    assert json.loads(r.out)["error"].endswith(expected)

    # also after `floorwatch migrate` failed on it before it could adopt (an empty history)
    await _sql(erp_dsn, "CREATE TABLE floorwatch_schema_history (version integer)")
    conn = await connect(Target(erp_dsn, "flag"))
    try:
        with pytest.raises(UserError, match="has not adopted it"):
            await require_schema(Target(erp_dsn, "flag"), conn)
    finally:
        await conn.close()


async def test_require_schema_on_each_kind_of_database(
    db_dsn: str, adopted_dsn: str, empty_dsn: str
) -> None:
    async def mode_of(dsn: str, **kw: bool) -> str:
        return (await require_schema(Target(dsn, "flag"), **kw)).kind

    assert await mode_of(db_dsn) == "native"
    assert await mode_of(adopted_dsn, reads=False) == "adopted"  # the admin commands
    with pytest.raises(UserError, match="run `floorwatch migrate` first"):
        await mode_of(empty_dsn)
    conn = await asyncpg.connect(adopted_dsn)
    try:
        views = await conn.fetchval(
            "SELECT count(*) FROM pg_class WHERE relkind = 'v'"
            " AND relnamespace = 'floorwatch'::regnamespace AND relname = ANY($1::text[])",
            list(PLANT_TABLES),
        )
    finally:
        await conn.close()
    if views == len(PLANT_TABLES):  # adopt V002 is there
        assert await mode_of(adopted_dsn) == "adopted"
    else:
        with pytest.raises(UserError, match=r"views are missing .*migrate --adopt`"):
            await mode_of(adopted_dsn)


async def test_check_as_the_monitors_login(acme: str, tmp_path: Path) -> None:
    """The monitor's own login may not read the shift patterns (they are the administrator's):
    a note says so instead of a list of assumptions; nothing fails."""
    conn = await asyncpg.connect(acme)
    logins = Logins(conn, acme)
    try:
        monitor = await logins.create("floorwatch_reader", prefix="fw_adopted_check")
        admin = await connect(Target(acme, "flag"))
        try:
            await grants.grant_tenant(admin, monitor, "ACME")
        finally:
            await admin.close()
        code, report = await check_json(logins.dsn_of(monitor), tmp_path)
    finally:
        await logins.close()
        await conn.close()
    assert report["mode"] == "adopted" and report["schema_version"] == ADOPT_VERSION, report
    assert report["assumptions"] == []
    assert report["notes"] == [
        f"login {monitor!r} may not read floorwatch.shift_patterns: run `floorwatch check` as "
        "the adopting login to see which facilities' shift patterns are assumed"
    ]
    if not report["tables_missing"]:  # with adopt V002's views: its one tenant is checked
        assert report["scope"] == "ACME/P1" and report["panels"], report
        assert code in (0, 1)


async def test_an_optional_adoption_step_is_a_note_not_the_version(
    acme: str, tmp_path: Path
) -> None:
    # `migrate --fix-erp-status` records its step (numbered apart) in the same history
    await _sql(
        acme,
        "INSERT INTO floorwatch.floorwatch_schema_history"
        " (version, description, checksum, execution_ms)"
        " VALUES (901, 'erp status width', 'x', 1)",
    )
    _, report = await check_json(acme, tmp_path)
    assert report["schema_version"] == ADOPT_VERSION and report["pending_migrations"] == []
    assert "optional adoption step(s) applied: V901 erp status width" in report["notes"]


async def test_an_assumed_pattern_is_the_one_the_directory_gives(acme: str, tmp_path: Path) -> None:
    """Adopt V002's directory gives the pattern the facilities view assumes (the ERP's shifts
    when its work centers' calendars tell them); a stand-in here says 07:00, 12 h for P1."""
    await _sql(
        acme,
        "DROP FUNCTION IF EXISTS floorwatch.floorwatch_directory()",
        "CREATE FUNCTION floorwatch.floorwatch_directory() RETURNS TABLE (tenant_id uuid,"
        " tenant_code text, tenant_name text, facility_id uuid, facility_code text,"
        " facility_name text, timezone text, first_shift_start time, shift_length_hours integer)"
        " LANGUAGE sql SECURITY DEFINER AS $$ SELECT t.id, t.tenant_code::text,"
        " t.tenant_name::text, f.id, f.facility_code::text, f.facility_name::text, 'UTC',"
        " '07:00'::time, 12"
        " FROM public.tenants t JOIN public.facilities f ON f.tenant_id = t.id $$",
    )
    _, report = await check_json(acme, tmp_path)
    # 24 / 12 = 2 shifts
    assert report["assumptions"] == [
        "facility ACME/P1: shift pattern assumed: 2 x 12 h from 07:00 (set it with "
        "`floorwatch shifts --tenant ACME --facility P1 --first-start 07:00 --hours 12`)"
    ]
