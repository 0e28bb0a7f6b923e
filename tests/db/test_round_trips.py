"""Round trips per read, counted on a real socket: the monitor's data layer through the counting
proxy (bench/round_trips.py) on 127.0.0.1 in front of the test server's Unix socket.

By hand, with the statement already prepared on the connection (asyncpg's statement cache):
- no pooler, the connection already set to the tenant: a single-statement fetch is 1 round
  trip (Bind/Execute/Sync); changing tenant first adds 1 (the session's set_config);
- a reading of n statements is BEGIN (with the tenant change, if any) + n + COMMIT = n + 2;
- pooler "transaction": a fetch is BEGIN+SET LOCAL ROLE+set_config, the query, COMMIT = 3;
- neither mode sends anything when the connection goes back to the pool."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest
from plant_builder import PlantBuilder

from floorwatch.bench.recording import RecordingDatabase
from floorwatch.bench.round_trips import RoundTripProxy, proxied_dsn, upstream_of
from floorwatch.db import queries
from floorwatch.db.dsn import Target
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import PLAN_SETTINGS, Database, open_database
from floorwatch.domain.models import Scope

CODES = "SELECT work_center_code FROM work_centers ORDER BY 1"
NOW = datetime(2025, 6, 11, 10, 0, tzinfo=UTC)


@pytest.fixture
async def proxy(db_dsn: str) -> AsyncIterator[RoundTripProxy]:
    upstream = upstream_of(db_dsn)
    assert upstream is not None and upstream.unix_socket is not None  # the embedded server
    async with RoundTripProxy(upstream) as p:
        yield p


@pytest.fixture
async def plants(builder: PlantBuilder) -> tuple[Scope, Scope]:
    """Two tenants: ALPHA with work centers A1 and A2, BETA with B1."""
    alpha = await builder.scope("ALPHA", "PLANT")
    beta = await builder.scope("BETA", "PLANT")
    for scope, code in ((alpha, "A1"), (alpha, "A2"), (beta, "B1")):
        await builder.work_center(scope, code)
    return alpha, beta


async def _database(proxy: RoundTripProxy, dsn: str, pooler: str = "none") -> Database:
    """One connection through the proxy, so every count below is that connection's."""
    return await open_database(
        Target(proxy.dsn(dsn), "flag"), min_size=1, max_size=1, pooler=pooler
    )


async def _trips(proxy: RoundTripProxy, call: object) -> int:
    assert callable(call)
    before = proxy.round_trips
    await call()
    return proxy.round_trips - before


def _codes(rows: list[asyncpg.Record]) -> list[str]:
    return [r["work_center_code"] for r in rows]


def test_the_proxied_dsn_keeps_user_database_and_options() -> None:
    dsn = "postgresql://u:p%40ss@/plant?host=/run/pg&port=5433&sslmode=disable"
    assert upstream_of(dsn) is not None
    assert upstream_of(dsn).unix_socket == "/run/pg/.s.PGSQL.5433"  # type: ignore[union-attr]
    assert proxied_dsn(dsn, 6000) == "postgresql://u:p%40ss@127.0.0.1:6000/plant?sslmode=disable"
    assert upstream_of("postgresql://u@db.example:6432/x").port == 6432  # type: ignore[union-attr]
    assert upstream_of("postgresql://u@h1:1,h2:2/x") is None


async def test_the_proxy_counts_a_burst_and_its_reply_once(
    proxy: RoundTripProxy, db_dsn: str
) -> None:
    conn = await asyncpg.connect(proxy.dsn(db_dsn))
    try:
        assert await _trips(proxy, lambda: conn.execute("SELECT 1")) == 1  # simple query
        assert await _trips(proxy, lambda: conn.execute("SELECT 1; SELECT 2; SELECT 3")) == 1
        # extended protocol, first use: Parse/Describe, then Bind/Execute; then cached
        assert await _trips(proxy, lambda: conn.fetchval("SELECT $1::int", 7)) == 2
        assert await _trips(proxy, lambda: conn.fetchval("SELECT $1::int", 8)) == 1
        # a reply of many reads (1 MB) is still one
        assert await _trips(proxy, lambda: conn.execute("SELECT repeat('x', 1000000)")) == 1
    finally:
        await conn.close()
    assert proxy.connections == 1


async def test_a_warmed_single_statement_fetch_is_one_round_trip(
    proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    alpha, _ = plants
    db = await _database(proxy, db_dsn)
    try:
        # first use on the connection: the tenant setting (1) + Parse/Describe (1) + the query
        assert await _trips(proxy, lambda: db.fetch(alpha.tenant_id, CODES)) == 3
        assert await _trips(proxy, lambda: db.fetch(alpha.tenant_id, CODES)) == 1
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]
        # a panel through the real data layer: summary is one statement
        data = PlantData(db, alpha)
        await data.summary(NOW)
        assert await _trips(proxy, lambda: data.summary(NOW)) == 1
        # first use of a statement: its Parse/Describe round trip, then the query
        assert await _trips(proxy, lambda: data.work_centers(NOW)) == 2
        assert await _trips(proxy, lambda: data.work_centers(NOW)) == 1
    finally:
        await db.close()


async def test_a_reading_is_its_statements_plus_two(
    proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    alpha, beta = plants
    db = await _database(proxy, db_dsn)

    async def three(tenant: uuid.UUID) -> list[list[str]]:
        async with db.reading(tenant) as conn:
            return [_codes(await conn.fetch(CODES)) for _ in range(3)]

    try:
        await three(alpha.tenant_id)  # prepares
        assert await _trips(proxy, lambda: three(alpha.tenant_id)) == 5
        # the tenant change rides with BEGIN: still 5
        assert await _trips(proxy, lambda: three(beta.tenant_id)) == 5
        assert await three(beta.tenant_id) == [["B1"]] * 3
        assert await three(alpha.tenant_id) == [["A1", "A2"]] * 3
    finally:
        await db.close()


async def test_the_alert_poll_is_one_round_trip(
    proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    alpha, _ = plants
    db = await _database(proxy, db_dsn)
    try:
        data = PlantData(db, alpha)
        for _ in range(2):
            await data.alerts(NOW)  # prepared, the day's usual setups and SPC series kept
        # one statement (db/sql/alert_facts.sql), its own snapshot: no BEGIN, no COMMIT
        assert await _trips(proxy, lambda: data.alerts(NOW)) == 1
        # without the kept usual setups: those and the facts in one transaction
        recorder = RecordingDatabase(db.pool, db.reader_role)
        counted = await _trips(
            proxy, lambda: queries.active_alerts(recorder, alpha, NOW, data.rules)
        )
        assert len(recorder.log) == 2 and counted <= len(recorder.log) + 2
    finally:
        await db.close()


async def test_the_first_fetch_for_another_tenant_reads_only_its_rows(
    proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    alpha, beta = plants
    db = await _database(proxy, db_dsn)  # one connection: the switch happens on it
    try:
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]
        before = proxy.round_trips
        assert _codes(await db.fetch(beta.tenant_id, CODES)) == ["B1"]
        assert proxy.round_trips - before == 2  # the setting, then the query
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]
    finally:
        await db.close()


async def test_a_failed_reading_leaves_no_other_tenants_setting_behind(
    proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    """A tenant change made with BEGIN is undone when the transaction is: by an error raised
    out of the reading, by one caught inside it (COMMIT then answers ROLLBACK) or by a
    cancellation. The next read of either tenant must still get that tenant's rows only."""
    alpha, beta = plants
    db = await _database(proxy, db_dsn)
    try:
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]
        # raised out of it
        with pytest.raises(asyncpg.DivisionByZeroError):
            async with db.reading(beta.tenant_id) as conn:
                assert _codes(await conn.fetch(CODES)) == ["B1"]
                await conn.fetch("SELECT 1 / 0")
        assert _codes(await db.fetch(beta.tenant_id, CODES)) == ["B1"]
        # caught inside it: the server has rolled back to ALPHA's setting
        async with db.reading(alpha.tenant_id) as conn:
            assert _codes(await conn.fetch(CODES)) == ["A1", "A2"]
        async with db.reading(beta.tenant_id) as conn:
            with pytest.raises(asyncpg.DivisionByZeroError):
                await conn.fetch("SELECT 1 / 0")
        assert _codes(await db.fetch(beta.tenant_id, CODES)) == ["B1"]
        # cancelled while its query runs (the monitor's poll timeout)
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]

        async def slow() -> None:
            async with db.reading(beta.tenant_id) as conn:
                await conn.execute("SELECT pg_sleep(10)")

        with pytest.raises(TimeoutError):
            await asyncio.wait_for(slow(), 0.5)
        assert _codes(await db.fetch(beta.tenant_id, CODES)) == ["B1"]
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]
    finally:
        await db.close()


async def test_behind_a_transaction_pooler_every_read_sets_role_and_tenant_itself(
    proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    alpha, beta = plants
    db = await _database(proxy, db_dsn, pooler="transaction")
    try:
        assert _codes(await db.fetch(alpha.tenant_id, CODES)) == ["A1", "A2"]
        # BEGIN + SET LOCAL ROLE + set_config as one message, the query, COMMIT; no reset
        assert await _trips(proxy, lambda: db.fetch(alpha.tenant_id, CODES)) == 3
        assert await _trips(proxy, lambda: db.fetch(beta.tenant_id, CODES)) == 3
        assert _codes(await db.fetch(beta.tenant_id, CODES)) == ["B1"]
        async with db.pool.acquire() as conn:  # nothing of it stays on the connection
            assert await conn.fetchval("SELECT current_user") != "floorwatch_reader"
            assert not await conn.fetchval("SELECT current_setting('app.current_tenant_id', true)")
    finally:
        await db.close()


@pytest.mark.parametrize("pooler", ["none", "transaction"])
async def test_reads_run_with_the_plan_settings(
    pooler: str, proxy: RoundTripProxy, db_dsn: str, plants: tuple[Scope, Scope]
) -> None:
    """db/pool.py PLAN_SETTINGS: per connection, or per transaction (SET LOCAL in the message
    that opens it) behind a transaction-mode pooler."""
    alpha, _ = plants
    admin = await asyncpg.connect(db_dsn)
    try:  # the database's default differs: what the reads run with is the monitor's setting
        name = await admin.fetchval("SELECT current_database()")
        await admin.execute(f'ALTER DATABASE "{name}" SET plan_cache_mode = force_generic_plan')
    finally:
        await admin.close()
    db = await _database(proxy, db_dsn, pooler)
    try:
        [row] = await db.fetch(alpha.tenant_id, "SHOW plan_cache_mode")
        assert row[0] == PLAN_SETTINGS["plan_cache_mode"]
        async with db.reading(alpha.tenant_id) as conn:
            assert await conn.fetchval("SHOW plan_cache_mode") == PLAN_SETTINGS["plan_cache_mode"]
    finally:
        await db.close()
