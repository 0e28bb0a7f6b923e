"""The showcase plant (the simulator's fixed dataset) in the test server, shared by the UI
tests; each test builds its own app over it."""

from __future__ import annotations

from urllib.parse import urlsplit

import asyncpg
import pytest

from databases import create_database, create_migrated_database, with_database
from floorwatch.domain.models import Scope
from floorwatch.showcase import SHOWCASE_NOW, load_showcase, showcase_scopes
from floorwatch.sim import SimOptions, simulate


@pytest.fixture(scope="session")
async def showcase(admin_dsn: str) -> tuple[str, Scope]:
    dsn = await create_database(admin_dsn, "fw_showcase")
    scope = await load_showcase(dsn)
    return dsn, scope


@pytest.fixture
async def closed_showcase(admin_dsn: str) -> tuple[str, Scope]:
    """A showcase database that refuses new connections once the test says so."""
    # a fixed name: the error on screen names the database, and the snapshot must not change
    name = "fw_snapshot_closed"
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    dsn = with_database(admin_dsn, name)
    scope = await load_showcase(dsn)
    return dsn, scope


async def refuse_connections(admin_dsn: str, dsn: str) -> None:
    """Make the server refuse `dsn` (a real failure, not a mock): no new connections, and the
    open ones terminated."""
    name = urlsplit(dsn).path.lstrip("/")
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def two_facilities(admin_dsn: str) -> tuple[str, list[Scope]]:
    """A tenant with two small facilities (for switching)."""
    dsn = await create_migrated_database(admin_dsn, "fw_two")
    options = SimOptions(seed=11, backfill_days=2, facilities=2, work_centers=4, until=SHOWCASE_NOW)
    await simulate(dsn, options)
    return dsn, await showcase_scopes(dsn)
