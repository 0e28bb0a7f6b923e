"""Running the real `floorwatch` command in a subprocess with a clean environment."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import time
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


def floorwatch(*args: str, env: dict[str, str], timeout: float = 120, tty: bool = False) -> Result:
    """Run `python -m floorwatch ARGS`; stdin is /dev/null, or with `tty` all three streams are
    a pseudo-terminal (the monitor refuses to start without one) and `err` is what it showed."""
    if tty:
        return floorwatch_on_terminal(*args, env=env, timeout=timeout)
    proc = subprocess.run(
        [sys.executable, "-m", "floorwatch", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


class Terminal:
    """A process with stdin, stdout and stderr on a pseudo-terminal (Textual draws on stderr);
    everything it writes is collected in `screen` by a thread (a full pty blocks the writer)."""

    def __init__(
        self, args: list[str], env: dict[str, str], *, size: tuple[int, int] = (120, 40)
    ) -> None:
        master, slave = pty.openpty()
        # rows, columns: a fresh pty is 0x0, and nothing is drawn on no cells
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.proc = subprocess.Popen(
            args,
            env={**env, "TERM": env.get("TERM") or "xterm-256color"},
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,  # the pty becomes its controlling terminal
        )
        os.close(slave)
        self.master = master
        self.screen = b""
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            self.screen += chunk

    def wait_for(self, *texts: str, seconds: float) -> bool:
        """True once every one of `texts` has been drawn; False when the process ended or
        `seconds` passed first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if all(text.encode() in self.screen for text in texts):
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def send(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self, timeout: float) -> Result:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        finally:
            self._reader.join(timeout=5)
            os.close(self.master)
        return Result(self.proc.returncode, "", self.screen.decode(errors="replace"))


def floorwatch_on_terminal(*args: str, env: dict[str, str], timeout: float = 120) -> Result:
    return Terminal([sys.executable, "-m", "floorwatch", *args], env).finish(timeout)


def assert_clean_failure(result: Result, code: int = 2) -> None:
    """Exit code as expected, exactly one line on stderr, no traceback anywhere."""
    assert result.code == code, result
    assert "Traceback" not in result.both, result
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("floorwatch"), result.err
