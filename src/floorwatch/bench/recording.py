"""A Database that records the SQL and arguments each panel sends, so the benchmark can
EXPLAIN exactly what the data layer runs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from floorwatch.db.pool import Database


class _RecordingConnection:
    def __init__(self, conn: asyncpg.Connection, log: list[tuple[str, tuple[Any, ...]]]) -> None:
        self._conn = conn
        self._log = log

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        self._log.append((sql, args))
        return await self._conn.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        self._log.append((sql, args))
        return await self._conn.fetchrow(sql, *args)


class RecordingDatabase(Database):
    def __init__(self, pool: asyncpg.Pool, reader_role: str | None) -> None:
        super().__init__(pool, reader_role)
        self.log: list[tuple[str, tuple[Any, ...]]] = []

    @asynccontextmanager
    async def reading(self, tenant_id: uuid.UUID) -> AsyncIterator[Any]:
        async with super().reading(tenant_id) as conn:
            yield _RecordingConnection(conn, self.log)

    async def fetch(self, tenant_id: uuid.UUID, sql: str, *args: Any) -> list[asyncpg.Record]:
        self.log.append((sql, args))
        return await super().fetch(tenant_id, sql, *args)
