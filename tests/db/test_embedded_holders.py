"""The embedded server stops when its last live holder lets go, even after a holder died
without letting go (a monitor killed over a dropped SSH session, say)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from floorwatch.db.embedded import EmbeddedServer

HOLD = """
import sys, time
from pathlib import Path
from floorwatch.db.embedded import EmbeddedServer
EmbeddedServer(Path(sys.argv[1])).start()
print("holding", flush=True)
time.sleep(120)
"""


def _running(data_dir: Path) -> bool:
    return (data_dir / "pgdata" / "postmaster.pid").exists()


def test_a_killed_holder_does_not_keep_the_server_up(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    finally:
        holder.kill()  # SIGKILL: no chance to let go of the server
        holder.wait()
    assert _running(tmp_path)

    server = EmbeddedServer(tmp_path)
    server.start()  # forgets the killed holder
    server.stop()  # the last live holder lets go: the server stops
    assert not _running(tmp_path)
