"""The alert command (#12 item 6) with real subprocesses: the alert as JSON on stdin, a failing
or hanging command logged (and killed, with its children) while the next alert still runs it,
a program that does not exist, no database credentials in its environment, and once per alert
across processes (the record next to the acknowledgements)."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from floorwatch.alert_action import AlertAction, NotifiedStore
from floorwatch.alert_report import alert_json, event_json
from floorwatch.domain.alert_log import AlertEvent, AlertLog, AlertStatus, Transition
from floorwatch.domain.models import Alert, DownDetail, EquipmentState, Scope, Severity

NOW = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
SCOPE = Scope(
    tenant_id=uuid.UUID(int=1),
    tenant_code="ACME",
    tenant_name="Acme",
    facility_id=uuid.UUID(int=2),
    facility_code="P1",
    facility_name="Plant 1",
    timezone="Europe/Berlin",
)

# reads the alert, then: key "...:fail" exits 3, "...:hang" starts a child and both sleep, else
# writes the alert to OUT/<key's last part>.json
SCRIPT = """
import json, os, subprocess, sys, time
alert = json.loads(sys.stdin.read())
name = alert["key"].rsplit(":", 1)[-1]
out = os.path.join(sys.argv[1], name)
if name == "fail":
    print("first line\\nno route to the siren", file=sys.stderr)
    sys.exit(3)
if name == "hang":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    open(out + ".pid", "w").write(str(child.pid))
    time.sleep(60)
open(out + ".json", "w").write(json.dumps(alert))
open(out + ".env", "w").write(json.dumps(dict(os.environ)))
"""


def alert(name: str, severity: Severity = Severity.CRITICAL) -> Alert:
    return Alert(
        key=f"EQUIPMENT_DOWN:{name}",
        severity=severity,
        work_center_id=uuid.UUID(int=3),
        work_center_code="PRESS-\x1b[31m1",
        detail=DownDetail(state=EquipmentState.BREAKDOWN, reason="web break"),
        started_at=NOW - timedelta(minutes=5),
        value=Decimal("5.0"),
        threshold=Decimal("0"),
    )


def events(*names: str) -> tuple[list[AlertEvent], AlertLog]:
    log = AlertLog()
    found = log.update([alert(n) for n in names], NOW)
    return found, log


def action(tmp_path: Path, timeout: float = 10, state_dir: Path | None = None) -> AlertAction:
    script = tmp_path / "hook.py"
    script.write_text(SCRIPT)
    return AlertAction((sys.executable, str(script), str(tmp_path)), timeout, state_dir)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (not yet reaped by its parent, the killed hook) is dead too
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


async def test_the_alert_arrives_as_json_on_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", "s3cr3t")
    monkeypatch.setenv("FLOORWATCH_DSN", "postgresql://u:s3cr3t@db/plant")
    found, log = events("a")
    runner = action(tmp_path)
    runner.dispatch(found, log.state(), SCOPE, NOW)
    await runner.wait()
    payload = json.loads((tmp_path / "a.json").read_text())
    assert payload == {
        "event": "firing",
        "at": "2026-11-02T09:00:00+01:00",  # plant-local, with its offset
        "tenant": "ACME",
        "facility": "P1",
        **alert_json(alert("a"), AlertStatus.FIRING, SCOPE),
    }
    assert payload["work_center"] == "PRESS-\ufffd[31m1"  # database text, cleaned
    assert payload["since"] == "2026-11-02T08:55:00+01:00" and payload["value"] == 5
    assert payload["message"] == "down, breakdown: web break"
    env = json.loads((tmp_path / "a.env").read_text())
    assert "PGPASSWORD" not in env and "FLOORWATCH_DSN" not in env
    assert runner.runs == 1 and runner.failures == 0


async def test_a_failing_or_hanging_command_is_logged_and_the_next_alert_still_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runner = action(tmp_path, timeout=1.5)
    caplog.set_level(logging.INFO, logger="floorwatch.alert_action")
    started = time.monotonic()
    for name in ("fail", "hang", "next"):
        found, log = events(name)
        runner.dispatch(found, log.state(), SCOPE, NOW)  # returns at once
    assert time.monotonic() - started < 0.5
    await runner.wait()
    assert time.monotonic() - started < 10
    assert json.loads((tmp_path / "next.json").read_text())["key"] == "EQUIPMENT_DOWN:next"
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert (
        f"alert command {Path(sys.executable).name} for firing EQUIPMENT_DOWN:fail: "
        "exited with 3: no route to the siren" in messages
    )
    assert (
        f"alert command {Path(sys.executable).name} for firing EQUIPMENT_DOWN:hang: "
        "timed out after 1.5 s, killed" in messages
    )
    assert not _alive(int((tmp_path / "hang.pid").read_text()))  # its child went with it
    assert runner.failures == 2 and runner.runs == 3
    assert not any(str(tmp_path) in m for m in messages)  # arguments are never logged


async def test_a_program_that_cannot_start_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runner = AlertAction((str(tmp_path / "no-such-program"), "--token=abc"), 5, None)
    found, log = events("a")
    runner.dispatch(found, log.state(), SCOPE, NOW)
    await runner.wait()
    [record] = [r for r in caplog.records if r.name == "floorwatch.alert_action"]
    assert record.getMessage() == (
        "alert command no-such-program for firing EQUIPMENT_DOWN:a: "
        "cannot start: No such file or directory"
    )
    assert "abc" not in record.getMessage()


async def test_once_per_alert_across_processes_and_again_when_it_escalates(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    first = NotifiedStore(state, SCOPE)
    assert first.claim(["firing:a:0", "firing:b:0"], NOW) == ["firing:a:0", "firing:b:0"]
    restarted = NotifiedStore(state, SCOPE)  # another process, or the monitor restarted
    assert restarted.claim(["firing:a:0", "escalated:a:0", "firing:a:1"], NOW) == [
        "escalated:a:0",
        "firing:a:1",  # re-opened: a new episode
    ]
    # a week later the record is forgotten
    assert first.claim(["firing:c:0"], NOW + timedelta(days=8)) == ["firing:c:0"]
    assert NotifiedStore(state, SCOPE).claim(["firing:a:0"], NOW + timedelta(days=8)) == [
        "firing:a:0"
    ]

    runner = action(tmp_path, state_dir=state)
    found, log = events("d")
    runner.dispatch(found, log.state(), SCOPE, NOW)
    await runner.wait()
    (tmp_path / "d.json").unlink()
    again = action(tmp_path, state_dir=state)
    again.dispatch(found, log.state(), SCOPE, NOW)
    await again.wait()
    assert not (tmp_path / "d.json").exists() and again.runs == 0


def test_event_json_is_the_alert_object_plus_the_event() -> None:
    a = alert("a", Severity.WARNING)
    doc = event_json("escalated", a, AlertStatus.FIRING, SCOPE, NOW)
    assert list(doc)[:4] == ["event", "at", "tenant", "facility"]
    assert {k: v for k, v in doc.items() if k not in ("event", "at", "tenant", "facility")} == (
        alert_json(a, AlertStatus.FIRING, SCOPE)
    )
    assert str(Transition.ESCALATED) == "escalated"
