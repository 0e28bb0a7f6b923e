"""PlantSource: where a running monitor gets its PlantData from.

The pool is opened lazily on first use inside the app's event loop, so a monitor can start
while the database is down and connect when it comes back; switching facility keeps the pool."""

from __future__ import annotations

import asyncio

from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database, create_pool
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import Scope


class PlantSource:
    def __init__(
        self,
        target: Target,
        scope: Scope,
        *,
        reader_role: str | None = "floorwatch_reader",
        statement_timeout_ms: int = 5000,
        rules: AlertRules | None = None,
        plant_class: type[PlantData] = PlantData,
        max_connections: int = 4,
    ) -> None:
        self.target = target
        self.scope = scope
        self.reader_role = reader_role
        self.statement_timeout_ms = statement_timeout_ms
        self.rules = rules or AlertRules()
        self.plant_class = plant_class
        self.max_connections = max_connections
        self._db: Database | None = None
        self._plant: PlantData | None = None
        self._lock = asyncio.Lock()

    async def data(self) -> PlantData:
        """The PlantData for the current scope; raises UserError while the server is away."""
        if self._plant is not None:
            return self._plant
        async with self._lock:
            if self._db is None:
                pool = await create_pool(
                    self.target,
                    statement_timeout_ms=self.statement_timeout_ms,
                    min_size=1,
                    max_size=self.max_connections,
                )
                self._db = Database(pool, self.reader_role)
            if self._plant is None:
                self._plant = self.plant_class(self._db, self.scope, self.rules)
            return self._plant

    def switch(self, scope: Scope) -> None:
        self.scope = scope
        self._plant = None

    async def close(self) -> None:
        if self._db is not None:
            db, self._db, self._plant = self._db, None, None
            await db.close()
