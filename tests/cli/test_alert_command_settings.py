"""`[alerts] command` and `command_timeout_seconds` (#12 item 6) through the real command: a
command that is not an argv list of strings, or a timeout out of bounds, is one line naming the
key and exit 2, before any server is started, and never quotes the value (it may hold a
webhook's token)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from floorwatch.config import load_config

TOKEN = "hook-t0ken-123"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            f'command = "curl https://chat/{TOKEN}"',
            "alerts.command: must be an array of strings, the program first",
        ),
        ("command = []", "alerts.command: must name a program: an empty array"),
        (
            f'command = ["notify", "{TOKEN}", 3]',
            "alerts.command: element 3 must be a quoted string, not an integer",
        ),
        ('command = ["", "x"]', "alerts.command: its first element (the program) is empty"),
        ('command = [["a"]]', "alerts.command: element 1 must be a quoted string, not an array"),
        ("command_timeout_seconds = 0", "alerts.command_timeout_seconds: must be at least 1"),
        ("command_timeout_seconds = 601", "alerts.command_timeout_seconds: must be at most 600"),
        ('command_timeout_seconds = "5"', "alerts.command_timeout_seconds: must be a number"),
        ('commands = ["a"]', "alerts.commands: unknown key"),
    ],
)
@pytest.mark.parametrize("sub", [["alerts"], ["alerts", "--watch"], []])
def test_bad_alert_command(sub: list[str], toml: str, message: str, tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(f"[alerts]\n{toml}\n")
    r = floorwatch(*sub, "--config", str(cfg), env=clean_env(tmp_path), timeout=30, tty=not sub)
    if sub:
        assert_clean_failure(r)
        err = r.err
    else:  # the monitor, on a terminal: the same one line
        assert r.code == 2, r
        err = r.err
    assert f"config file {cfg}: {message}" in err
    assert TOKEN not in r.out + r.err
    assert not (tmp_path / "data").exists(), "the embedded server was started"


def test_a_good_alert_command(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[alerts]\ncommand = ["notify-send", "floorwatch"]\nescalate_minutes = 30\n')
    config, _ = load_config(cfg)
    assert config.alerts.command == ("notify-send", "floorwatch")
    assert config.alerts.command_timeout_seconds == 10 and config.alerts.escalate_minutes == 30
    (tmp_path / "empty.toml").write_text("")
    assert load_config(tmp_path / "empty.toml")[0].alerts.command is None
