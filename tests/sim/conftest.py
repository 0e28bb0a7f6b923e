"""Simulator fixtures: migrated databases filled by the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from sim_support import PLANT, migrated_database

from floorwatch.sim import simulate


@pytest.fixture(scope="module")
async def plant_dsn(admin_dsn: str) -> AsyncIterator[str]:
    """A database with the default simulated plant (12 work centers, 7 days, Berlin)."""
    dsn = await migrated_database(admin_dsn)
    await simulate(dsn, PLANT)
    yield dsn


@pytest.fixture
async def conn(plant_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    c = await asyncpg.connect(plant_dsn)  # the superuser: sees every row
    try:
        yield c
    finally:
        await c.close()
