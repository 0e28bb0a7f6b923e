"""Shared fixtures: one real PostgreSQL for the session (embedded, or FLOORWATCH_TEST_DSN),
and a fresh migrated database per test that asks for one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from databases import (
    create_adopted_database,
    create_database,
    create_erp_database,
    create_migrated_database,
)
from floorwatch.db.embedded import EmbeddedServer


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


@pytest.fixture
async def empty_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh, empty database (no schema)."""
    yield await create_database(admin_dsn, "fw_empty")


@pytest.fixture
async def db_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh database with all migrations applied."""
    yield await create_migrated_database(admin_dsn, "fw_test")


@pytest.fixture
async def erp_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh database with the ERP's own tables (src/floorwatch/db/erp/schema.sql), empty."""
    yield await create_erp_database(admin_dsn, "fw_erp")


@pytest.fixture
async def adopted_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A fresh ERP database that floorwatch has adopted, with no rows."""
    yield await create_adopted_database(admin_dsn, "fw_adopted")


@pytest.fixture(scope="session")
async def hostile(admin_dsn: str) -> tuple[str, list]:
    """The showcase plant with hostile text in every text column (tests/hostile.py)."""
    from hostile import load_hostile

    dsn = await create_database(admin_dsn, "fw_hostile")
    return dsn, await load_hostile(dsn)
