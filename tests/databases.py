"""Creating throwaway databases on the test server (shared by conftest files)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from floorwatch.db import adopt, migrate
from floorwatch.db.bootstrap import erp_schema_sql


def with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + database))


async def create_database(admin: str, prefix: str) -> str:
    """A new empty database on the server of `admin`; returns its DSN."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin, name)


async def create_migrated_database(admin: str, prefix: str) -> str:
    """A new database with every migration applied; returns its DSN."""
    dsn = await create_database(admin, prefix)
    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn)
    finally:
        await conn.close()
    return dsn


async def create_erp_database(admin: str, prefix: str) -> str:
    """A new database holding the ERP's tables (no floorwatch object); returns its DSN."""
    dsn = await create_database(admin, prefix)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(erp_schema_sql())
    finally:
        await conn.close()
    return dsn


async def create_adopted_database(admin: str, prefix: str) -> str:
    """A new ERP database that floorwatch has adopted (every adoption step applied)."""
    dsn = await create_erp_database(admin, prefix)
    conn = await asyncpg.connect(dsn)
    try:
        await adopt.adopt(conn, "public")
    finally:
        await conn.close()
    return dsn
