"""Connections: opening them with errors a user can act on, and the read-only,
tenant-scoped transaction every monitor query runs in."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import asyncpg

from floorwatch.db.dsn import Target, describe, per_host, scrub
from floorwatch.errors import UserError

# What a dropped or unreachable server raises (see STACK-NOTES: asyncpg when the server goes away).
# TargetServerAttributeNotMatched: every host of a multi-host DSN answered, none is what
# target_session_attrs asks for (a failover in progress, or primary/standby mixed up).
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncio.TimeoutError,
    asyncpg.TargetServerAttributeNotMatched,
)

# what a host must be for each target_session_attrs that can fail
_ATTRS_WANTED = {
    "primary": "a primary",
    "standby": "a standby",
    "read-write": "read-write",
    "read-only": "read-only",
}

CONNECT_TIMEOUT_S = 10.0


# `floorwatch` first: on an adopted ERP database (db/adopt.py) the monitor's views and functions
# there stand in for the tables and functions of floorwatch's own schema, by the same names; on
# floorwatch's own schema it does not exist and the rest is PostgreSQL's default.
SEARCH_PATH = 'floorwatch, "$user", public'


def _settings(statement_timeout_ms: int) -> dict[str, str]:
    return {
        "application_name": "floorwatch",
        "statement_timeout": str(statement_timeout_ms),
        "search_path": SEARCH_PATH,
    }


def explain_connect_error(exc: BaseException, target: Target) -> str:
    where = describe(target.dsn)
    if isinstance(
        exc, asyncpg.InvalidPasswordError | asyncpg.InvalidAuthorizationSpecificationError
    ):
        return f"cannot connect to {where}: authentication failed"
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return f"cannot connect to {where}: database does not exist"
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return f"cannot connect to {where}: timed out after {CONNECT_TIMEOUT_S:.0f} s"
    if isinstance(exc, asyncpg.TargetServerAttributeNotMatched):
        found = re.search(r"'([a-z-]+)'>?\s*$", str(exc))
        attrs = found.group(1) if found else "?"
        wanted = _ATTRS_WANTED.get(attrs, attrs)
        return f"cannot connect to {where}: no host is {wanted} (target_session_attrs={attrs})"
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        if "," in where.partition("/")[0]:  # asyncpg tried every host; this is the last one's
            return f"cannot connect to {where}: no host answered (the last: {reason})"
        return f"cannot connect to {where}: {reason}"
    detail = scrub(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, target.dsn)
    return f"cannot connect to {where}: {detail}"


async def connect_any(dsn: str | None, **kwargs: Any) -> asyncpg.Connection:
    """asyncpg.connect, with a multi-host DSN tried one host at a time as libpq does (asyncpg
    would use the first host's ~/.pgpass password for all, and report the last unreachable
    host even when another answered but was not what target_session_attrs asks for).
    Authentication and other server errors stop at that host, as in libpq."""
    if dsn is None:
        return await asyncpg.connect(dsn, **kwargs)
    uris, attrs = per_host(dsn)
    if len(uris) == 1:
        return await asyncpg.connect(dsn, **kwargs)
    attrs = attrs or os.environ.get("PGTARGETSESSIONATTRS") or "any"
    rounds = ["standby", "any"] if attrs == "prefer-standby" else [attrs]
    unreachable: BaseException | None = None
    answered = False
    for wanted in rounds:
        for uri in uris:
            try:
                return await asyncpg.connect(uri, target_session_attrs=wanted, **kwargs)
            except asyncpg.TargetServerAttributeNotMatched:
                answered = True
            except (TimeoutError, OSError, asyncpg.CannotConnectNowError) as exc:
                unreachable = exc
    if answered or unreachable is None:
        raise asyncpg.TargetServerAttributeNotMatched(
            f"None of the hosts match the target attribute requirement '{attrs}'"
        )
    raise unreachable


async def connect(target: Target, statement_timeout_ms: int = 5000) -> asyncpg.Connection:
    """One connection; any failure becomes a one-line UserError (exit 2)."""
    try:
        return await connect_any(
            target.dsn,
            timeout=CONNECT_TIMEOUT_S,
            server_settings=_settings(statement_timeout_ms),
        )
    except (*CONNECTION_ERRORS, ValueError, asyncpg.ClientConfigurationError) as exc:
        raise UserError(explain_connect_error(exc, target)) from None


async def create_pool(
    target: Target, *, statement_timeout_ms: int = 5000, min_size: int = 1, max_size: int = 4
) -> asyncpg.Pool:
    try:
        return await asyncpg.create_pool(
            target.dsn,
            connect=connect_any,
            min_size=min_size,
            max_size=max_size,
            timeout=CONNECT_TIMEOUT_S,
            command_timeout=statement_timeout_ms / 1000 + 5,
            server_settings=_settings(statement_timeout_ms),
        )
    except (*CONNECTION_ERRORS, ValueError, asyncpg.ClientConfigurationError) as exc:
        raise UserError(explain_connect_error(exc, target)) from None


async def _rollback_quietly(conn: asyncpg.Connection) -> None:
    """Roll back if the connection still lives; the original error is what matters."""
    if conn.is_closed():
        return
    with suppress(CONNECTION_ERRORS):
        await conn.execute("ROLLBACK")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def as_tenant_sql(tenant_id: uuid.UUID, role: str | None) -> str:
    """The statements that open a transaction's work for one tenant: SET LOCAL ROLE (the role
    matters because superusers and table owners bypass row-level security) and the tenant
    setting the policies read. Sent inside the transaction, in the same message as anything
    else that opens it (one round trip)."""
    tenant = str(uuid.UUID(str(tenant_id)))  # validated: safe to inline
    parts = [f"SET LOCAL ROLE {quote_ident(role)}"] if role else []
    parts.append(f"SELECT set_config('app.current_tenant_id', '{tenant}', true)")
    return "; ".join(parts)


class Database:
    """The monitor's view of the plant database: read-only, as the reader role, one tenant.

    Each query runs in its own READ ONLY transaction opened together with `as_tenant_sql`
    in a single round trip.
    """

    def __init__(self, pool: asyncpg.Pool, reader_role: str | None = "floorwatch_reader") -> None:
        self.pool = pool
        self.reader_role = reader_role

    def _begin_sql(self, tenant_id: uuid.UUID) -> str:
        begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        return f"{begin}; {as_tenant_sql(tenant_id, self.reader_role)}"

    @asynccontextmanager
    async def reading(self, tenant_id: uuid.UUID) -> AsyncIterator[asyncpg.Connection]:
        async with self.pool.acquire() as conn:
            try:
                await conn.execute(self._begin_sql(tenant_id))
                yield conn
            except BaseException:
                await _rollback_quietly(conn)
                raise
            else:
                await conn.execute("COMMIT")

    async def fetch(self, tenant_id: uuid.UUID, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self.reading(tenant_id) as conn:
            return await conn.fetch(sql, *args)

    async def close(self) -> None:
        await self.pool.close()
