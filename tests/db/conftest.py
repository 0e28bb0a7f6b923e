"""Fixtures of the data-layer tests: a builder of hand-made rows, and the monitor's Database
over the same fresh migrated database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from plant_builder import PlantBuilder, open_database
from tcp_pair import TcpPair, start_pair

from floorwatch.db.pool import Database


@pytest.fixture
async def builder(db_dsn: str) -> AsyncIterator[PlantBuilder]:
    conn = await asyncpg.connect(db_dsn)
    try:
        yield PlantBuilder(conn)
    finally:
        await conn.close()


@pytest.fixture
async def database(db_dsn: str) -> AsyncIterator[Database]:
    db = await open_database(db_dsn)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture(scope="session")
def tcp_pair() -> Iterator[TcpPair]:
    """A primary and its standby on TCP ports, and a dead port (tests/db/tcp_pair.py)."""
    pair = start_pair()
    try:
        yield pair
    finally:
        pair.stop()
