"""The alert poll is one statement (db/sql/alert_facts.sql, the fact queries included as CTEs),
counted on a real server; its records map onto the facts' columns, and the facts built from
them without pydantic's validation equal the validated ones, types included."""

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
from floorwatch.domain import alerts as alert_rules
from floorwatch.domain import job_alerts
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import EquipmentState, Quantities, RunStatus
from floorwatch.domain.oee import OeeTotals
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


async def test_the_records_carry_the_fact_queries_columns(db_dsn: str) -> None:
    conn = await asyncpg.connect(db_dsn)
    try:
        for kind, name in queries.FACT_QUERIES.items():
            statement = await conn.prepare(queries.sql(name))
            columns = tuple(a.name for a in statement.get_attributes())
            assert columns == queries.FACT_COLUMNS[kind], kind
        # and the statement puts the kinds in the row under their names
        statement = await conn.prepare(queries.alert_facts_sql())
        names = [a.name for a in statement.get_attributes()]
        assert names == [*queries.FACT_QUERIES, "off_plan"]
    finally:
        await conn.close()


async def test_unvalidated_facts_equal_validated_ones(db_dsn: str) -> None:
    scope = await simulated(db_dsn)
    db = await open_database(db_dsn)
    try:
        now = UNTIL
        usual = await queries.read_setup_usual(db, scope, now, LOOSE)
        async with db.reading(scope.tenant_id) as conn:
            row = await conn.fetchrow(
                queries.alert_facts_sql(), *queries.alert_facts_args(scope, now, LOOSE, usual)
            )
    finally:
        await db.close()
    rows = {kind: queries.fact_rows(row, kind) for kind in queries.FACT_QUERIES}
    found = {kind for kind, facts in rows.items() if facts}
    # all but no output (the simulated plant produces in every shift) and stalls (its runs'
    # counts move all the time)
    assert found >= {"down", "oee", "scrap", "late_start", "behind", "long_setup"}, found
    w = queries.job_windows(scope, now, LOOSE)
    jobs = queries.job_facts_of_rows(
        rows["late_start"], rows["behind"], rows["stalled"], rows["no_output"],
        rows["long_setup"], w,
    )  # fmt: skip
    # validated, as _model_of did before
    assert jobs.late_start == [
        job_alerts.LateStartFact.model_validate(r) for r in rows["late_start"]
    ]
    assert jobs.behind == [job_alerts.BehindFact.model_validate(r) for r in rows["behind"]]
    assert jobs.stalled == [job_alerts.StalledFact.model_validate(r) for r in rows["stalled"]]
    assert jobs.long_setup == [
        job_alerts.LongSetupFact.model_validate(r) for r in rows["long_setup"]
    ]
    for fact in jobs.behind:
        assert type(fact.status) is RunStatus
        assert fact.actual_start.utcoffset() == timedelta(0)
        if fact.status is RunStatus.IN_PROGRESS:
            assert type(fact.productive_seconds) is Decimal
    for fact in jobs.late_start:
        assert type(fact.status) is RunStatus and fact.scheduled_start.tzinfo is not None
    for r in rows["down"]:
        validated = alert_rules.DownFact.model_validate(r)
        assert type(validated.status) is EquipmentState
        assert validated.status_start.tzinfo is not None
    for r in rows["oee"]:
        assert type(r["planned_minutes"]) is Decimal and type(r["ideal_seconds"]) is Decimal
        assert type(r["produced"]) is int and type(r["target_oee_percentage"]) is Decimal
        assert OeeTotals.model_validate(
            {
                "planned_minutes": r["planned_minutes"],
                "runtime_minutes": r["runtime_minutes"],
                "produced": r["produced"],
                "good": r["oee_good"],
                "ideal_seconds": r["ideal_seconds"],
            }
        ) == queries._fast_totals(r)
    for r in rows["scrap"]:
        assert Quantities.model_validate(r) == Quantities.model_construct(
            good=r["good"], scrap=r["scrap"], rework=r["rework"]
        )
    # the rules over unvalidated facts raise what they raise over validated ones
    validated = alert_rules.evaluate(
        down=[alert_rules.DownFact.model_validate(r) for r in rows["down"]],
        oee=[
            alert_rules.OeeFact.model_validate(dict(r, totals=queries._fast_totals(r)))
            for r in rows["oee"]
        ],
        scrap=[
            alert_rules.ScrapFact.model_validate(dict(r, quantities=Quantities.model_validate(r)))
            for r in rows["scrap"]
        ],
        now=now,
        rules=LOOSE,
        jobs=job_alerts.JobFacts.model_validate(jobs.model_dump()),
    )
    fast = queries.alerts_of_rows(rows["down"], rows["oee"], rows["scrap"], now, LOOSE, jobs)
    assert fast == validated and len(fast) > 10
