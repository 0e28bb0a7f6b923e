"""Connections: opening them with errors a user can act on, and the read-only, tenant-scoped
reads every monitor query runs in (Database; README: Performance, for what a transaction-mode
pooler changes)."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import partial
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
    target: Target,
    *,
    statement_timeout_ms: int = 5000,
    min_size: int = 1,
    max_size: int = 4,
    **options: Any,
) -> asyncpg.Pool:
    """A pool of plain connections (`options`: more of asyncpg.create_pool's arguments); the
    monitor's own reads use `open_database`."""
    try:
        return await asyncpg.create_pool(
            target.dsn,
            connect=connect_any,
            min_size=min_size,
            max_size=max_size,
            timeout=CONNECT_TIMEOUT_S,
            command_timeout=statement_timeout_ms / 1000 + 5,
            server_settings=_settings(statement_timeout_ms),
            **options,
        )
    except (*CONNECTION_ERRORS, ValueError, asyncpg.ClientConfigurationError) as exc:
        raise UserError(explain_connect_error(exc, target)) from None


# What may sit between the monitor and the server (config `pooler`): "none" or "session" (a
# session-mode pooler such as PgBouncer's pool_mode=session) keep the reading session on each
# connection; "transaction" (PgBouncer's pool_mode=transaction) sets it in each transaction.
POOLERS = ("none", "session", "transaction")

# Planner settings of the monitor's reads (per connection, or per transaction behind a
# transaction-mode pooler). Generic plans: each statement is planned once per connection, not on
# every poll (the alert statement took 5-7 ms to plan). Every panel statement reads through
# indexes that lead with the facility and the time column, so a plan made without the poll's
# values reads the same few rows; a bound on status_start that PostgreSQL 18 would skip-scan
# the work-center index for is kept off it in the SQL (+ interval '0 s'), which is what made
# generic plans 10-30x slower at 10x before (tests/db/test_plans.py checks the generic plans;
# README: Performance).
PLAN_SETTINGS: dict[str, str] = {"plan_cache_mode": "force_generic_plan"}


class _Session:
    """What a reading connection's session is set to: its role (set once, when the connection
    is made) and the tenant of its tenant setting (None: not known to be any tenant's)."""

    __slots__ = ("role", "tenant")

    def __init__(self) -> None:
        self.role: str | None = None
        self.tenant: str | None = None


class ReadingConnection(asyncpg.Connection):
    """A connection of the monitor's own pool in session mode: read-only by default, as the
    reader role, and remembering which tenant its session's setting is for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.floorwatch_session = _Session()


def _session_of(conn: Any) -> _Session | None:
    """The session state of a reading connection (through the pool's proxy); None for a plain
    connection, whose every transaction sets role and tenant itself."""
    session = getattr(conn, "floorwatch_session", None)
    return session if isinstance(session, _Session) else None


def _plan_sql(scope: str) -> list[str]:
    return [f"SET {scope}{name} = {value}" for name, value in PLAN_SETTINGS.items()]


async def _open_session(conn: asyncpg.Connection, role: str | None) -> None:
    """Once per new connection (the pool's `init`), one round trip: the reader role, read-only
    by default, the plan settings. The tenant comes with the first read."""
    parts = [f"SET ROLE {quote_ident(role)}"] if role else []
    parts += ["SET default_transaction_read_only = on", *_plan_sql("")]
    await conn.execute("; ".join(parts))
    session = _session_of(conn)
    assert session is not None
    session.role = role


async def _keep_session(conn: asyncpg.Connection) -> None:
    """The pool's `reset` on release: nothing to send. asyncpg has already rolled back a
    transaction left open (Connection._reset); the monitor never LISTENs, locks or opens a
    cursor on these connections, and its session settings are meant to stay."""


async def open_database(
    target: Target,
    *,
    reader_role: str | None = "floorwatch_reader",
    statement_timeout_ms: int = 5000,
    min_size: int = 1,
    max_size: int = 4,
    pooler: str = "none",
) -> Database:
    """The monitor's Database over a pool of its own. Without a transaction-mode pooler each
    connection is set up once (role, read-only, plan settings) and keeps its tenant setting, so
    a single-statement read is one round trip; with `pooler="transaction"` every read sets them
    in its own transaction (3 round trips). Either way there is no reset round trip on release."""
    if pooler not in POOLERS:
        raise ValueError(f"pooler must be one of {', '.join(POOLERS)}")
    if pooler == "transaction":
        pool = await create_pool(
            target,
            statement_timeout_ms=statement_timeout_ms,
            min_size=min_size,
            max_size=max_size,
            reset=_keep_session,
        )
    else:
        pool = await create_pool(
            target,
            statement_timeout_ms=statement_timeout_ms,
            min_size=min_size,
            max_size=max_size,
            connection_class=ReadingConnection,
            init=partial(_open_session, role=reader_role),
            reset=_keep_session,
        )
    return Database(pool, reader_role)


async def _rollback_quietly(conn: asyncpg.Connection) -> None:
    """Roll back if the connection still lives; the original error is what matters."""
    if conn.is_closed():
        return
    with suppress(CONNECTION_ERRORS):
        await conn.execute("ROLLBACK")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tenant_text(tenant_id: uuid.UUID) -> str:
    return str(uuid.UUID(str(tenant_id)))  # validated: safe to inline


def set_tenant_sql(tenant_id: uuid.UUID, *, local: bool) -> str:
    """The tenant setting the row-level security policies read; `local`: for the transaction
    only (set_config's is_local), else for the session."""
    tenant = _tenant_text(tenant_id)
    return f"SELECT set_config('app.current_tenant_id', '{tenant}', {'true' if local else 'false'})"


def as_tenant_sql(tenant_id: uuid.UUID, role: str | None) -> str:
    """The statements that open a transaction's work for one tenant: SET LOCAL ROLE (the role
    matters because superusers and table owners bypass row-level security) and the tenant
    setting the policies read. Sent inside the transaction, in the same message as anything
    else that opens it (one round trip)."""
    parts = [f"SET LOCAL ROLE {quote_ident(role)}"] if role else []
    parts.append(set_tenant_sql(tenant_id, local=True))
    return "; ".join(parts)


class Database:
    """The monitor's view of the plant database: read-only, as the reader role, one tenant.

    Over `open_database`'s pool (session mode) each connection is read-only and the reader role
    from the start and keeps its tenant setting: `fetch` is one round trip (two when the
    connection's tenant changes: the setting first), `reading` is BEGIN (with the tenant change,
    if any) + its statements + COMMIT. Over a plain pool (and behind a transaction-mode pooler)
    each read runs in its own READ ONLY transaction opened together with `as_tenant_sql` in one
    round trip.

    A connection's tenant is remembered only once the server has confirmed it (the setting's
    statement returned, or the transaction that changed it committed); after any failure it is
    unknown, and the next read sets it again before anything else.
    """

    def __init__(self, pool: asyncpg.Pool, reader_role: str | None = "floorwatch_reader") -> None:
        self.pool = pool
        self.reader_role = reader_role

    def _begin_sql(self, tenant_id: uuid.UUID) -> str:
        parts = [_BEGIN, as_tenant_sql(tenant_id, self.reader_role), *_plan_sql("LOCAL ")]
        return "; ".join(parts)

    def _checked(self, session: _Session) -> _Session:
        if session.role != self.reader_role:  # a pool opened for another role
            raise RuntimeError("this connection was opened for another reader role")
        return session

    @asynccontextmanager
    async def reading(self, tenant_id: uuid.UUID) -> AsyncIterator[asyncpg.Connection]:
        """One consistent snapshot (REPEATABLE READ, READ ONLY) for several statements."""
        tenant = _tenant_text(tenant_id)
        async with self.pool.acquire() as conn:
            session = _session_of(conn)
            if session is None:
                begin = self._begin_sql(tenant_id)
            else:
                changed = self._checked(session).tenant != tenant
                session.tenant = None  # until COMMIT: a rollback would undo a change
                begin = f"{_BEGIN}; {set_tenant_sql(tenant_id, local=False)}" if changed else _BEGIN
            try:
                await conn.execute(begin)
                yield conn
            except BaseException:
                await _rollback_quietly(conn)
                raise
            else:
                # COMMIT of a transaction a caught error aborted answers ROLLBACK: a tenant
                # change made in it is undone, the setting is what it was before
                done = await conn.execute("COMMIT")
                if session is not None and done == "COMMIT":
                    session.tenant = tenant

    async def fetch(self, tenant_id: uuid.UUID, sql: str, *args: Any) -> list[asyncpg.Record]:
        """One statement (its own snapshot): in session mode one round trip on a connection
        already set to this tenant."""
        tenant = _tenant_text(tenant_id)
        async with self.pool.acquire() as conn:
            session = _session_of(conn)
            if session is None:
                try:
                    await conn.execute(self._begin_sql(tenant_id))
                    rows = await conn.fetch(sql, *args)
                except BaseException:
                    await _rollback_quietly(conn)
                    raise
                await conn.execute("COMMIT")
                return rows
            if self._checked(session).tenant != tenant:
                session.tenant = None
                await conn.execute(set_tenant_sql(tenant_id, local=False))
                session.tenant = tenant
            return await conn.fetch(sql, *args)

    async def close(self) -> None:
        await self.pool.close()


_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
