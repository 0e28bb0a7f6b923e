"""Real non-superuser login roles on the test server, and DSNs that connect as them.

Roles are cluster-wide, so each gets a fresh name. The embedded test server trusts local
logins over its Unix socket; the password is there for an external FLOORWATCH_TEST_DSN server."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg


def dsn_as(dsn: str, login: str, password: str) -> str:
    """`dsn` with another user and password (host, port, database and query kept)."""
    parts = urlsplit(dsn)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(login)}:{quote(password)}@{host}"))


class Logins:
    """Creates login roles through an admin (superuser) connection; drops them in close()."""

    def __init__(self, admin: asyncpg.Connection, dsn: str) -> None:
        self.admin = admin
        self.dsn = dsn
        self.password = secrets.token_hex(8)
        self.created: list[str] = []

    async def create(self, *member_of: str, prefix: str = "fw_login") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        await self.admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{self.password}'")
        for role in member_of:
            await self.admin.execute(f"GRANT {role} TO {name}")
        self.created.append(name)
        return name

    def dsn_of(self, login: str, dsn: str | None = None) -> str:
        return dsn_as(dsn or self.dsn, login, self.password)

    async def connect(self, login: str) -> asyncpg.Connection:
        return await asyncpg.connect(self.dsn_of(login))

    async def close(self) -> None:
        for name in self.created:
            await self.admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", name
            )
            await self.admin.execute(f"DROP OWNED BY {name}; DROP ROLE IF EXISTS {name}")
