"""The alert poll is one statement (db/sql/alert_facts.sql, the fact queries included as CTEs),
counted on a real server; its arrays carry the fact queries' columns, and the values (and
types: UUIDs, aware datetimes, Decimals) each fact query returns when it runs alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib.resources import files
from typing import Any

import asyncpg
from plant_builder import open_database

from floorwatch.db import queries
from floorwatch.db.plant import PlantData
from floorwatch.domain.alerts import AlertRules
from floorwatch.sim import SimOptions, simulate

UNTIL = datetime(2026, 3, 30, 9, 17, 23, tzinfo=UTC)
# thresholds at their lowest: every kind of fact comes back from the simulated plant
LOOSE = AlertRules(
    scrap_warning_pct=0.1,
    scrap_min_pieces=1,
    wait_warning_minutes=0,
    oee_min_planned_minutes=0,
    late_start_minutes=0,
    stall_minutes=0.5,
    no_output_min_planned_minutes=0,
    setup_factor=1,
    setup_min_past=1,
)
# what opens, frames and closes a transaction or resets a connection: no plant data read
FRAMING = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SET|RESET|SELECT set_config|SELECT pg_advisory_unlock_all)",
    re.IGNORECASE,
)
# asyncpg's own look-up of a type it has not met yet on a connection (once per connection)
ASYNCPG = re.compile(r"typeinfo_tree|set_config\('jit'")
# every statement floorwatch's data layer sends
OURS = {
    queries.alert_facts_sql(),
    *(
        queries.sql(f.name.removesuffix(".sql"))
        for f in files("floorwatch.db").joinpath("sql").iterdir()
        if f.name.endswith(".sql")
    ),
}


async def simulated(db_dsn: str) -> Any:
    await simulate(db_dsn, SimOptions(seed=9, backfill_days=3, work_centers=12, until=UNTIL))
    conn = await asyncpg.connect(db_dsn)
    try:
        return (await queries.read_directory(conn))[0]
    finally:
        await conn.close()


async def test_the_alert_poll_is_one_statement(db_dsn: str) -> None:
    scope = await simulated(db_dsn)
    db = await open_database(db_dsn)
    sent: list[str] = []
    try:
        # every connection of the pool logs what it sends (asyncpg's query logger)
        size = db.pool.get_max_size()
        held = [await db.pool.acquire() for _ in range(size)]
        for conn in held:
            conn.add_query_logger(lambda q: sent.append(q.query))
        for conn in held:
            await db.pool.release(conn)
        data = PlantData(db, scope, LOOSE)
        first = await data.alerts(UNTIL)  # reads the usual setups and the SPC series too
        assert [q for q in sent if q in OURS] == [
            queries.sql("setup_usual"),
            queries.alert_facts_sql(),
            queries.sql("spc_series"),
        ]
        assert len(first) > 10
        for _ in range(3):  # on either connection of the pool
            sent.clear()
            assert await data.alerts(UNTIL) == first
            assert [q for q in sent if q in OURS] == [queries.alert_facts_sql()]
            others = [q for q in sent if q not in OURS]
            assert all(FRAMING.match(q) or ASYNCPG.search(q) for q in others), others
    finally:
        await db.close()


async def test_the_statement_carries_the_fact_queries_columns(db_dsn: str) -> None:
    conn = await asyncpg.connect(db_dsn)
    try:
        for kind, name in queries.FACT_QUERIES.items():
            statement = await conn.prepare(queries.sql(name))
            columns = tuple(a.name for a in statement.get_attributes())
            assert columns == queries.FACT_COLUMNS[kind], kind
        # and the statement gives each kind's columns as arrays of their types, by name
        statement = await conn.prepare(queries.alert_facts_sql())
        found = {a.name: a.type.name for a in statement.get_attributes()}
        single = {
            a.name: a.type.name
            for a in (await conn.prepare(queries.sql("alert_down_facts"))).get_attributes()
        }
        assert list(found) == [
            f"{kind}__{column}"
            for kind, columns in queries.FACT_COLUMNS.items()
            for column in columns
        ] + ["off_plan"]
        assert found["down__status_start"] == single["status_start"] + "[]" == "timestamptz[]"
        assert found["behind__productive_seconds"] == "numeric[]"
    finally:
        await conn.close()


async def test_its_arrays_hold_what_the_fact_queries_return(db_dsn: str) -> None:
    scope = await simulated(db_dsn)
    db = await open_database(db_dsn)
    now = UNTIL
    try:
        usual = await queries.read_setup_usual(db, scope, now, LOOSE)
        args = queries.alert_facts_args(scope, now, LOOSE, usual)
        # each fact query alone, its parameters picked from the statement's (by hand, in the
        # order of its file's header)
        alone = {
            "down": (1, 2, 3, 4, 6),
            "oee": (1, 2, 5, 4, 7, 8),
            "scrap": (1, 2, 3, 4, 9, 10),
            "late_start": (1, 2, 3, 4, 11),
            "behind": (1, 2, 3, 4),
            "stalled": (1, 2, 3, 4, 12),
            "no_output": (1, 2, 13, 14, 15, 4, 16, 17, 18),
            "long_setup": (1, 2, 3, 4, 19, 20, 21, 22, 23),
        }
        async with db.reading(scope.tenant_id) as conn:
            row = await conn.fetchrow(queries.alert_facts_sql(), *args)
            each = {
                kind: await conn.fetch(
                    queries.sql(queries.FACT_QUERIES[kind]), *(args[i - 1] for i in at)
                )
                for kind, at in alone.items()
            }
            off_plan = await conn.fetch(
                queries.sql("alert_off_plan"), *(args[i - 1] for i in (1, 2, 4, 24, 25))
            )
    finally:
        await db.close()
    for kind in alone:
        facts = queries.fact_rows(row, kind)
        # the same values of the same types
        typed = [{k: (type(v), v) for k, v in r.items()} for r in facts]
        expected = [{k: (type(v), v) for k, v in dict(r).items()} for r in each[kind]]
        assert sorted(typed, key=repr) == sorted(expected, key=repr), kind
    assert sorted(row["off_plan"] or ()) == sorted(r["work_center_id"] for r in off_plan)
    found = {kind for kind in alone if queries.fact_rows(row, kind)}
    # all but no output (the simulated plant produces in every shift) and stalls (its runs'
    # counts move all the time)
    assert found >= {"down", "oee", "scrap", "late_start", "behind", "long_setup"}, found
    behind = queries.fact_rows(row, "behind")
    assert any(type(r["productive_seconds"]) is Decimal for r in behind)
    assert all(r["actual_start"].utcoffset() == timedelta(0) for r in behind)


def test_the_statement_is_small_enough_for_asyncpg_to_keep_it_prepared() -> None:
    # asyncpg prepares (and PostgreSQL can keep the plan of) only statements up to its
    # max_cacheable_statement_size, 15 KiB by default; longer ones are parsed on every poll
    assert len(queries.alert_facts_sql()) <= 15 * 1024
    assert "--" not in queries.alert_facts_sql()
