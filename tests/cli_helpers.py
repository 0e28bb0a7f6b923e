"""Running the real `floorwatch` command in a subprocess with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SCRUBBED = (
    "DATABASE_URL",
    "FLOORWATCH_DSN",
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGDATABASE",
    "PGPASSWORD",
    "PGPASSFILE",
    "FLOORWATCH_TENANT",
    "FLOORWATCH_FACILITY",
)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def both(self) -> str:
        return self.out + self.err


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(
        FLOORWATCH_DATA_DIR=str(tmp / "data"),
        FLOORWATCH_CONFIG=str(tmp / "no-config.toml"),
        FLOORWATCH_LOG=str(tmp / "floorwatch.log"),
        PGPASSFILE=str(tmp / "no-pgpass"),
    )
    env.update(extra)
    return env


def floorwatch(*args: str, env: dict[str, str], timeout: float = 120) -> Result:
    proc = subprocess.run(
        [sys.executable, "-m", "floorwatch", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_clean_failure(result: Result, code: int = 2) -> None:
    """Exit code as expected, exactly one line on stderr, no traceback anywhere."""
    assert result.code == code, result
    assert "Traceback" not in result.both, result
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("floorwatch"), result.err
