"""`floorwatch check` and `floorwatch grant` for real, non-superuser logins, through the CLI
in a subprocess: the monitor's own login, one without the reader membership, one granted no
tenant, a reader_role that does not exist, and granting/revoking by an administrator."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from login_plant import two_tenants
from plant_builder import PlantBuilder
from test_security import fill

from cli_helpers import Result, assert_clean_failure, clean_env, floorwatch
from databases import create_database
from floorwatch.db import grants, migrate
from logins import Logins


@dataclass
class Plant:
    dsn: str  # the test superuser's
    logins: Logins
    monitor: str  # member of floorwatch_reader, granted BETA only


@pytest.fixture(scope="module")
async def plant(admin_dsn: str) -> AsyncIterator[Plant]:
    async with two_tenants(admin_dsn, "fw_cli_logins") as made:
        monitor = await made.logins.create("floorwatch_reader", prefix="fw_mon")
        await grants.grant_tenant(made.logins.admin, monitor, "BETA")
        yield Plant(made.dsn, made.logins, monitor)


async def fw(*args: str, tmp: Path, tty: bool = False) -> Result:
    return await asyncio.to_thread(floorwatch, *args, env=clean_env(tmp), tty=tty)


async def directory_of(plant: Plant, login: str) -> list[str]:
    conn = await plant.logins.connect(login)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT tenant_code FROM floorwatch_directory() ORDER BY 1"
        )
    finally:
        await conn.close()
    return [r["tenant_code"] for r in rows]


def report_of(r: Result) -> dict:
    assert "Traceback" not in r.both, r
    return json.loads(r.out)


# ---------------------------------------------------------------------------------------------
# check


async def test_check_works_for_the_monitors_own_login(plant: Plant, tmp_path: Path) -> None:
    dsn = plant.logins.dsn_of(plant.monitor)
    r = await fw("check", "--json", "--dsn", dsn, tmp=tmp_path)
    report = report_of(r)
    assert r.code in (0, 1), r  # healthy, or degraded when a panel is slow on a busy machine
    assert report["schema_version"] == migrate.load_migrations()[-1].version
    assert report["pending_migrations"] == [] and report["tables_missing"] == []
    assert report["scope"] == "BETA/PLANT"  # its only tenant: ALPHA would come first otherwise
    assert report["panels"], report
    # the fixture's rows are from 2025: stale data is expected (tests/db/test_check_freshness.py)
    problems = [p for p in report["problems"] if not p.startswith("panel ")]
    assert len(problems) == 1, report
    assert problems[0].startswith("facility BETA/PLANT: stale data ("), report
    text = await fw("check", "--dsn", dsn, tmp=tmp_path)
    latest = migrate.load_migrations()[-1].version
    assert text.code == r.code and f"schema version  {latest} (pending: none)" in text.out, text
    assert "Traceback" not in text.both and text.err == "", text


async def test_check_names_the_missing_reader_membership(plant: Plant, tmp_path: Path) -> None:
    login = await plant.logins.create(prefix="fw_nomember")
    dsn = plant.logins.dsn_of(login)
    expected = f"login {login!r} is not a member of 'floorwatch_reader': "
    expected += f"GRANT floorwatch_reader TO {login}"
    r = await fw("check", "--dsn", dsn, tmp=tmp_path)
    assert_clean_failure(r)
    assert r.err.strip() == f"floorwatch: {expected}", r
    r = await fw("check", "--json", "--dsn", dsn, tmp=tmp_path)
    assert_clean_failure(r)
    assert report_of(r) == {"status": "error", "exit_code": 2, "error": expected}


async def test_check_with_a_reader_role_that_does_not_exist(plant: Plant, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('reader_role = "fw_no_such_role"\n')
    for extra in ((), ("--json",)):
        r = await fw("check", *extra, "--config", str(config), "--dsn", plant.dsn, tmp=tmp_path)
        assert_clean_failure(r)
        assert "reader_role 'fw_no_such_role' does not exist" in r.err, r
        assert "internal error" not in r.err
        if extra:
            assert report_of(r)["error"].startswith("reader_role 'fw_no_such_role'"), r


async def test_check_for_a_login_granted_no_tenant(plant: Plant, tmp_path: Path) -> None:
    login = await plant.logins.create("floorwatch_reader", prefix="fw_ungranted")
    r = await fw("check", "--json", "--dsn", plant.logins.dsn_of(login), tmp=tmp_path)
    assert r.code == 1, r
    (problem,) = [p for p in report_of(r)["problems"] if "facility" in p]
    assert f"login {login!r} is granted no tenant" in problem
    assert f"floorwatch grant --login {login} --tenant CODE" in problem


async def test_check_before_v005_names_the_history_grant(
    plant: Plant, admin_dsn: str, tmp_path: Path
) -> None:
    """A database at V004, where the reader may not yet read the migration history: a
    degraded report naming the grant, not 'permission denied' as an internal error."""
    old = tmp_path / "migrations"
    old.mkdir()
    for m in migrate.load_migrations():
        if m.version <= 4:
            shutil.copy(m.path, old / m.path.name)
    dsn = await create_database(admin_dsn, "fw_v004")
    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn, old)
        await fill(PlantBuilder(conn), "ALPHA")
    finally:
        await conn.close()
    r = await fw("check", "--json", "--dsn", plant.logins.dsn_of(plant.monitor, dsn), tmp=tmp_path)
    assert r.code == 1, r
    report = report_of(r)
    assert report["schema_version"] is None
    assert any(
        "GRANT SELECT ON floorwatch_schema_history TO floorwatch_reader" in p
        for p in report["problems"]
    ), report


# ---------------------------------------------------------------------------------------------
# grant


async def test_grant_list_and_revoke(plant: Plant, tmp_path: Path) -> None:
    login = await plant.logins.create("floorwatch_reader", prefix="fw_granted")
    assert await directory_of(plant, login) == []
    r = await fw("grant", "--login", login, "--tenant", "ALPHA", "--dsn", plant.dsn, tmp=tmp_path)
    assert (r.code, r.out, r.err) == (0, f"granted tenant 'ALPHA' to login {login!r}\n", "")
    assert await directory_of(plant, login) == ["ALPHA"]
    r = await fw("grant", "--login", login, "--tenant", "ALPHA", "--dsn", plant.dsn, tmp=tmp_path)
    assert (r.code, r.out) == (0, f"login {login!r} already had tenant 'ALPHA'\n")
    r = await fw("grant", "--list", "--login", login, "--dsn", plant.dsn, tmp=tmp_path)
    assert r.code == 0 and len(r.out.splitlines()) == 1, r
    assert r.out.startswith(f"{login!r}") and "'ALPHA'" in r.out and "by 'postgres'" in r.out
    revoke = ("grant", "--revoke", "--login", login, "--tenant", "ALPHA", "--dsn", plant.dsn)
    r = await fw(*revoke, tmp=tmp_path)
    assert (r.code, r.out) == (0, f"revoked tenant 'ALPHA' from login {login!r}\n")
    assert await directory_of(plant, login) == []
    r = await fw(*revoke, tmp=tmp_path)
    assert r.code == 0 and "nothing to revoke" in r.out, r


async def test_grant_to_a_login_outside_the_reader_role_says_what_else_it_needs(
    plant: Plant, tmp_path: Path
) -> None:
    login = await plant.logins.create(prefix="fw_notyet")
    r = await fw("grant", "--login", login, "--tenant", "BETA", "--dsn", plant.dsn, tmp=tmp_path)
    assert r.code == 0, r
    assert r.out.splitlines()[1] == (
        f"note: {login!r} is not a member of floorwatch_reader yet: "
        f"GRANT floorwatch_reader TO {login}"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--login", "fw_nobody_here", "--tenant", "ALPHA"), "no role 'fw_nobody_here' on this"),
        (("--login", "floorwatch_reader", "--tenant", "ALPHA"), "cannot log in (NOLOGIN)"),
        (("--login", "{monitor}", "--tenant", "NOPE"), "no tenant 'NOPE' (code or id); tenants:"),
        (("--login", "{monitor}", "--revoke", "--tenant", "NOPE"), "no tenant 'NOPE'"),
        (
            ("--revoke", "--login", "fw_nobody_here", "--tenant", "ALPHA"),
            "no role 'fw_nobody_here'",
        ),
        (("--login", "{monitor}"), "grant needs --login NAME and --tenant CODE"),
        (("--tenant", "ALPHA"), "grant needs --login NAME and --tenant CODE"),
        (("--list", "--tenant", "ALPHA"), "it takes no --tenant"),
        (("--list", "--revoke"), "not allowed with argument"),
    ],
)
async def test_grant_bad_input(
    args: tuple[str, ...], message: str, plant: Plant, tmp_path: Path
) -> None:
    args = tuple(a.format(monitor=plant.monitor) for a in args)
    r = await fw("grant", *args, "--dsn", plant.dsn, tmp=tmp_path)
    assert_clean_failure(r)
    assert message in r.err, r


@pytest.mark.parametrize("action", [(), ("--revoke",), ("--list",)])
async def test_grant_by_a_login_without_the_privilege(
    action: tuple[str, ...], plant: Plant, tmp_path: Path
) -> None:
    target = () if action == ("--list",) else ("--login", plant.monitor, "--tenant", "ALPHA")
    dsn = plant.logins.dsn_of(plant.monitor)  # the monitor login tries to widen its own view
    r = await fw("grant", *action, *target, "--dsn", dsn, tmp=tmp_path)
    assert_clean_failure(r)
    assert f"login {plant.monitor!r} may not" in r.err and "floorwatch_login_tenants" in r.err
    assert await directory_of(plant, plant.monitor) == ["BETA"]


async def test_grant_never_takes_the_tenant_from_the_config(plant: Plant, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('tenant = "ALPHA"\n')
    r = await fw(
        "grant", "--login", plant.monitor, "--config", str(config), "--dsn", plant.dsn,
        tmp=tmp_path,
    )  # fmt: skip
    assert_clean_failure(r)
    assert "--tenant CODE" in r.err
    assert await directory_of(plant, plant.monitor) == ["BETA"]


async def test_the_monitor_refuses_a_login_granted_no_tenant(plant: Plant, tmp_path: Path) -> None:
    login = await plant.logins.create("floorwatch_reader", prefix="fw_ungranted")
    r = await fw("--dsn", plant.logins.dsn_of(login), tmp=tmp_path, tty=True)
    assert_clean_failure(r)
    assert f"login {login!r} is granted no tenant" in r.err, r
