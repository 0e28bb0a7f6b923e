"""What the benchmark tests share (tests/bench, tests/db/test_plans.py)."""

from __future__ import annotations

import asyncpg
import pytest

from floorwatch.bench.loader import is_bulk_capable


async def skip_unless_bulk_capable(dsn: str) -> None:
    """The bench's bulk loader COPYs as a superuser: skip when the test login is none."""
    conn = await asyncpg.connect(dsn)
    try:
        if not await is_bulk_capable(conn):
            pytest.skip("the bulk loader needs a superuser")
    finally:
        await conn.close()
