"""The real monitor in a real pseudo-terminal over the hostile plant: every byte it writes is
read, and none of the data's escape sequences is among them."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from cli_helpers import clean_env
from hostile import ESCAPES


def _read_for(fd: int, seconds: float) -> bytes:
    out = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
    return out


def test_the_monitor_writes_no_escape_of_the_data(
    hostile: tuple[str, list], tmp_path: Path
) -> None:
    dsn, scopes = hostile
    env = clean_env(tmp_path, TERM="xterm-256color", COLUMNS="160", LINES="48")
    main, child = pty.openpty()
    os.set_blocking(main, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "floorwatch",
            "--dsn",
            dsn,
            "--facility",
            str(scopes[0].facility_id),
        ],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    try:
        output = _read_for(main, 12.0)  # start, first polls of every panel
        os.write(main, b"q")
        output += _read_for(main, 5.0)
        code = proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
    text = output.decode("utf-8", "replace")
    assert code == 0, text[-2000:]
    assert "Traceback" not in text
    assert "QuitMe" in text  # the hostile rows were on screen
    for name, sequence in ESCAPES.items():
        assert sequence.encode() not in output, f"{name} from the data reached the terminal"
    assert "\x9b".encode() not in output  # C1 CSI (UTF-8 encoded)
