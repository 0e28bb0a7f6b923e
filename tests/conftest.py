"""Shared fixtures: one real PostgreSQL for the session (embedded, or FLOORWATCH_TEST_DSN),
and a fresh migrated database per test that asks for one."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from floorwatch.db import migrate
from floorwatch.db.embedded import EmbeddedServer


def _with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + database))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[EmbeddedServer | None]:
    """The embedded server for this test session (None when FLOORWATCH_TEST_DSN is given)."""
    if os.environ.get("FLOORWATCH_TEST_DSN"):
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="fw-test-pg-"))
    server = EmbeddedServer(root)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def admin_dsn(pg_server: EmbeddedServer | None) -> str:
    return os.environ.get("FLOORWATCH_TEST_DSN") or pg_server.admin_dsn()  # type: ignore[union-attr]


async def _create_database(admin: str, prefix: str) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return _with_database(admin, name)


@pytest.fixture
async def empty_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh, empty database (no schema)."""
    yield await _create_database(admin_dsn, "fw_empty")


@pytest.fixture
async def db_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh database with all migrations applied."""
    dsn = await _create_database(admin_dsn, "fw_test")
    conn = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(conn)
    finally:
        await conn.close()
    yield dsn
