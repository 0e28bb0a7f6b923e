"""The real monitor in a real pseudo-terminal over the hostile plant: every byte it writes is
read, and none of the data's escape sequences is among them."""

from __future__ import annotations

import sys
from pathlib import Path

from cli_helpers import Terminal, clean_env
from hostile import ESCAPES


def test_the_monitor_writes_no_escape_of_the_data(
    hostile: tuple[str, list], tmp_path: Path
) -> None:
    dsn, scopes = hostile
    args = ["--dsn", dsn, "--facility", str(scopes[0].facility_id)]
    terminal = Terminal(
        [sys.executable, "-m", "floorwatch", *args], clean_env(tmp_path), size=(160, 48)
    )
    # hostile rows in the grid and the run list, and the summary, drawn (the plant's data end
    # in November 2026 and the monitor's clock is the real one: no trends or alerts are due)
    drawn = terminal.wait_for("QuitMe", "done today", seconds=60)
    terminal.send("q")
    r = terminal.finish(15)
    assert drawn, r.err[-2000:]
    assert r.code == 0, r.err[-2000:]
    assert "Traceback" not in r.err
    output = terminal.screen
    for name, sequence in ESCAPES.items():
        assert sequence.encode() not in output, f"{name} from the data reached the terminal"
    assert "\x9b".encode() not in output  # C1 CSI (UTF-8 encoded)
