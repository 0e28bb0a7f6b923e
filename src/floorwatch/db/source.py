"""PlantSource: where a running monitor gets its PlantData from.

The pool is opened lazily on first use inside the app's event loop, so a monitor can start
while the database is down and connect when it comes back; switching facility keeps the pool.
Whatever goes wrong on the way to the server comes out as one SourceUnavailable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from floorwatch.db.dsn import Target, scrub
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import CONNECTION_ERRORS, Database, open_database
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.losses import LossRules
from floorwatch.domain.models import Scope
from floorwatch.errors import UserError
from floorwatch.text import clean

T = TypeVar("T")


class SourceUnavailable(Exception):
    """The data could not be fetched: the server is unreachable, dropped the connection, timed
    out or refused the query. `reason` is one line fit for the screen: the DSN's password is
    scrubbed and server text (which may quote hostile names) is cleaned of markup and controls."""

    def __init__(self, reason: str, *, connection_lost: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.connection_lost = connection_lost


def unavailable_reason(exc: BaseException, dsn: str | None) -> str:
    return clean(_describe(exc, dsn))


def _describe(exc: BaseException, dsn: str | None) -> str:
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return "query timed out"
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"server not reachable ({exc.strerror or type(exc).__name__})"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return scrub(text, dsn)


class PlantSource:
    def __init__(
        self,
        target: Target,
        scope: Scope,
        *,
        reader_role: str | None = "floorwatch_reader",
        statement_timeout_ms: int = 5000,
        rules: AlertRules | None = None,
        losses: LossRules | None = None,
        plant_class: type[PlantData] = PlantData,
        max_connections: int = 4,
        pooler: str = "none",
    ) -> None:
        self.target = target
        self.scope = scope
        self.reader_role = reader_role
        self.statement_timeout_ms = statement_timeout_ms
        self.rules = rules or AlertRules()
        self.losses = losses or LossRules()
        self.plant_class = plant_class
        self.max_connections = max_connections
        self.pooler = pooler  # config `pooler`: what sits between the monitor and the server
        self._db: Database | None = None
        self._plant: PlantData | None = None
        self._lock = asyncio.Lock()

    async def data(self) -> PlantData:
        """The PlantData for the current scope; raises UserError while the server is away."""
        if self._plant is not None:
            return self._plant
        async with self._lock:
            if self._db is None:
                self._db = await open_database(
                    self.target,
                    reader_role=self.reader_role,
                    statement_timeout_ms=self.statement_timeout_ms,
                    min_size=1,
                    max_size=self.max_connections,
                    pooler=self.pooler,
                )
            if self._plant is None:
                self._plant = self.plant_class(self._db, self.scope, self.rules, losses=self.losses)
            return self._plant

    async def fetch(
        self, fetch: Callable[[PlantData, datetime], Awaitable[T]], now: datetime, within: float
    ) -> T:
        """`fetch` over the current scope's PlantData, given `within` seconds to answer;
        raises SourceUnavailable when the server cannot be reached or the query fails there."""
        try:
            data = await self.data()
            return await asyncio.wait_for(fetch(data, now), within)
        except (UserError, *CONNECTION_ERRORS) as exc:
            raise SourceUnavailable(unavailable_reason(exc, self.target.dsn)) from exc

    def switch(self, scope: Scope) -> None:
        self.scope = scope
        self._plant = None

    async def close(self) -> None:
        if self._db is not None:
            db, self._db, self._plant = self._db, None, None
            await db.close()
