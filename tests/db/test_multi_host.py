"""Multi-host DSNs as libpq takes them, against a real primary and its standby on TCP ports
(tests/db/tcp_pair.py) and a port nothing listens on: URIs and key=value strings, with
target_session_attrs, ~/.pgpass, and one clear line (exit 2) when no host will do."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from tcp_pair import PASSWORD, TcpPair

from cli_helpers import clean_env, floorwatch
from floorwatch.db.dsn import Target, normalize
from floorwatch.db.pool import connect, create_pool
from floorwatch.errors import UserError

H = "127.0.0.1"


async def _landed_on(dsn: str) -> tuple[int, bool]:
    """(port, in recovery) of the server a connection to `dsn` reached."""
    conn = await connect(Target(normalize(dsn), "flag"))
    try:
        row = await conn.fetchrow("SELECT inet_server_port() AS port, pg_is_in_recovery() AS r")
        return row["port"], row["r"]
    finally:
        await conn.close()


async def test_a_uri_skips_a_dead_host(tcp_pair: TcpPair) -> None:
    p = tcp_pair
    uri = f"postgresql://postgres:{PASSWORD}@{H}:{p.dead_port},{H}:{p.primary_port}/postgres"
    assert await _landed_on(uri) == (p.primary_port, False)


@pytest.mark.parametrize(
    ("attrs", "want"),
    [("primary", "primary"), ("read-write", "primary"), ("standby", "standby"),
     ("read-only", "standby"), ("any", "primary")],
)  # fmt: skip
async def test_key_value_hosts_and_ports_with_target_session_attrs(
    tcp_pair: TcpPair, attrs: str, want: str
) -> None:
    p = tcp_pair
    # the standby listed second for "primary", the primary second for "standby": the attribute
    # decides, not the order (and the dead port first is skipped)
    ports = (
        [p.dead_port, p.standby_port, p.primary_port]
        if want == "primary" and attrs != "any"
        else [p.dead_port, p.primary_port, p.standby_port]
    )
    dsn = (
        f"host={H},{H},{H} port={','.join(map(str, ports))} user=postgres dbname=postgres "
        f"password='{PASSWORD}' target_session_attrs={attrs}"
    )
    port, in_recovery = await _landed_on(dsn)
    assert port == (p.primary_port if want == "primary" else p.standby_port)
    assert in_recovery is (want == "standby")


async def test_a_pool_follows_target_session_attrs(tcp_pair: TcpPair) -> None:
    p = tcp_pair
    dsn = (
        f"host={H},{H} port={p.primary_port},{p.standby_port} user=postgres dbname=postgres "
        f"password={PASSWORD} target_session_attrs=standby"
    )
    pool = await create_pool(Target(normalize(dsn), "flag"), min_size=1, max_size=1)
    try:
        assert await pool.fetchval("SELECT inet_server_port()") == p.standby_port
    finally:
        await pool.close()


async def test_the_password_comes_from_pgpass_for_the_host_that_answers(
    tcp_pair: TcpPair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = tcp_pair
    passfile = tmp_path / "pgpass"
    # the dead host's entry comes first: asyncpg alone would send its password to every host
    passfile.write_text(
        f"{H}:{p.dead_port}:*:postgres:not-this-one\n{H}:{p.standby_port}:*:postgres:{PASSWORD}\n"
    )
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    dsn = f"host={H},{H} port={p.dead_port},{p.standby_port} user=postgres dbname=postgres"
    assert await _landed_on(dsn) == (p.standby_port, True)
    with pytest.raises(asyncpg.InvalidPasswordError):  # what asyncpg does with the list itself
        await asyncpg.connect(normalize(dsn))


async def test_no_host_matching_is_one_line_exit_2(tcp_pair: TcpPair, tmp_path: Path) -> None:
    p = tcp_pair
    env = clean_env(tmp_path)
    dsn = (
        f"host={H},{H} port={p.dead_port},{p.primary_port} user=postgres dbname=postgres "
        f"password={PASSWORD} target_session_attrs=read-only"
    )
    with pytest.raises(UserError) as err:
        await _landed_on(dsn)
    where = f"{H}:{p.dead_port},{H}:{p.primary_port}/postgres"
    line = f"cannot connect to {where}: no host is read-only (target_session_attrs=read-only)"
    assert str(err.value) == line
    for command in (("check",), ("migrate", "--status")):
        r = await asyncio.to_thread(floorwatch, *command, "--dsn", dsn, env=env)
        assert r.code == 2, r
        assert r.err == f"floorwatch: {line}\n" and r.out == "", r
        assert PASSWORD not in r.both


async def test_every_host_dead_is_one_line_exit_2(tcp_pair: TcpPair, tmp_path: Path) -> None:
    p = tcp_pair
    uri = f"postgresql://postgres@{H}:{p.dead_port},[::1]:{p.dead_port}/postgres"
    r = await asyncio.to_thread(floorwatch, "check", "--dsn", uri, env=clean_env(tmp_path))
    assert r.code == 2 and r.out == "", r
    assert r.err.startswith(
        f"floorwatch: cannot connect to {H}:{p.dead_port},[::1]:{p.dead_port}/postgres: "
        "no host answered (the last: "
    ), r
    assert len(r.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("dsn", "message"),
    [
        ("host=a,b,c port=1,2", "2 ports for 3 host(s)"),
        ("host=a,,b", "an empty host in a list of hosts"),
        ("host=a port=5432,x", "port is not a number between 1 and 65535"),
        ("host=a target_session_attrs=primaryy", "target_session_attrs must be one of"),
        ("postgresql://u@a:1,b:2/d?target_session_attrs=nope", "target_session_attrs must be"),
        ("host=a hostaddr=127.0.0.1", "give host or hostaddr, not both"),
        ("host=a connect_timeout=3", "connect_timeout is not supported"),
    ],
)
def test_bad_multi_host_input_is_one_line(dsn: str, message: str, tmp_path: Path) -> None:
    r = floorwatch("check", "--dsn", dsn, env=clean_env(tmp_path))
    assert r.code == 2 and r.out == "" and len(r.err.splitlines()) == 1, r
    assert message in r.err, r
