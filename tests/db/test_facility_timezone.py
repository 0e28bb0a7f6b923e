"""Issue 7, item 2: facilities.timezone holds only IANA zone names (V006), and a database that
already holds a bad one gets a one-line refusal naming the facility, never a traceback, while
its good facilities stay usable."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from cli_helpers import Terminal, assert_clean_failure, clean_env, floorwatch
from databases import create_database
from floorwatch.db import migrate
from floorwatch.db.queries import read_directory
from floorwatch.domain.scope import select_scope, usable_scopes
from floorwatch.errors import UserError

BAD_ZONES = [
    "Mars/Olympus",  # the shape of a name, but no such zone
    "../../../../etc/passwd",  # a path (zoneinfo: ValueError)
    "/etc/passwd",
    "UTC+3",  # a POSIX spec: PostgreSQL takes it, zoneinfo does not
    "EST5EDT",
    "PST",  # an abbreviation
    "CEST",
    "europe/berlin",  # wrong case: the server would take it
    "Europe/Berlin ",
    "Europe/Berlin\n",
    "posix/Europe/Berlin",
    "Factory",
    "",
]
GOOD_ZONES = [
    "America/Los_Angeles",
    "Asia/Tokyo",
    "UTC",
    "Europe/Berlin",
    "America/Argentina/Buenos_Aires",
    "Etc/GMT+3",
]
# what a hostile ERP row may hold: a code with an OSC 52 clipboard write and a newline
HOSTILE_CODE = "BAD\x1b]52;c;cHduZWQ=\x07\nX"


def _tid() -> uuid.UUID:
    return uuid.uuid4()


async def _tenant(conn: asyncpg.Connection, code: str) -> uuid.UUID:
    tid = _tid()
    await conn.execute(
        "INSERT INTO tenants (id, tenant_code, tenant_name) VALUES ($1, $2, $2)", tid, code
    )
    return tid


async def _facility(conn: asyncpg.Connection, tenant: uuid.UUID, code: str, tz: str) -> None:
    await conn.execute(
        "INSERT INTO facilities (id, tenant_id, facility_code, facility_name, timezone)"
        " VALUES ($1, $2, $3, $3 || ' plant', $4)",
        _tid(),
        tenant,
        code,
        tz,
    )


@pytest.fixture
async def conn(db_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    c = await asyncpg.connect(db_dsn)  # the superuser (bypasses RLS; the CHECK still applies)
    try:
        yield c
    finally:
        await c.close()


@pytest.mark.parametrize("zone", BAD_ZONES)
async def test_insert_and_update_refuse_a_zone_that_is_not_iana(
    conn: asyncpg.Connection, zone: str
) -> None:
    tenant = await _tenant(conn, "T")
    with pytest.raises(asyncpg.CheckViolationError, match="facilities_timezone_iana"):
        await _facility(conn, tenant, "F", zone)
    await _facility(conn, tenant, "F", "Europe/Berlin")
    with pytest.raises(asyncpg.CheckViolationError, match="facilities_timezone_iana"):
        await conn.execute("UPDATE facilities SET timezone = $1 WHERE facility_code = 'F'", zone)
    assert await conn.fetchval("SELECT timezone FROM facilities") == "Europe/Berlin"


async def test_real_zones_are_accepted(conn: asyncpg.Connection) -> None:
    tenant = await _tenant(conn, "T")
    for i, zone in enumerate(GOOD_ZONES):
        await _facility(conn, tenant, f"F{i}", zone)
    await conn.execute("UPDATE facilities SET timezone = 'Asia/Tokyo' WHERE facility_code = 'F0'")
    assert await conn.fetchval("SELECT count(*) FROM facilities") == len(GOOD_ZONES)
    # on a clean database the constraint is validated, not merely NOT VALID
    assert await conn.fetchval(
        "SELECT convalidated FROM pg_constraint WHERE conname = 'facilities_timezone_iana'"
    )


async def _database_with_bad_rows(admin_dsn: str, tmp_path: Path) -> str:
    """A database migrated up to V005, holding facilities with bad zones, then migrated fully."""
    dsn = await create_database(admin_dsn, "fw_badtz")
    before = tmp_path / "before-v006"
    before.mkdir()
    for m in migrate.load_migrations():
        if m.version < 6:
            shutil.copy(m.path, before / m.path.name)
    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn, before)
        nord = await _tenant(conn, "NORD")
        await _facility(conn, nord, "GOOD", "Europe/Berlin")
        await _facility(conn, nord, "MARS", "Mars/Olympus")
        await _facility(conn, nord, "PASSWD", "../../../../etc/passwd")
        await _facility(conn, nord, HOSTILE_CODE, "Mars/Olympus")
        done = await migrate.migrate(conn)  # V006 applies over the bad rows
        assert 6 in [m.version for m in done]
        assert not await conn.fetchval(
            "SELECT convalidated FROM pg_constraint WHERE conname = 'facilities_timezone_iana'"
        )
        # still checked for new rows
        with pytest.raises(asyncpg.CheckViolationError):
            await _facility(conn, nord, "NEW", "Mars/Olympus")
    finally:
        await conn.close()
    return dsn


@pytest.fixture
async def bad_dsn(admin_dsn: str, tmp_path: Path) -> str:
    return await _database_with_bad_rows(admin_dsn, tmp_path)


async def test_scope_resolution_refuses_a_bad_zone_and_keeps_the_good(bad_dsn: str) -> None:
    conn = await asyncpg.connect(bad_dsn)
    try:
        scopes = await read_directory(conn)  # reading the directory itself never raises
    finally:
        await conn.close()
    assert len(scopes) == 4
    for code, zone in (("MARS", "Mars/Olympus"), ("PASSWD", "../../../../etc/passwd")):
        with pytest.raises(UserError) as refused:
            select_scope(scopes, "NORD", code)
        assert f"facility {code!r}" in str(refused.value) and repr(zone) in str(refused.value)
    assert select_scope(scopes, "NORD", "GOOD").facility_code == "GOOD"
    # what the picker and the kiosk may switch to
    assert [s.facility_code for s in usable_scopes(scopes)] == ["GOOD"]


@pytest.mark.parametrize("facility", ["MARS", "PASSWD"])
async def test_check_refuses_the_bad_facility_in_one_line(
    bad_dsn: str, tmp_path: Path, facility: str
) -> None:
    env = clean_env(tmp_path)
    r = await asyncio.to_thread(
        floorwatch, "check", "--dsn", bad_dsn, "--tenant", "NORD", "--facility", facility, env=env
    )
    assert_clean_failure(r)
    assert f"facility {facility!r} of tenant 'NORD' has timezone" in r.err
    assert "not an IANA zone name" in r.err


async def test_check_json_reports_the_refusal(bad_dsn: str, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    r = await asyncio.to_thread(
        floorwatch, "check", "--json", "--dsn", bad_dsn, "--facility", "MARS", env=env
    )
    assert_clean_failure(r)
    report = json.loads(r.out)
    assert report["status"] == "error" and report["exit_code"] == 2
    assert "facility 'MARS'" in report["error"]


async def test_check_of_a_hostile_code_prints_it_escaped(bad_dsn: str, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    r = await asyncio.to_thread(
        floorwatch, "check", "--dsn", bad_dsn, "--facility", HOSTILE_CODE, env=env
    )
    assert_clean_failure(r)
    assert "\x1b" not in r.err and "\x07" not in r.err
    assert repr(HOSTILE_CODE) in r.err


async def test_check_of_the_good_facility_is_not_stopped_by_a_bad_sibling(
    bad_dsn: str, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    for args in (("--facility", "GOOD"), ()):  # unnamed: the first facility it can show
        r = await asyncio.to_thread(floorwatch, "check", "--dsn", bad_dsn, *args, env=env)
        assert r.code in (0, 1), r  # healthy or degraded, never the refusal
        assert "Traceback" not in r.both and "internal error" not in r.both, r


async def test_monitor_on_a_terminal_refuses_the_bad_facility(bad_dsn: str, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    r = await asyncio.to_thread(
        floorwatch, "--dsn", bad_dsn, "--tenant", "NORD", "--facility", "MARS", env=env, tty=True
    )
    assert_clean_failure(r)
    assert "facility 'MARS'" in r.err


async def test_monitor_of_the_good_facility_runs_beside_a_bad_one(
    bad_dsn: str, tmp_path: Path
) -> None:
    args = ["--dsn", bad_dsn, "--tenant", "NORD", "--facility", "GOOD"]
    terminal = Terminal([sys.executable, "-m", "floorwatch", *args], clean_env(tmp_path))
    drawn = await asyncio.to_thread(terminal.wait_for, "Work centers", seconds=30)
    terminal.send("q")
    r = await asyncio.to_thread(terminal.finish, 15)
    assert drawn, r.err[-2000:]  # the monitor was drawn
    assert r.code == 0, r.err[-2000:]  # it ran until q
    assert "Traceback" not in r.err and "internal error" not in r.err, r.err[-2000:]
