"""The database both login test modules build: tenants ALPHA and BETA with rows in all eight
tables, and the Logins that create (and at the end drop) real login roles on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from plant_builder import PlantBuilder
from test_security import fill

from databases import create_database
from floorwatch.db import migrate
from floorwatch.domain.models import Scope
from logins import Logins


@dataclass
class TwoTenants:
    dsn: str  # the test superuser's
    alpha: Scope
    beta: Scope
    logins: Logins


@asynccontextmanager
async def two_tenants(admin_dsn: str, prefix: str) -> AsyncIterator[TwoTenants]:
    dsn = await create_database(admin_dsn, prefix)
    admin = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(admin)
        b = PlantBuilder(admin)
        alpha, beta = await fill(b, "ALPHA"), await fill(b, "BETA")
        logins = Logins(admin, dsn)
        try:
            yield TwoTenants(dsn, alpha, beta, logins)
        finally:
            await logins.close()
    finally:
        await admin.close()
