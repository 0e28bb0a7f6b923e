"""Tenant isolation and the monitor's privileges, against a real PostgreSQL.

The test login is a superuser (which bypasses row-level security), so every check here runs
through the reader or writer role the way floorwatch does: Database.reading for the monitor,
SET LOCAL ROLE for the rest.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from plant_builder import PlantBuilder, local, open_database

from cli_helpers import clean_env, floorwatch
from floorwatch.db import migrate
from floorwatch.db.pool import Database
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.domain.models import Scope

TABLES = list(PLANT_TABLES)
SECRET = "Sup3r-s3cret-PW"


def tenant_column(table: str) -> str:
    return "id" if table == "tenants" else "tenant_id"


async def fill(b: PlantBuilder, code: str) -> Scope:
    """One row (at least) in each of the 8 tables for a new tenant."""
    s = await b.scope(code, "PLANT")
    user = await b.user(s, f"{code} operator")
    wc = await b.work_center(s, "P1")
    order = await b.order(s, f"{code}-PO-1")
    start = local("UTC", 2025, 6, 11, 8)
    run = await b.run(
        s, wc, f"{code}-R1", "IN_PROGRESS", order_id=order, operator_user_id=user,
        actual_start=start, good=10,
    )  # fmt: skip
    await b.oee(
        s, wc, day=date(2025, 6, 11), shift="A", start=local("UTC", 2025, 6, 11, 6),
        planned=120, downtime=0, produced=10, good=10, ict=1,
    )  # fmt: skip
    await b.status(s, wc, "PRODUCTIVE", start, run_id=run)
    return s


@pytest.fixture(scope="module")
async def shared_dsn(admin_dsn: str) -> str:
    """One migrated database with two tenants for the whole module: every test here either
    only reads or rolls its transaction back, so they can share it (and stay fast)."""
    name = f"fw_security_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    dsn = urlunsplit(urlsplit(admin_dsn)._replace(path="/" + name))
    c = await asyncpg.connect(dsn)
    try:
        await migrate.migrate(c)
        b = PlantBuilder(c)
        await fill(b, "ALPHA")
        await fill(b, "BETA")
    finally:
        await c.close()
    return dsn


@pytest.fixture
async def two_tenants(shared_dsn: str) -> tuple[Scope, Scope]:
    c = await asyncpg.connect(shared_dsn)
    try:
        rows = await c.fetch("SELECT * FROM floorwatch_directory() ORDER BY tenant_code")
    finally:
        await c.close()
    return tuple(Scope(**{k: r[k] for k in Scope.model_fields}) for r in rows)  # type: ignore[return-value]


@pytest.fixture(params=["none", "transaction"])
async def database(shared_dsn: str, request: pytest.FixtureRequest) -> AsyncIterator[Database]:
    """The monitor's data layer in both modes: role and tenant kept per connection (no pooler),
    and set in every transaction (behind a transaction-mode pooler)."""
    db = await open_database(shared_dsn, pooler=request.param)
    try:
        yield db
    finally:
        await db.close()


@pytest.fixture
async def conn(shared_dsn: str) -> AsyncIterator[asyncpg.Connection]:
    c = await asyncpg.connect(shared_dsn)
    try:
        yield c
    finally:
        await c.close()


async def as_role(
    conn: asyncpg.Connection, role: str, tenant: uuid.UUID | str | None
) -> asyncpg.transaction.Transaction:
    """A read-write transaction as `role` (tenant set when given); caller rolls back."""
    tx = conn.transaction()
    await tx.start()
    await conn.execute(f"SET LOCAL ROLE {role}")
    if tenant is not None:
        await conn.execute("SELECT set_config('app.current_tenant_id', $1, true)", str(tenant))
    return tx


# ---------------------------------------------------------------------------------------------
# Reading: a tenant sees its own rows only


@pytest.mark.parametrize("table", TABLES)
async def test_tenant_a_reads_no_row_of_tenant_b(
    table: str, two_tenants: tuple[Scope, Scope], database: Database, conn: asyncpg.Connection
) -> None:
    alpha, beta = two_tenants
    col = tenant_column(table)
    # both tenants do have rows in this table (seen by the superuser, which bypasses RLS)
    assert await conn.fetchval(f"SELECT count(*) FROM {table} WHERE {col} = $1", beta.tenant_id)
    async with database.reading(alpha.tenant_id) as c:
        assert (
            await c.fetchval(f"SELECT count(*) FROM {table} WHERE {col} = $1", beta.tenant_id) == 0
        )
        visible = await c.fetch(f"SELECT DISTINCT {col} AS t FROM {table}")
    assert [r["t"] for r in visible] == [alpha.tenant_id]
    async with database.reading(beta.tenant_id) as c:
        assert (
            await c.fetchval(f"SELECT count(*) FROM {table} WHERE {col} = $1", alpha.tenant_id) == 0
        )


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("tenant", [None, "", "00000000-0000-0000-0000-000000000000"])
async def test_without_a_tenant_nothing_is_visible(
    table: str, tenant: str | None, two_tenants: tuple[Scope, Scope], conn: asyncpg.Connection
) -> None:
    tx = await as_role(conn, "floorwatch_reader", tenant)
    try:
        assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0
    finally:
        await tx.rollback()


async def test_the_directory_lists_tenants_before_one_is_chosen(
    two_tenants: tuple[Scope, Scope], conn: asyncpg.Connection
) -> None:
    # the only cross-tenant read: names and codes of tenants and facilities, no production data
    tx = await as_role(conn, "floorwatch_reader", None)
    try:
        rows = await conn.fetch("SELECT tenant_code, facility_code FROM floorwatch_directory()")
    finally:
        await tx.rollback()
    assert [(r["tenant_code"], r["facility_code"]) for r in rows] == [
        ("ALPHA", "PLANT"),
        ("BETA", "PLANT"),
    ]


# ---------------------------------------------------------------------------------------------
# The reading transaction


async def test_reading_transaction_is_read_only_reader_role_and_tenant_scoped(
    two_tenants: tuple[Scope, Scope], database: Database
) -> None:
    alpha, _ = two_tenants
    async with database.reading(alpha.tenant_id) as c:
        assert await c.fetchval("SHOW transaction_read_only") == "on"
        assert await c.fetchval("SELECT current_user") == "floorwatch_reader"
        assert await c.fetchval("SELECT current_setting('app.current_tenant_id')") == str(
            alpha.tenant_id
        )
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await c.execute("DELETE FROM work_centers")
    async with database.pool.acquire() as c:
        tenant = await c.fetchval("SELECT current_setting('app.current_tenant_id', true)")
        if not hasattr(c, "floorwatch_session"):
            # per transaction: afterwards the connection is back to the login, with no tenant
            assert await c.fetchval("SELECT current_user") != "floorwatch_reader"
            assert not tenant
        else:
            # per connection: the monitor's own connections stay the reader role, read-only,
            # whatever is run on them (one connection: the pool's min_size, one read at a time)
            assert await c.fetchval("SELECT current_user") == "floorwatch_reader"
            assert await c.fetchval("SHOW transaction_read_only") == "on"
            with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                await c.execute("DELETE FROM work_centers")
            # the refused DELETE aborted the reading's transaction, so its COMMIT was a rollback
            # and took the tenant setting made in it along: none is set now ...
            assert not tenant
    # ... and the next read sets it again before its query
    [row] = await database.fetch(alpha.tenant_id, "SELECT current_setting('app.current_tenant_id')")
    assert row[0] == str(alpha.tenant_id)


async def test_reading_rejects_a_tenant_that_is_not_a_uuid(database: Database) -> None:
    with pytest.raises(ValueError):
        async with database.reading("x'); DROP TABLE tenants; --"):  # type: ignore[arg-type]
            pass


# ---------------------------------------------------------------------------------------------
# The reader role may not write


def _writes(table: str) -> dict[str, str]:
    col = tenant_column(table)
    return {
        "INSERT": f"INSERT INTO {table} SELECT * FROM {table}",
        "UPDATE": f"UPDATE {table} SET {col} = {col}",
        "DELETE": f"DELETE FROM {table}",
        "TRUNCATE": f"TRUNCATE {table} CASCADE",
    }


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("verb", ["INSERT", "UPDATE", "DELETE", "TRUNCATE"])
async def test_reader_role_writes_are_refused(
    table: str, verb: str, two_tenants: tuple[Scope, Scope], conn: asyncpg.Connection
) -> None:
    alpha, _ = two_tenants
    # a read-write transaction: the refusal comes from the missing privilege, not READ ONLY
    tx = await as_role(conn, "floorwatch_reader", alpha.tenant_id)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await conn.execute(_writes(table)[verb])
    finally:
        await tx.rollback()


# ---------------------------------------------------------------------------------------------
# The writer role stays inside its tenant (WITH CHECK)


@pytest.mark.parametrize("table", TABLES)
async def test_writer_cannot_move_rows_to_another_tenant(
    table: str, two_tenants: tuple[Scope, Scope], conn: asyncpg.Connection
) -> None:
    alpha, beta = two_tenants
    col = tenant_column(table)
    tx = await as_role(conn, "floorwatch_writer", alpha.tenant_id)
    try:
        new = "gen_random_uuid()" if table == "tenants" else "$1"
        args = [] if table == "tenants" else [beta.tenant_id]
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            await conn.execute(f"UPDATE {table} SET {col} = {new}", *args)
    finally:
        await tx.rollback()


@pytest.mark.parametrize("table", TABLES)
async def test_writer_cannot_touch_another_tenants_rows(
    table: str, two_tenants: tuple[Scope, Scope], conn: asyncpg.Connection
) -> None:
    alpha, beta = two_tenants
    col = tenant_column(table)
    tx = await as_role(conn, "floorwatch_writer", alpha.tenant_id)
    try:
        # B's rows are invisible to A's writer: updates and deletes find nothing
        assert (
            await conn.execute(f"UPDATE {table} SET {col} = {col} WHERE {col} = $1", beta.tenant_id)
            == "UPDATE 0"
        )
        if table != "tenants":
            assert (
                await conn.execute(f"DELETE FROM {table} WHERE {col} = $1", beta.tenant_id)
                == "DELETE 0"
            )
    finally:
        await tx.rollback()
    assert await conn.fetchval(f"SELECT count(*) FROM {table} WHERE {col} = $1", beta.tenant_id)


async def test_writer_cannot_insert_for_another_tenant(
    two_tenants: tuple[Scope, Scope], conn: asyncpg.Connection
) -> None:
    alpha, beta = two_tenants
    row = (
        "INSERT INTO work_centers (id, tenant_id, facility_id, work_center_code,"
        " work_center_name, work_center_type, production_rate_per_hour)"
        " VALUES (gen_random_uuid(), $1, $2, 'NEW', 'new', 'folder', 100)"
    )
    tx = await as_role(conn, "floorwatch_writer", alpha.tenant_id)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            await conn.execute(row, beta.tenant_id, beta.facility_id)
    finally:
        await tx.rollback()
    # its own tenant: allowed (the refusal above is the policy, not a missing privilege)
    tx = await as_role(conn, "floorwatch_writer", alpha.tenant_id)
    try:
        assert await conn.execute(row, alpha.tenant_id, alpha.facility_id) == "INSERT 0 1"
    finally:
        await tx.rollback()
    # and with no tenant set it may write nothing at all
    tx = await as_role(conn, "floorwatch_writer", None)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            await conn.execute(row, alpha.tenant_id, alpha.facility_id)
    finally:
        await tx.rollback()


# ---------------------------------------------------------------------------------------------
# No password in command output (failure cases are in tests/cli/test_bad_input.py; these are
# the successful commands, where the DSN is shown)


def _with_password(dsn: str) -> tuple[str, str]:
    parts = urlsplit(dsn)
    if parts.password:  # an external test server: its real password is what must not leak
        return dsn, parts.password
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{parts.username or 'postgres'}:{SECRET}@{host}{port}"
    return urlunsplit(parts._replace(netloc=netloc)), SECRET


async def test_no_password_in_successful_command_output(
    two_tenants: tuple[Scope, Scope], shared_dsn: str, tmp_path: Path
) -> None:
    dsn, secret = _with_password(shared_dsn)  # the embedded server trusts local logins
    env = clean_env(tmp_path)
    for args in (
        ("check", "--json", "--dsn", dsn, "--tenant", "ALPHA", "--facility", "PLANT"),
        ("check", "--dsn", dsn, "--tenant", "ALPHA", "--facility", "PLANT"),
        ("migrate", "--status", "--dsn", dsn),
    ):
        r = await asyncio.to_thread(floorwatch, *args, env=env)
        assert r.code in (0, 1), r  # healthy, or degraded on a slow machine
        assert "Traceback" not in r.both
        assert secret not in r.both, args
    report = json.loads(
        (await asyncio.to_thread(floorwatch, "check", "--json", "--dsn", dsn, env=env)).out
    )
    assert secret not in json.dumps(report)
    log = tmp_path / "floorwatch.log"
    if log.exists():
        assert secret not in log.read_text()
