"""Getting from "a Target" to "a database with the floorwatch schema": the embedded default's
first-use work (start, create, migrate, seed), and the schema check every command makes."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import asyncpg

from floorwatch.db import adopt, embedded, migrate
from floorwatch.db.dsn import Target
from floorwatch.db.mode import SchemaMode, not_adopted_message, schema_mode
from floorwatch.db.pool import connect
from floorwatch.errors import UserError

Seeder = Callable[[str], Awaitable[object]]


@dataclass
class EmbeddedDefault:
    """The embedded server this process holds, and the target it serves."""

    server: embedded.EmbeddedServer
    target: Target

    @property
    def data_dir(self) -> Path:
        return self.server.data_dir


async def _has_plant(dsn: str) -> bool:
    conn = await asyncpg.connect(dsn)
    try:
        # the superuser bypasses RLS, so this sees every tenant
        return bool(await conn.fetchval("SELECT EXISTS (SELECT 1 FROM facilities)"))
    finally:
        await conn.close()


async def _drop_database(admin_dsn: str, database: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


def start_embedded(data_dir: Path) -> embedded.EmbeddedServer:
    server = embedded.EmbeddedServer(data_dir)
    server.start()
    return server


async def _prepare(
    server: embedded.EmbeddedServer,
    database: str,
    make_schema: Callable[[asyncpg.Connection], Awaitable[object]],
    *,
    seed: Seeder | None,
    reset: bool,
) -> EmbeddedDefault:
    if reset:
        await _drop_database(server.admin_dsn(), database)
    await embedded.ensure_database(server.admin_dsn(), database)
    dsn = server.dsn(database)
    conn = await asyncpg.connect(dsn)
    try:
        await make_schema(conn)
    finally:
        await conn.close()
    if seed is not None and not await _has_plant(dsn):
        await seed(dsn)
    return EmbeddedDefault(server=server, target=Target(dsn, "embedded"))


async def prepare_embedded(
    server: embedded.EmbeddedServer, *, seed: Seeder | None, reset: bool = False
) -> EmbeddedDefault:
    """Create the database, migrate it, and seed a demo plant on first use (or after reset).

    Call under ``embedded.lock(server.data_dir)`` so two processes never seed at once."""
    return await _prepare(
        server, embedded.DEFAULT_DATABASE, migrate.migrate, seed=seed, reset=reset
    )


def erp_schema_sql() -> str:
    """The ERP's own tables (db/erp/schema.sql), as its migrations create them."""
    return files("floorwatch.db").joinpath("erp", "schema.sql").read_text("utf-8")


async def _adopted_erp_tables(conn: asyncpg.Connection) -> None:
    if await conn.fetchval("SELECT to_regclass('public.tenants') IS NULL"):
        await conn.execute(erp_schema_sql())
    await adopt.adopt(conn, "public")


async def prepare_embedded_erp(
    server: embedded.EmbeddedServer, *, seed: Seeder | None, reset: bool = False
) -> EmbeddedDefault:
    """`demo --erp-schema`: a second embedded database (embedded.ERP_DATABASE) holding the
    ERP's own tables (db/erp/schema.sql), adopted as a plant's ERP database would be, and
    seeded on first use (or after reset) through the ERP's columns. Call under
    ``embedded.lock(server.data_dir)``."""
    return await _prepare(
        server, embedded.ERP_DATABASE, _adopted_erp_tables, seed=seed, reset=reset
    )


async def require_schema(
    target: Target,
    conn: asyncpg.Connection | None = None,
    *,
    reads: bool = True,
    erp_ok: bool = False,
) -> SchemaMode:
    """The database's mode; UserError (exit 2) when floorwatch cannot work on it: no schema, or
    an ERP database not adopted (unless `erp_ok`: the simulator writes the ERP's tables as they
    are). `reads=False` (the admin commands, which write floorwatch's own tables only): an
    adopted database need not have its views yet."""
    own = conn is None
    conn = conn or await connect(target)
    try:
        mode = await schema_mode(conn)
    finally:
        if own:
            await conn.close()
    if mode.kind == "erp" and not erp_ok:
        raise UserError(not_adopted_message(target.display))
    if mode.kind == "adopted" and mode.missing and reads:
        raise UserError(
            f"{target.display} is adopted, but floorwatch's views are missing "
            f"({', '.join(mode.missing)}): run `floorwatch migrate --adopt`"
        )
    if mode.kind in ("native", "none") and mode.missing:
        raise UserError(
            f"{target.display} has no floorwatch schema (missing {', '.join(mode.missing)}); "
            "run `floorwatch migrate` first"
        )
    return mode


def sql_ident(name: str) -> str:
    """A role name as it must be written in SQL (quoted unless plain lower case)."""
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


async def require_reader_role(conn: asyncpg.Connection, role: str | None) -> None:
    """UserError, naming the missing role or grant, unless this login can act as the reader."""
    if not role:
        return
    exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
    if not exists:
        raise UserError(
            f"reader_role {role!r} does not exist on this server: run `floorwatch migrate` "
            "(it creates floorwatch_reader), or set reader_role to an existing role"
        )
    login = await conn.fetchval("SELECT session_user")
    if not await conn.fetchval("SELECT pg_has_role(session_user, $1, 'MEMBER')", role):
        raise UserError(
            f"login {login!r} is not a member of {role!r}: "
            f"GRANT {sql_ident(role)} TO {sql_ident(login)}"
        )
