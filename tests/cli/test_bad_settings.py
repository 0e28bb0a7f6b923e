"""Issue 7, items 3, 4, 5, 8 and part of 9, through the real command: a DSN that cannot be
parsed, an empty DSN, a monitor without a terminal or with intervals that would spin it, strict
config values, config files that are not text, `bench` against a server that is not there.
Each ends as one line on stderr and exit code 2, quickly, with no traceback and no password."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_helpers import Result, Terminal, assert_clean_failure, clean_env, floorwatch

SECRET = "s3cr3t-Pa55word"
UNPARSEABLE = f"postgresql://u:{SECRET}@[::1/db"
QUICK = 30.0  # seconds: every refusal here comes before any server is started

SUBCOMMANDS = [
    [],
    ["demo"],
    ["migrate"],
    ["simulate"],
    ["check"],
    ["check", "--json"],
    ["screenshot", "--out", "shots"],
    ["bench"],
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path)


def _nothing_started(tmp_path: Path) -> None:
    assert not (tmp_path / "data").exists(), "the embedded server was started"


# --- item 3: a DSN urlsplit cannot parse ---


@pytest.mark.parametrize("sub", SUBCOMMANDS, ids=lambda s: " ".join(s) or "monitor")
def test_unparseable_dsn_on_every_subcommand(
    sub: list[str], env: dict[str, str], tmp_path: Path
) -> None:
    r = floorwatch(*sub, "--dsn", UNPARSEABLE, env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "--dsn: not a valid connection URI (unbalanced [ ] around an IPv6 host)" in r.err
    assert SECRET not in r.both
    _nothing_started(tmp_path)


def test_check_json_prints_its_json_for_a_dsn_it_cannot_parse(env: dict[str, str]) -> None:
    import json

    r = floorwatch("check", "--json", "--dsn", UNPARSEABLE, env=env, timeout=QUICK)
    assert_clean_failure(r)
    report = json.loads(r.out)
    assert report["status"] == "error" and report["exit_code"] == 2
    assert "not a valid connection URI" in report["error"]
    assert SECRET not in r.both


@pytest.mark.parametrize("var", ["FLOORWATCH_DSN", "DATABASE_URL"])
def test_unparseable_dsn_from_the_environment(var: str, tmp_path: Path) -> None:
    r = floorwatch("check", env=clean_env(tmp_path, **{var: UNPARSEABLE}), timeout=QUICK)
    assert_clean_failure(r)
    assert f"{var}: not a valid connection URI" in r.err
    assert SECRET not in r.both
    log = tmp_path / "floorwatch.log"
    assert not log.exists() or SECRET not in log.read_text()


def test_unparseable_dsn_in_the_config_file(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'dsn = "{UNPARSEABLE}"\n')
    r = floorwatch("migrate", "--config", str(cfg), env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "dsn in the config file: not a valid connection URI" in r.err
    assert SECRET not in r.both


def test_multi_host_dsn_reaches_the_driver(env: dict[str, str]) -> None:
    """Parsed, then tried host by host by asyncpg (nothing listens on ports 1 and 2)."""
    dsn = f"postgresql://u:{SECRET}@127.0.0.1:1,127.0.0.1:2/plant"
    r = floorwatch("check", "--dsn", dsn, env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "cannot connect to 127.0.0.1:1,127.0.0.1:2/plant" in r.err
    assert SECRET not in r.both


async def test_multi_host_dsn_connects_to_the_host_that_answers(
    db_dsn: str, env: dict[str, str]
) -> None:
    """A list of hosts (here sockets: the test server listens on one) keeps working."""
    if "host=/" not in db_dsn:
        pytest.skip("needs the embedded server's Unix socket")
    dsn = db_dsn.replace("host=/", "host=/nonexistent-fw,/", 1)
    r = await asyncio.to_thread(floorwatch, "check", "--json", "--dsn", dsn, env=env)
    assert r.code in (0, 1), r  # healthy or degraded (an empty plant), but connected
    assert '"server_version"' in r.out and "Traceback" not in r.both


# --- item 5: an empty DSN that is set ---


@pytest.mark.parametrize("sub", [[], ["check"], ["migrate"]], ids=lambda s: " ".join(s) or "mon")
def test_empty_dsn_flag_is_not_the_demo(
    sub: list[str], env: dict[str, str], tmp_path: Path
) -> None:
    r = floorwatch(*sub, "--dsn", "", env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "--dsn is empty" in r.err
    _nothing_started(tmp_path)


@pytest.mark.parametrize("var", ["FLOORWATCH_DSN", "DATABASE_URL"])
@pytest.mark.parametrize("value", ["", "  \t"])
def test_empty_dsn_variable_is_not_the_demo(var: str, value: str, tmp_path: Path) -> None:
    r = floorwatch("check", env=clean_env(tmp_path, **{var: value}), timeout=QUICK)
    assert_clean_failure(r)
    assert f"{var} is empty" in r.err
    _nothing_started(tmp_path)


def test_empty_dsn_in_the_config_file(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('dsn = ""\n')
    r = floorwatch("check", "--config", str(cfg), env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert f"config file {cfg}: dsn: is empty" in r.err
    _nothing_started(tmp_path)


# --- item 4: never spin ---


def _closed_stdin() -> None:
    os.close(0)


def _run_monitor(
    dsn: str, env: dict[str, str], *, stdin: int | None, preexec=None
) -> tuple[Result, float]:  # type: ignore[no-untyped-def]
    began = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "floorwatch", "--dsn", dsn],
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=QUICK,  # the bug: it never exited
        preexec_fn=preexec,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr), time.monotonic() - began


async def test_monitor_refuses_stdin_at_dev_null(db_dsn: str, env: dict[str, str]) -> None:
    r, seconds = await asyncio.to_thread(_run_monitor, db_dsn, env, stdin=subprocess.DEVNULL)
    assert_clean_failure(r)
    assert "the monitor needs a terminal, and stdin is not one" in r.err
    assert seconds < 15


async def test_monitor_refuses_a_closed_stdin(db_dsn: str, env: dict[str, str]) -> None:
    r, seconds = await asyncio.to_thread(
        _run_monitor, db_dsn, env, stdin=None, preexec=_closed_stdin
    )
    assert_clean_failure(r)
    assert "the monitor needs a terminal, and stdin is not one" in r.err
    assert seconds < 15


async def test_monitor_refuses_stderr_that_is_not_a_terminal(
    db_dsn: str, env: dict[str, str]
) -> None:
    import pty

    master, slave = pty.openpty()
    try:
        r, _ = await asyncio.to_thread(_run_monitor, db_dsn, env, stdin=slave)
    finally:
        os.close(slave)
        os.close(master)
    assert_clean_failure(r)
    assert "the monitor needs a terminal, and stderr is not one" in r.err  # Textual draws there


def test_demo_without_a_terminal_starts_nothing(env: dict[str, str], tmp_path: Path) -> None:
    r = floorwatch("demo", env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "needs a terminal" in r.err
    _nothing_started(tmp_path)  # no server started, no demo plant seeded


def test_screenshot_needs_no_terminal(env: dict[str, str], tmp_path: Path) -> None:
    r = floorwatch("screenshot", "--out", str(tmp_path / "shots"), "--size", "80x24", env=env)
    assert r.code == 0, r
    assert list((tmp_path / "shots").glob("*.svg"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kiosk", "1e-300"], "argument --kiosk: must be between 5 and 86400 seconds"),
        (["--kiosk", "0.1"], "argument --kiosk: must be between 5 and 86400 seconds"),
        (["--kiosk", "4.9"], "argument --kiosk: must be between 5 and 86400 seconds"),
        (["--kiosk", "nan"], "argument --kiosk: not a finite number"),
        (["--interval", "runs=1e-9"], "--interval runs: must be at least 1 second"),
        (["demo", "--interval", "alerts=0.5"], "--interval alerts: must be at least 1 second"),
        (["--interval", "runs=nan"], "--interval runs: not a finite number"),
    ],
)
def test_spinning_intervals_are_refused(
    args: list[str], message: str, env: dict[str, str], tmp_path: Path
) -> None:
    r = floorwatch(*args, env=env, timeout=QUICK, tty=True)
    assert_clean_failure(r)
    assert message in r.err
    _nothing_started(tmp_path)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[intervals]\nruns = 1e-9", "intervals.runs: must be at least 1 second"),
        ("kiosk_seconds = 0.1", "kiosk_seconds: must be at least 5"),
        ("kiosk_seconds = 1e-300", "kiosk_seconds: must be at least 5"),
    ],
)
def test_spinning_intervals_in_the_config_are_refused(
    toml: str, message: str, env: dict[str, str], tmp_path: Path
) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml + "\n")
    r = floorwatch("--config", str(cfg), env=env, timeout=QUICK, tty=True)
    assert_clean_failure(r)
    assert f"config file {cfg}: {message}" in r.err
    _nothing_started(tmp_path)


@pytest.mark.parametrize("how", ["q", "SIGTERM"])
async def test_fastest_allowed_monitor_still_obeys_q_and_sigterm(
    how: str, db_dsn: str, env: dict[str, str]
) -> None:
    """At the floor (every poll each second, kiosk every 5 s) the event loop is not starved:
    the monitor draws, then quits on `q` or SIGTERM within seconds."""
    from test_bad_input import _add_plants

    await _add_plants(db_dsn, [("ACME", "NORTH")])
    intervals = [f"--interval={p}=1" for p in ("summary", "runs", "alerts", "trends")]
    args = [sys.executable, "-m", "floorwatch", "--dsn", db_dsn, "--kiosk", "5", *intervals]
    term = Terminal(args, env)
    try:
        for _ in range(300):  # the first frame: the header names the facility
            if b"NORTH" in term.screen or term.proc.poll() is not None:
                break
            await asyncio.sleep(0.05)
        assert term.proc.poll() is None, term.screen.decode(errors="replace")
        assert b"NORTH" in term.screen
        await asyncio.sleep(2.0)  # a few polls at the floor
        if how == "q":
            term.send("q")
        else:
            term.proc.send_signal(signal.SIGTERM)
        began = time.monotonic()
        r = await asyncio.to_thread(term.finish, 15)
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    assert time.monotonic() - began < 10  # finish() raises if it is still running at 15 s
    assert "Traceback" not in r.both
    if how == "q":
        assert r.code == 0, r


# --- item 8: strict config values, through the command ---


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("statement_timeout_ms = 99999999999", "statement_timeout_ms: must be at most 3600000"),
        ('statement_timeout_ms = "5000"', "statement_timeout_ms: must be a whole number"),
        ("statement_timeout_ms = true", "statement_timeout_ms: must be a whole number"),
        ('bell = "yes"', "bell: must be true or false"),
        ("[intervals]\nruns = nan", "intervals.runs: not a finite number"),
        ("[alerts]\nscrap_warning_pct = inf", "alerts.scrap_warning_pct: not a finite number"),
        ('pooler = "pgbouncer"', "pooler: must be 'none', 'session' or 'transaction'"),
        ('pooler = "Transaction"', "pooler: must be 'none', 'session' or 'transaction'"),
        ("pooler = true", "pooler: must be 'none', 'session' or 'transaction'"),
    ],
)
def test_strict_config_values(toml: str, message: str, env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml + "\n")
    r = floorwatch("check", "--config", str(cfg), env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert f"config file {cfg}: {message}" in r.err
    _nothing_started(tmp_path)


# --- item 9 (part): config files that are not text, bench without a server ---


def test_config_file_not_utf8(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "latin1.toml"
    cfg.write_bytes(b'tenant = "K\xf6ln"\n')
    r = floorwatch("check", "--config", str(cfg), env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert f"config file {cfg}: not UTF-8 text" in r.err
    assert "internal error" not in r.err


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "."])
def test_config_that_is_not_a_regular_file(special: str, env: dict[str, str]) -> None:
    r = floorwatch("check", "--config", special, env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert f"config file {special}: not a regular file" in r.err


def test_config_file_too_large(env: dict[str, str], tmp_path: Path) -> None:
    cfg = tmp_path / "huge.toml"
    cfg.write_text("# " + "x" * (2 * 1024 * 1024) + "\n")
    r = floorwatch("check", "--config", str(cfg), env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "too large" in r.err


def test_bench_against_an_unreachable_server(env: dict[str, str], tmp_path: Path) -> None:
    dsn = f"postgresql://u:{SECRET}@127.0.0.1:1/plant"
    r = floorwatch("bench", "--dsn", dsn, env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "floorwatch: cannot connect to 127.0.0.1:1/plant" in r.err
    assert "internal error" not in r.err and SECRET not in r.both
    _nothing_started(tmp_path)


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--speed", "nan"],
        ["--speed", "inf"],
        ["bench", "--load-seconds", "nan"],
        ["bench", "--cpu-seconds=-inf"],
    ],
    ids=" ".join,
)
def test_non_finite_seconds_are_refused(args: list[str], env: dict[str, str]) -> None:
    r = floorwatch(*args, env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "not a finite number" in r.err or "greater than 0" in r.err
