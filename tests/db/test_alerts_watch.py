"""`floorwatch alerts --watch` (#12 item 6) as a real subprocess over a real database: a breakdown
inserted while it runs is one line (a JSON object with --json), its end another; SIGTERM ends it
quietly with 0; a database that refuses connections is one line on stderr per failed poll and
the watch carries on; the `[alerts] command` gets the alert as JSON on stdin, once, also across
a restart."""

from __future__ import annotations

import asyncio
import json
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import asyncpg
from plant_builder import PlantBuilder, ident

from cli_helpers import clean_env
from floorwatch.domain.models import Scope

WITHIN = 20.0  # seconds: a loaded CI machine


class Watch:
    """`floorwatch alerts --watch ARGS`, its stdout read line by line by a thread."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "floorwatch", "alerts", "--watch", "--interval", "1", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: queue.Queue[str] = queue.Queue()
        for stream, into in ((self.proc.stdout, self.lines), (self.proc.stderr, self.errors)):
            threading.Thread(target=self._read, args=(stream, into), daemon=True).start()

    @staticmethod
    def _read(stream: IO[str] | None, into: queue.Queue[str]) -> None:
        assert stream is not None
        for line in stream:
            into.put(line.rstrip("\n"))

    def line(self, within: float = WITHIN) -> str:
        try:
            return self.lines.get(timeout=within)
        except queue.Empty:
            raise AssertionError(f"no line within {within:g} s; stderr: {self._errors()}") from None

    def error(self, within: float = WITHIN) -> str:
        try:
            return self.errors.get(timeout=within)
        except queue.Empty:
            raise AssertionError(f"no error line within {within:g} s") from None

    def _errors(self) -> list[str]:
        found = []
        while not self.errors.empty():
            found.append(self.errors.get())
        return found

    def stop(self) -> tuple[int, list[str]]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        time.sleep(0.1)  # the reader threads see the end of the streams
        return code, self._errors()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def _plant(builder: PlantBuilder) -> tuple[Scope, object]:
    scope = await builder.scope("ACME", "P1")
    press = await builder.work_center(scope, "PRESS-1")
    await builder.working(scope, press, _now() - timedelta(hours=3))  # work: not snoozed
    await builder.status(scope, press, "PRODUCTIVE", _now() - timedelta(hours=2))
    return scope, press


async def _break_down(builder: PlantBuilder, scope: Scope, press: object) -> str:
    """A breakdown from a minute ago; returns its alert's key."""
    at = _now() - timedelta(minutes=1)
    await builder.conn.execute(
        "UPDATE equipment_status_log SET status_end = $1 "
        "WHERE work_center_id = $2 AND status_end IS NULL",
        at,
        press,
    )
    await builder.status(
        scope, press, "NON_PRODUCTIVE_BREAKDOWN", at, reason_description="web break"
    )
    return f"EQUIPMENT_DOWN:{ident('log', press, at.isoformat())}"


def _env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path, FLOORWATCH_STATE_DIR=str(tmp_path / "state"))


async def test_watch_prints_a_new_breakdown_and_its_end_then_stops_on_sigterm(
    builder: PlantBuilder, db_dsn: str, tmp_path: Path
) -> None:
    scope, press = await _plant(builder)
    watch = Watch(["--json", "--dsn", db_dsn], _env(tmp_path))
    try:
        key = await _break_down(builder, scope, press)
        event = json.loads(watch.line())
        assert (event["event"], event["key"], event["severity"]) == ("firing", key, "critical")
        assert (event["tenant"], event["facility"], event["work_center"]) == (
            "ACME", "P1", "PRESS-1",
        )  # fmt: skip
        assert event["status"] == "firing" and event["message"] == "down, breakdown: web break"
        await builder.conn.execute(
            "UPDATE equipment_status_log SET status_end = now() WHERE work_center_id = $1 "
            "AND status_end IS NULL",
            press,
        )
        ended = json.loads(watch.line())
        assert (ended["event"], ended["key"], ended["status"]) == ("resolved", key, "resolved")
    finally:
        code, errors = watch.stop()
    assert code == 0 and errors == []


async def test_watch_plain_lines_and_an_outage(
    builder: PlantBuilder, db_dsn: str, admin_dsn: str, tmp_path: Path
) -> None:
    scope, press = await _plant(builder)
    name = urlsplit(db_dsn).path.lstrip("/")
    watch = Watch(["--dsn", db_dsn], _env(tmp_path))
    admin = await asyncpg.connect(admin_dsn)
    try:
        key = await _break_down(builder, scope, press)
        line = watch.line()
        assert line.split()[2:6] == ["FIRING", "critical", "PRESS-1", "EQUIPMENT_DOWN"], line
        assert line.endswith(f"down, breakdown: web break  {key}")
        # the database refuses connections: each failed poll is one line on stderr
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            name,
        )
        failed = watch.error()
        assert failed.startswith("floorwatch: alerts poll failed: ") and "trying again" in failed
        assert "Traceback" not in failed
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        await builder.conn.close()
        builder.conn = await asyncpg.connect(db_dsn)
        deadline = time.monotonic() + WITHIN
        while (err := watch.error()) != "floorwatch: alerts poll answered again":
            assert err.startswith("floorwatch: alerts poll failed: "), err
            assert time.monotonic() < deadline
        await builder.conn.execute(
            "UPDATE equipment_status_log SET status_end = now() WHERE work_center_id = $1 "
            "AND status_end IS NULL",
            press,
        )
        assert watch.line().split()[2] == "RESOLVED"
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        await admin.close()
        code, errors = watch.stop()
    assert code == 0, errors
    assert not any("Traceback" in e for e in errors)


def _recorder(tmp_path: Path, out: Path) -> Path:
    """A config whose alert command writes its stdin to `out`."""
    script = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    config = tmp_path / "config.toml"
    config.write_text(
        "[alerts]\n"
        f'command = [{json.dumps(sys.executable)}, "-c", {json.dumps(script)}]\n'
        "command_timeout_seconds = 10\n"
    )
    return config


def _wait_for_file(path: Path, within: float = WITHIN) -> str:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.1)
    raise AssertionError(f"{path} not written within {within:g} s")


async def test_the_alert_command_gets_the_alert_once_across_a_restart(
    builder: PlantBuilder, db_dsn: str, tmp_path: Path
) -> None:
    scope, press = await _plant(builder)
    out = tmp_path / "alert.json"
    config = _recorder(tmp_path, out)
    args = ["--dsn", db_dsn, "--config", str(config)]
    watch = Watch(args, _env(tmp_path))
    try:
        key = await _break_down(builder, scope, press)
        assert key in watch.line()
        payload = json.loads(_wait_for_file(out))
    finally:
        code, errors = watch.stop()
    assert code == 0 and errors == []
    assert (payload["event"], payload["key"], payload["severity"]) == ("firing", key, "critical")
    assert (payload["tenant"], payload["facility"], payload["status"]) == ("ACME", "P1", "firing")
    assert payload["since"] == payload["started_at"]
    assert datetime.fromisoformat(payload["since"]) < datetime.fromisoformat(payload["at"])
    assert payload["value"] >= 1 and payload["threshold"] == 0 and payload["unit"] == "min"
    notified = json.loads(
        (
            tmp_path / "state" / "notified" / f"{scope.tenant_id}-{scope.facility_id}.json"
        ).read_text()
    )
    assert list(notified["sent"]) == [f"firing:{key}:0"]

    # a restart: the breakdown is still firing and printed again, but not acted on again
    out.unlink()
    again = Watch(args, _env(tmp_path))
    try:
        assert key in again.line()
        await asyncio.sleep(2.0)  # a command would have written by now
    finally:
        code, errors = again.stop()
    assert code == 0 and errors == []
    assert not out.exists()
