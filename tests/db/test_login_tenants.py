"""Tenant isolation as a boundary for real, non-superuser logins (V005, floorwatch grant).

Unlike test_security.py (the superuser switching to the reader role), every reading here
connects as a LOGIN role that is a member of floorwatch_reader and was granted one tenant, the
way a plant's monitor login is. It chooses app.current_tenant_id itself, as any client can.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from login_plant import two_tenants
from plant_builder import PlantBuilder
from test_security import TABLES, fill, tenant_column

from databases import with_database
from floorwatch.db import grants, migrate
from floorwatch.db.dsn import Target
from floorwatch.db.pool import Database, open_database
from floorwatch.domain.models import Scope
from logins import Logins


class Plant:
    def __init__(self, dsn: str, alpha: Scope, beta: Scope, logins: Logins) -> None:
        self.dsn = dsn
        self.alpha = alpha
        self.beta = beta
        self.logins = logins


@pytest.fixture(scope="module")
async def plant(admin_dsn: str) -> AsyncIterator[Plant]:
    """A migrated database with tenants ALPHA and BETA (rows in all eight tables)."""
    async with two_tenants(admin_dsn, "fw_logins") as made:
        yield Plant(made.dsn, made.alpha, made.beta, made.logins)


@pytest.fixture(scope="module")
async def login_a(plant: Plant) -> str:
    """A monitor login: member of floorwatch_reader, granted ALPHA only."""
    name = await plant.logins.create("floorwatch_reader", prefix="fw_mon_a")
    await grants.grant_tenant(plant.logins.admin, name, "ALPHA")
    return name


@pytest.fixture
async def as_a(plant: Plant, login_a: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await plant.logins.connect(login_a)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def monitor_a(plant: Plant, login_a: str) -> AsyncIterator[Database]:
    """The monitor's own data layer (its connections set to floorwatch_reader) logged in as A."""
    db = await open_database(Target(plant.logins.dsn_of(login_a), "flag"), max_size=1)
    try:
        yield db
    finally:
        await db.close()


async def _count(conn: asyncpg.Connection, table: str, tenant: uuid.UUID) -> int:
    return await conn.fetchval(
        f"SELECT count(*) FROM {table} WHERE {tenant_column(table)} = $1", tenant
    )


async def _directory(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch("SELECT DISTINCT tenant_code FROM floorwatch_directory() ORDER BY 1")
    return [r["tenant_code"] for r in rows]


# ---------------------------------------------------------------------------------------------
# Login A, granted ALPHA, reads nothing of BETA, whatever tenant it sets


@pytest.mark.parametrize("table", TABLES)
async def test_monitor_login_reads_no_row_of_an_ungranted_tenant(
    table: str, plant: Plant, monitor_a: Database
) -> None:
    # BETA does have rows here (the superuser bypasses RLS) ...
    assert await _count(plant.logins.admin, table, plant.beta.tenant_id) > 0
    # ... and A reads ALPHA's through the very same path, so the zero below is the boundary
    async with monitor_a.reading(plant.alpha.tenant_id) as c:
        assert await _count(c, table, plant.alpha.tenant_id) > 0
        # setting the tenant itself, inside the monitor's transaction
        await c.execute(
            "SELECT set_config('app.current_tenant_id', $1, true)", str(plant.beta.tenant_id)
        )
        assert await _count(c, table, plant.beta.tenant_id) == 0
        assert await c.fetchval(f"SELECT count(*) FROM {table}") == 0
    async with monitor_a.reading(plant.beta.tenant_id) as c:
        assert await c.fetchval("SELECT current_user") == "floorwatch_reader"
        assert await c.fetchval(f"SELECT count(*) FROM {table}") == 0


@pytest.mark.parametrize("table", TABLES)
async def test_inherited_reader_privileges_without_set_role_are_bounded_too(
    table: str, plant: Plant, as_a: asyncpg.Connection
) -> None:
    """A member of floorwatch_reader has its SELECT privilege as itself (INHERIT): the
    restrictive policy applies to it as well, not only after SET ROLE."""
    for tenant, expect_rows in ((plant.alpha.tenant_id, True), (plant.beta.tenant_id, False)):
        async with as_a.transaction():
            await as_a.execute("SELECT set_config('app.current_tenant_id', $1, true)", str(tenant))
            assert await as_a.fetchval("SELECT current_user") != "floorwatch_reader"
            assert (await as_a.fetchval(f"SELECT count(*) FROM {table}") > 0) is expect_rows


async def test_directory_lists_only_granted_tenants(
    plant: Plant, as_a: asyncpg.Connection, login_a: str
) -> None:
    assert await _directory(as_a) == ["ALPHA"]
    async with as_a.transaction():  # as the monitor reads it, too
        await as_a.execute("SET LOCAL ROLE floorwatch_reader")
        assert await _directory(as_a) == ["ALPHA"]
    # a reader login with no grant sees no tenant at all
    bare = await plant.logins.create("floorwatch_reader", prefix="fw_mon_bare")
    conn = await plant.logins.connect(bare)
    try:
        assert await _directory(conn) == []
    finally:
        await conn.close()


async def test_superuser_and_writer_logins_see_every_tenant(plant: Plant) -> None:
    """The superuser (the embedded demo's login) and writer logins keep the whole directory;
    a writer could read any tenant through floorwatch_writer anyway."""
    assert await _directory(plant.logins.admin) == ["ALPHA", "BETA"]
    writer = await plant.logins.create("floorwatch_writer", "floorwatch_reader", prefix="fw_sim")
    conn = await plant.logins.connect(writer)
    try:
        assert await _directory(conn) == ["ALPHA", "BETA"]
        async with conn.transaction():
            await conn.execute("SET LOCAL ROLE floorwatch_reader")
            await conn.execute(
                "SELECT set_config('app.current_tenant_id', $1, true)", str(plant.beta.tenant_id)
            )
            assert await conn.fetchval("SELECT count(*) FROM production_runs") > 0
    finally:
        await conn.close()


async def test_a_writer_login_still_writes_its_tenant(plant: Plant) -> None:
    """The simulator's path (SET LOCAL ROLE floorwatch_writer + tenant) is unchanged for a
    non-superuser login, and still confined to the current tenant."""
    writer = await plant.logins.create("floorwatch_writer", prefix="fw_sim")
    conn = await plant.logins.connect(writer)
    row = (
        "INSERT INTO work_centers (id, tenant_id, facility_id, work_center_code,"
        " work_center_name, work_center_type, production_rate_per_hour)"
        " VALUES (gen_random_uuid(), $1, $2, 'NEW', 'new', 'folder', 100)"
    )
    try:
        tx = conn.transaction()
        await tx.start()
        try:
            await conn.execute("SET LOCAL ROLE floorwatch_writer")
            await conn.execute(
                "SELECT set_config('app.current_tenant_id', $1, true)", str(plant.alpha.tenant_id)
            )
            assert await conn.execute(row, plant.alpha.tenant_id, plant.alpha.facility_id) == (
                "INSERT 0 1"
            )
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
                await conn.execute(row, plant.beta.tenant_id, plant.beta.facility_id)
        finally:
            await tx.rollback()
    finally:
        await conn.close()


# ---------------------------------------------------------------------------------------------
# Grants: revoking takes effect at the next query; the reader cannot grant itself


async def test_revoke_removes_access_on_an_open_connection(plant: Plant) -> None:
    login = await plant.logins.create("floorwatch_reader", prefix="fw_mon_b")
    admin = plant.logins.admin
    conn = await plant.logins.connect(login)

    async def beta_runs() -> int:
        async with conn.transaction():
            await conn.execute("SET LOCAL ROLE floorwatch_reader")
            await conn.execute(
                "SELECT set_config('app.current_tenant_id', $1, true)", str(plant.beta.tenant_id)
            )
            return await conn.fetchval("SELECT count(*) FROM production_runs")

    try:
        assert await beta_runs() == 0 and await _directory(conn) == []
        assert await grants.grant_tenant(admin, login, "BETA") == [
            f"granted tenant 'BETA' to login {login!r}"
        ]
        assert await beta_runs() > 0 and await _directory(conn) == ["BETA"]
        assert await grants.revoke_tenant(admin, login, "BETA") == [
            f"revoked tenant 'BETA' from login {login!r}"
        ]
        assert await beta_runs() == 0 and await _directory(conn) == []
    finally:
        await conn.close()


@pytest.mark.parametrize("set_role", [False, True])
async def test_a_reader_login_cannot_read_or_change_the_grants(
    set_role: bool, plant: Plant, as_a: asyncpg.Connection
) -> None:
    tx = as_a.transaction()
    await tx.start()
    try:
        if set_role:
            await as_a.execute("SET LOCAL ROLE floorwatch_reader")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="floorwatch_login_tenants"):
            await as_a.execute(
                "INSERT INTO floorwatch_login_tenants (login, tenant_id) VALUES (session_user, $1)",
                plant.beta.tenant_id,
            )
    finally:
        await tx.rollback()
    for statement in (
        "SELECT * FROM floorwatch_login_tenants",
        "DELETE FROM floorwatch_login_tenants",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await as_a.execute(statement)


async def test_a_tenant_granted_twice_is_one_grant_and_deleting_the_tenant_drops_it(
    plant: Plant, login_a: str
) -> None:
    admin = plant.logins.admin
    assert await grants.grant_tenant(admin, login_a, str(plant.alpha.tenant_id)) == [
        f"login {login_a!r} already had tenant 'ALPHA'"
    ]
    listed = await grants.list_grants(admin, login_a)
    assert [(g.login, g.tenant_code, g.can_login) for g in listed] == [(login_a, "ALPHA", True)]
    gamma = await PlantBuilder(admin).tenant("GAMMA")
    await grants.grant_tenant(admin, login_a, "GAMMA")
    assert [g.tenant_code for g in await grants.list_grants(admin, login_a)] == ["ALPHA", "GAMMA"]
    await admin.execute("DELETE FROM tenants WHERE id = $1", gamma)
    assert [g.tenant_code for g in await grants.list_grants(admin, login_a)] == ["ALPHA"]


# ---------------------------------------------------------------------------------------------
# A schema owner that is not a superuser (a plant's usual migrating login)


async def test_a_non_superuser_owner_administers_grants_and_sees_every_tenant(
    plant: Plant, admin_dsn: str
) -> None:
    """The owner is a member of floorwatch_reader (V002), so the restrictive policy applies to
    it; it must still see everything, and floorwatch_directory(), which runs as the owner, must
    still filter by the calling login rather than come back empty."""
    server = await asyncpg.connect(admin_dsn)
    logins = Logins(server, admin_dsn)
    database = f"fw_owned_{uuid.uuid4().hex[:10]}"
    try:
        owner = await logins.create("floorwatch_reader", "floorwatch_writer", prefix="fw_owner")
        await server.execute(f'CREATE DATABASE "{database}" OWNER {owner}')
        owned = with_database(admin_dsn, database)
        as_owner = await asyncpg.connect(logins.dsn_of(owner, owned))
        try:
            assert not await as_owner.fetchval(
                "SELECT rolsuper FROM pg_roles WHERE rolname = $1", owner
            )
            await migrate.migrate(as_owner)
            superuser = await asyncpg.connect(owned)
            try:
                b = PlantBuilder(superuser)
                await fill(b, "ALPHA")
                beta = await fill(b, "BETA")
            finally:
                await superuser.close()
            monitor = await logins.create("floorwatch_reader", prefix="fw_mon_o")
            await grants.grant_tenant(as_owner, monitor, "ALPHA")  # the owner administers
            assert await _directory(as_owner) == ["ALPHA", "BETA"]
            async with as_owner.transaction():
                await as_owner.execute("SET LOCAL ROLE floorwatch_reader")
                await as_owner.execute(
                    "SELECT set_config('app.current_tenant_id', $1, true)", str(beta.tenant_id)
                )
                assert await as_owner.fetchval("SELECT count(*) FROM production_runs") > 0
            as_monitor = await asyncpg.connect(logins.dsn_of(monitor, owned))
            try:
                assert await _directory(as_monitor) == ["ALPHA"]
            finally:
                await as_monitor.close()
        finally:
            await as_owner.close()
        await server.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
        await logins.close()
    finally:
        await server.close()


# ---------------------------------------------------------------------------------------------
# README's plain-SQL equivalent does what `floorwatch grant` does


def _readme_security_sql() -> list[str]:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sql\n", 1)[1].split("```", 1)[0]
    code = "\n".join(line for line in block.splitlines() if not line.startswith("--"))
    return [s.strip() for s in code.split(";") if s.strip()]


async def test_readme_sql_grants_revokes_and_lists(plant: Plant) -> None:
    login = await plant.logins.create(prefix="fw_mon_sql")  # not yet a reader: the SQL does it
    grant, insert, delete, listing = (
        s.replace("mon", login).replace("NORD21", "ALPHA") for s in _readme_security_sql()
    )
    admin = plant.logins.admin
    conn = await plant.logins.connect(login)
    try:
        await admin.execute(grant)
        await admin.execute(insert)
        await admin.execute(insert)  # twice is once
        assert await _directory(conn) == ["ALPHA"]
        rows = [(r["login"], r["tenant_code"]) for r in await admin.fetch(listing)]
        assert (login, "ALPHA") in rows
        assert len(await grants.list_grants(admin, login)) == 1
        await admin.execute(delete)
        assert await _directory(conn) == []
    finally:
        await conn.close()
