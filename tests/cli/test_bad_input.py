"""Bad input ends as one line on stderr, exit code 2, no traceback, no password."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from cli_helpers import assert_clean_failure, clean_env, floorwatch

SECRET = "s3cr3t-Pa55word"


def _db(admin_dsn: str, name: str) -> str:
    return urlunsplit(urlsplit(admin_dsn)._replace(path="/" + name))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path)


def test_unparseable_dsn(env: dict[str, str]) -> None:
    r = floorwatch("check", "--dsn", f"mysql://root:{SECRET}@db/x", env=env)
    assert_clean_failure(r)
    assert "not a PostgreSQL connection URI" in r.err
    assert SECRET not in r.both


def test_garbage_keyword_dsn(env: dict[str, str]) -> None:
    r = floorwatch("migrate", "--dsn", "this is not a dsn", env=env)
    assert_clean_failure(r)
    assert "not a connection URI" in r.err


def test_unreachable_host(env: dict[str, str]) -> None:
    r = floorwatch("check", "--dsn", f"postgresql://u:{SECRET}@127.0.0.1:1/plant", env=env)
    assert_clean_failure(r)
    assert "cannot connect to 127.0.0.1:1/plant" in r.err
    assert SECRET not in r.both


def test_unreachable_host_check_json_still_reports(env: dict[str, str]) -> None:
    r = floorwatch("check", "--json", "--dsn", f"postgresql://u:{SECRET}@127.0.0.1:1/p", env=env)
    assert r.code == 2
    assert '"status": "unreachable"' in r.out
    assert SECRET not in r.both and "Traceback" not in r.both


def test_malformed_toml(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[intervals\nruns = 2\n")
    r = floorwatch("check", "--config", str(cfg), env=env)
    assert_clean_failure(r)
    assert str(cfg) in r.err and "not valid TOML" in r.err


def test_wrong_key_in_config_names_key_and_file(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[intervals]\nrunz = 2\n")
    r = floorwatch("check", "--config", str(cfg), env=env)
    assert_clean_failure(r)
    assert "intervals.runz: unknown key" in r.err and str(cfg) in r.err


def test_wrong_value_in_config(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[intervals]\nruns = -1\n")
    r = floorwatch("check", "--config", str(cfg), env=env)
    assert_clean_failure(r)
    assert "intervals.runs" in r.err


def test_missing_explicit_config(env: dict[str, str], tmp_path: Path) -> None:
    r = floorwatch("check", "--config", str(tmp_path / "nope.toml"), env=env)
    assert_clean_failure(r)
    assert "config file not found" in r.err


def test_bad_interval_flag(env: dict[str, str]) -> None:
    r = floorwatch("--interval", "runs=soon", env=env)
    assert_clean_failure(r)
    assert "--interval runs" in r.err


def test_bad_flag_value(env: dict[str, str]) -> None:
    r = floorwatch("simulate", "--backfill-days", "-3", env=env)
    assert_clean_failure(r)


async def test_missing_schema(empty_dsn: str, env: dict[str, str]) -> None:
    r = await asyncio.to_thread(floorwatch, "simulate", "--dsn", empty_dsn, env=env)
    assert_clean_failure(r)
    assert "run `floorwatch migrate`" in r.err
    conn = await asyncpg.connect(empty_dsn)
    try:  # nothing was written
        assert await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname='public'") == 0
    finally:
        await conn.close()


async def _add_plants(dsn: str, plants: list[tuple[str, str]]) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        tenants: dict[str, uuid.UUID] = {}
        for tenant, facility in plants:
            if tenant not in tenants:
                tenants[tenant] = uuid.uuid4()
                await conn.execute(
                    "INSERT INTO tenants (id, tenant_code, tenant_name) VALUES ($1, $2, $2)",
                    tenants[tenant],
                    tenant,
                )
            await conn.execute(
                "INSERT INTO facilities (id, tenant_id, facility_code, facility_name)"
                " VALUES ($1, $2, $3, $3)",
                uuid.uuid4(),
                tenants[tenant],
                facility,
            )
    finally:
        await conn.close()


async def test_unknown_facility_lists_choices(db_dsn: str, env: dict[str, str]) -> None:
    await _add_plants(db_dsn, [("ACME", "NORTH"), ("ACME", "SOUTH")])
    r = await asyncio.to_thread(
        floorwatch, "--dsn", db_dsn, "--facility", "WEST", env=env, tty=True
    )
    assert_clean_failure(r)
    assert "unknown facility 'WEST'" in r.err
    assert "ACME/NORTH" in r.err and "ACME/SOUTH" in r.err


async def test_several_facilities_without_choice(db_dsn: str, env: dict[str, str]) -> None:
    await _add_plants(db_dsn, [("ACME", "NORTH"), ("GLOBEX", "EAST")])
    r = await asyncio.to_thread(floorwatch, "--dsn", db_dsn, env=env, tty=True)
    assert_clean_failure(r)
    assert "--tenant and --facility" in r.err
    assert "ACME/NORTH" in r.err and "GLOBEX/EAST" in r.err


async def test_wrong_password(admin_dsn: str, pg_server: object, env: dict[str, str]) -> None:
    if pg_server is None:
        pytest.skip("needs the embedded server (edits its pg_hba.conf)")
    user = f"fw_pw_{uuid.uuid4().hex[:6]}"
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f"CREATE ROLE {user} LOGIN PASSWORD 'right-password'")
        hba = Path(await conn.fetchval("SHOW hba_file"))
        original = hba.read_text()
        hba.write_text(f"local all {user} scram-sha-256\n" + original)
        await conn.execute("SELECT pg_reload_conf()")
        try:
            parts = urlsplit(admin_dsn)
            bad = urlunsplit(parts._replace(netloc=f"{user}:{SECRET}@"))
            r = await asyncio.to_thread(floorwatch, "check", "--dsn", bad, env=env)
        finally:
            hba.write_text(original)
            await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()
    assert_clean_failure(r)
    assert "authentication failed" in r.err
    assert SECRET not in r.both


def test_help_for_every_subcommand(env: dict[str, str]) -> None:
    for sub in ([], ["demo"], ["migrate"], ["simulate"], ["check"], ["screenshot"]):
        proc = subprocess.run(
            [*floorwatch_cmd(), *sub, "--help"], env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        assert "usage: floorwatch" in proc.stdout


def floorwatch_cmd() -> list[str]:
    import sys

    return [sys.executable, "-m", "floorwatch"]


def test_unknown_theme_is_refused_before_any_work(env: dict[str, str], tmp_path: Path) -> None:
    r = floorwatch("--theme", "nosuch", env=env)
    assert_clean_failure(r)
    assert "unknown theme 'nosuch'" in r.err and "textual-dark" in r.err
    assert not (tmp_path / "data").exists()  # the embedded default was not even started
