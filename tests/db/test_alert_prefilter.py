"""The alert fact queries pre-filter on the rule thresholds in SQL; the Python rules stay the
authority. Proof that the pre-filter never drops an alert: rows at and around each threshold
(and a simulated plant), evaluated through the real data layer and, as the oracle, through
the rules over every fact the unfiltered queries return."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from plant_builder import PlantBuilder, local

from floorwatch.db import queries
from floorwatch.db.plant import PlantData
from floorwatch.db.pool import Database
from floorwatch.domain.alerts import AlertRules, snoozed_by_plan
from floorwatch.domain.models import Alert, Scope
from floorwatch.domain.plant_time import local_day, production_day
from floorwatch.domain.shift_window import shift_at
from floorwatch.sim import SimOptions, simulate

LA = "America/Los_Angeles"

# the fact queries as they were before the pre-filter: every row that may be looked at
UNFILTERED_DOWN = """
SELECT l.id AS log_id, l.work_center_id, w.work_center_code, l.status, l.status_start,
       l.status_end, l.reason_description
FROM equipment_status_log l JOIN work_centers w ON w.id = l.work_center_id
WHERE l.tenant_id = $1 AND l.facility_id = $2
  AND l.status IN ('NON_PRODUCTIVE_BREAKDOWN', 'NON_PRODUCTIVE_NO_OPERATOR',
                   'NON_PRODUCTIVE_NO_MATERIAL')
  AND l.status_start < $4 AND (l.status_end IS NULL OR l.status_end > $3)
"""
UNFILTERED_OEE = """
SELECT o.work_center_id, w.work_center_code, o.calculation_date, o.shift,
       o.period_start, o.period_end,
       o.planned_production_time AS planned_minutes, o.runtime AS runtime_minutes,
       o.total_pieces_produced AS produced, o.good_pieces AS oee_good,
       o.ideal_cycle_time_seconds * o.total_pieces_produced AS ideal_seconds,
       o.target_oee_percentage
FROM oee_calculations o JOIN work_centers w ON w.id = o.work_center_id
WHERE o.tenant_id = $1 AND o.facility_id = $2 AND o.calculation_date = $3
  AND o.period_start <= $4
"""
UNFILTERED_SCRAP = """
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.status, r.actual_start, r.actual_end,
       coalesce(r.quantity_good, 0) AS good, coalesce(r.quantity_scrap, 0) AS scrap,
       coalesce(r.quantity_rework, 0) AS rework
FROM production_runs r JOIN work_centers w ON w.id = r.work_center_id
WHERE r.tenant_id = $1 AND r.facility_id = $2 AND r.actual_start IS NOT NULL
  AND (r.status IN ('IN_PROGRESS', 'PAUSED')
       OR (r.status = 'COMPLETED' AND r.actual_end >= $3 AND r.actual_end <= $4))
"""

# the job rules' fact queries (#12 item 4) without their pre-filter
UNFILTERED_LATE_START = """
WITH picked AS (
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status IN ('SCHEDULED', 'IN_PROGRESS', 'PAUSED')
    UNION ALL
    SELECT * FROM production_runs
    WHERE tenant_id = $1 AND facility_id = $2 AND status = 'COMPLETED'
      AND actual_end >= $3 AND actual_end <= $4
)
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.status, r.scheduled_start, r.actual_start
FROM picked r JOIN work_centers w ON w.id = r.work_center_id
WHERE r.scheduled_start IS NOT NULL
  AND (r.actual_start IS NULL OR r.actual_start > $4 OR r.actual_start >= $3)
"""
UNFILTERED_BEHIND = """
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.status, r.scheduled_end, r.actual_start, r.actual_end, r.quantity_planned,
       r.quantity_good AS good,
       CASE WHEN r.status = 'IN_PROGRESS' THEN
           (SELECT coalesce(sum(greatest(0, extract(epoch FROM
                                    least(coalesce(l.status_end, $4), $4)
                                    - greatest(l.status_start, r.actual_start)))), 0)
            FROM equipment_status_log l
            WHERE l.work_center_id = r.work_center_id AND l.status = 'PRODUCTIVE'
              AND l.status_start < $4
              AND (l.status_end IS NULL OR l.status_end > r.actual_start)
              AND (l.status_start >= r.actual_start - interval '1 day' OR l.status_end IS NULL))
       END AS productive_seconds
FROM production_runs r JOIN work_centers w ON w.id = r.work_center_id
WHERE r.tenant_id = $1 AND r.facility_id = $2 AND r.scheduled_end IS NOT NULL
  AND r.actual_start IS NOT NULL
  AND (r.status = 'IN_PROGRESS'
       OR (r.status = 'COMPLETED' AND r.actual_end >= $3 AND r.actual_end <= $4))
"""
UNFILTERED_STALLED = """
SELECT r.id AS run_id, r.production_run_number, r.work_center_id, w.work_center_code,
       r.actual_start, r.updated_at, l.id AS log_id, l.status_start, l.status_end
FROM production_runs r JOIN work_centers w ON w.id = r.work_center_id
JOIN equipment_status_log l ON l.work_center_id = r.work_center_id
WHERE r.tenant_id = $1 AND r.facility_id = $2 AND r.status = 'IN_PROGRESS'
  AND l.status = 'PRODUCTIVE' AND l.status_start < $4
  AND (l.status_end IS NULL OR l.status_end > $3)
"""
UNFILTERED_NO_OUTPUT = """
SELECT o.work_center_id, w.work_center_code, o.period_start >= $4 AS last_closed,
       sum(o.planned_production_time) AS planned_minutes,
       sum(o.total_pieces_produced) AS produced
FROM oee_calculations o JOIN work_centers w ON w.id = o.work_center_id
WHERE o.tenant_id = $1 AND o.facility_id = $2
  AND o.period_start >= $3 AND o.period_start < $5
  AND o.period_end <= CASE WHEN o.period_start >= $4 THEN $5 ELSE $4 END
GROUP BY o.work_center_id, w.work_center_code, 3
"""
UNFILTERED_LONG_SETUP = """
SELECT l.id AS log_id, l.work_center_id, w.work_center_code, w.work_center_type,
       l.status_start, l.status_end, l.reason_description,
       (SELECT percentile_cont(0.5) WITHIN GROUP (
                   ORDER BY extract(epoch FROM p.status_end - p.status_start)::float8)::numeric
        FROM equipment_status_log p JOIN work_centers v ON v.id = p.work_center_id
        WHERE p.tenant_id = $1 AND p.facility_id = $2 AND p.status = 'NON_PRODUCTIVE_SETUP'
          AND p.status_end >= $5 AND p.status_end < $3
          AND v.work_center_type = w.work_center_type
          AND (v.deleted_at IS NULL OR p.status_start < v.deleted_at)) AS usual_seconds,
       (SELECT count(*)::integer
        FROM equipment_status_log p JOIN work_centers v ON v.id = p.work_center_id
        WHERE p.tenant_id = $1 AND p.facility_id = $2 AND p.status = 'NON_PRODUCTIVE_SETUP'
          AND p.status_end >= $5 AND p.status_end < $3
          AND v.work_center_type = w.work_center_type
          AND (v.deleted_at IS NULL OR p.status_start < v.deleted_at)) AS past_setups
FROM equipment_status_log l JOIN work_centers w ON w.id = l.work_center_id
WHERE l.tenant_id = $1 AND l.facility_id = $2 AND l.status = 'NON_PRODUCTIVE_SETUP'
  AND l.status_start < $4 AND (l.status_end IS NULL OR l.status_end > $3)
"""

RULE_SETS = [
    AlertRules(),
    AlertRules(
        scrap_warning_pct=4.7,
        scrap_min_pieces=1,
        wait_warning_minutes=12.5,
        oee_min_planned_minutes=59.99,
    ),
    AlertRules(scrap_warning_pct=0.1, wait_warning_minutes=0, oee_min_planned_minutes=0),
    AlertRules(scrap_warning_pct=33.3, scrap_min_pieces=3, wait_warning_minutes=14.999),
    AlertRules(
        late_start_minutes=0,
        stall_minutes=0.5,
        no_output_min_planned_minutes=0,
        setup_factor=1,
        setup_min_past=1,
    ),
    AlertRules(
        late_start_minutes=12.5,
        stall_minutes=14.999,
        no_output_min_planned_minutes=59.99,
        setup_factor=1.5,
        setup_history_days=3,
        setup_min_past=3,
    ),
]


async def unfiltered_alerts(
    db: Database, scope: Scope, now: datetime, rules: AlertRules
) -> list[Alert]:
    day = local_day(now, scope.timezone)
    oee_day = production_day(now, scope.timezone, scope.first_shift_start)
    t, f = scope.tenant_id, scope.facility_id
    w = queries.job_windows(scope, now, rules)
    async with db.reading(t) as conn:
        down = await conn.fetch(UNFILTERED_DOWN, t, f, day.start, now)
        oee = await conn.fetch(UNFILTERED_OEE, t, f, oee_day, now)
        scrap = await conn.fetch(UNFILTERED_SCRAP, t, f, day.start, now)
        jobs = queries.job_facts_of_rows(
            await conn.fetch(UNFILTERED_LATE_START, t, f, day.start, now),
            await conn.fetch(UNFILTERED_BEHIND, t, f, day.start, now),
            await conn.fetch(UNFILTERED_STALLED, t, f, day.start, now),
            await conn.fetch(UNFILTERED_NO_OUTPUT, t, f, w.before.start, w.last.start, w.last.end),
            await conn.fetch(UNFILTERED_LONG_SETUP, t, f, day.start, now, w.history_start),
            w,
        )
        # the plan's snooze is no pre-filter: the oracle reads it as the monitor does
        shift = shift_at(now, scope)
        off_plan = await conn.fetch(
            queries.sql("alert_off_plan"), t, f, now, shift.start, shift.end
        )
    found = queries.alerts_of_rows(down, oee, scrap, now, rules, jobs)
    return snoozed_by_plan(found, frozenset(r["work_center_id"] for r in off_plan))


async def assert_same_alerts(db: Database, scope: Scope, now: datetime) -> int:
    raised = 0
    for rules in RULE_SETS:
        expected = await unfiltered_alerts(db, scope, now, rules)
        assert await PlantData(db, scope, rules).alerts(now) == expected
        raised += len(expected)
    return raised


async def test_prefilter_keeps_every_alert_at_the_thresholds(
    builder: PlantBuilder, database: Database
) -> None:
    s = await builder.scope("ACME", "LAX", timezone=LA)
    now = local(LA, 2025, 6, 11, 17, 30)

    def ago(**kw: Any) -> datetime:
        return now - timedelta(**kw)

    wc = [await builder.work_center(s, f"W{i:02}") for i in range(12)]
    # scrap: (good, scrap, rework) around 100 pieces, 5 %, 10 %, 4.7 %, 33.3 %, 0.1 %
    counts = [
        (95, 5, 0), (94, 5, 0), (96, 4, 0), (95, 4, 0), (90, 10, 0), (91, 9, 0),
        (953, 47, 0), (954, 46, 0), (952, 47, 1), (667, 333, 0), (668, 332, 0), (2, 1, 0),
        (999, 1, 0), (1000, 1, 0), (0, 0, 0), (0, 100, 0), (50, 5, 45), (0, 1, 0),
        (199, 1, 0), (2000, 2, 0), (1999, 2, 1),
    ]  # fmt: skip
    for i, (good, scrap, rework) in enumerate(counts):
        for status, end in (("IN_PROGRESS", None), ("COMPLETED", ago(minutes=5))):
            await builder.run(
                s,
                wc[i % 12],
                f"R-{i}-{status}",
                status,
                actual_start=ago(hours=2),
                actual_end=end,
                good=good,
                scrap=scrap,
                rework=rework,
            )
    # waits: around 15, 12.5, 14.999 and 0 minutes; closed, open, and ending after now
    lasting = [
        timedelta(minutes=15), timedelta(minutes=15, microseconds=-1),
        timedelta(minutes=14, seconds=59), timedelta(minutes=12, seconds=30),
        timedelta(minutes=12, seconds=29, microseconds=999_999),
        timedelta(minutes=14.999), timedelta(minutes=14.999, microseconds=-1),
        timedelta(0), timedelta(microseconds=1), timedelta(hours=3),
    ]  # fmt: skip
    for i, length in enumerate(lasting):
        for j, status in enumerate(("NON_PRODUCTIVE_NO_OPERATOR", "NON_PRODUCTIVE_NO_MATERIAL")):
            w = wc[(i + j) % 12]
            start = ago(hours=1 + i, minutes=j)
            await builder.status(s, w, status, start, start + length)  # closed
        start = now - length
        await builder.status(s, wc[i % 12], "NON_PRODUCTIVE_NO_OPERATOR", start)  # open
        start = ago(hours=7, minutes=i)
        await builder.status(
            s, wc[(i + 5) % 12], "NON_PRODUCTIVE_NO_MATERIAL", start - length, start + length
        )  # ends after now only for... a replayed clock: the row is still open at `now`
    await builder.status(s, wc[0], "NON_PRODUCTIVE_BREAKDOWN", ago(minutes=1), ago(seconds=1))
    # OEE rows of the production day: exactly at target, a piece below, no run time, nothing
    # produced, planned exactly 60 / 59.99 / 0
    day = production_day(now, LA, s.first_shift_start)
    shift_start = local(LA, 2025, 6, 11, 14)
    oee_rows = [
        dict(planned=480, downtime=0, produced=24480, good=24480, ict=1, target=85),
        dict(planned=480, downtime=0, produced=24480, good=24479, ict=1, target=85),
        dict(planned=480, downtime=0, produced=24481, good=24480, ict=1, target=85),
        dict(planned=480, downtime=480, produced=0, good=0, ict=1, target=85),
        dict(planned=480, downtime=10, produced=0, good=0, ict=1, target=85),
        dict(planned=60, downtime=0, produced=10, good=10, ict=1, target=85),
        dict(planned=Decimal("59.99"), downtime=0, produced=10, good=10, ict=1, target=85),
        dict(planned=0, downtime=0, produced=0, good=0, ict=1, target=85),
        dict(planned=480, downtime=0, produced=2880, good=2880, ict=10, target=100),
        dict(planned=480, downtime=0, produced=100, good=0, ict=1, target=0),
        dict(planned=300, downtime=60, produced=14400, good=12240, ict=1, target=68),
        dict(planned=300, downtime=60, produced=14400, good=12239, ict=1, target=68),
    ]
    for i, row in enumerate(oee_rows):
        await builder.oee(s, wc[i], day=day, shift="B", start=shift_start, **row)
    raised = await assert_same_alerts(database, s, now)
    assert raised > 60  # the edges are really exercised
    # the pre-filter does drop rows: fewer facts than before
    async with database.reading(s.tenant_id) as conn:
        before = len(await conn.fetch(UNFILTERED_SCRAP, s.tenant_id, s.facility_id,
                                      local_day(now, LA).start, now))  # fmt: skip
        after = len(
            await conn.fetch(
                queries.sql("alert_scrap_facts"),
                s.tenant_id,
                s.facility_id,
                local_day(now, LA).start,
                now,
                100,
                Decimal(5),
            )
        )
    assert after < before


async def test_prefilter_on_a_simulated_plant(db_dsn: str, database: Database) -> None:
    until = datetime(2026, 3, 30, 9, 17, 23, tzinfo=UTC)
    await simulate(db_dsn, SimOptions(seed=9, backfill_days=3, work_centers=12, until=until))
    conn = await asyncpg.connect(db_dsn)
    try:
        scope = (await queries.read_directory(conn))[0]
    finally:
        await conn.close()
    raised = 0
    for hours in (0, 3, 7, 13, 20):
        raised += await assert_same_alerts(database, scope, until - timedelta(hours=hours))
    assert raised > 0
