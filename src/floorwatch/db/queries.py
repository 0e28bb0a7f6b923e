"""One async function per panel. Each is scoped to a tenant and facility, runs in a read-only
transaction as the reader role (Database.reading), and returns pydantic models. SQL lives in
db/sql/*.sql; the ratios are computed from the sums by domain/oee.py and domain/alerts.py, and
sums over time (days, the trends panel's exact lines) by domain/trends.py."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any, NamedTuple, TypeVar

import asyncpg
from pydantic import BaseModel

from floorwatch.db.pool import Database, quote_ident
from floorwatch.db.sql_filters import COMMENT, PARAMETER, narrowed
from floorwatch.domain import alerts as alert_rules
from floorwatch.domain.alert_memo import SettledAlerts
from floorwatch.domain.finish import Finish, time_to_finish
from floorwatch.domain.job_alerts import (
    BehindFact,
    JobFacts,
    LateStartFact,
    LongSetupFact,
    NoOutputFact,
    StalledFact,
)
from floorwatch.domain.losses import StateMinutes
from floorwatch.domain.models import (
    Alert,
    CurrentRun,
    FacilitySummary,
    OeePoint,
    Quantities,
    RunStatus,
    RunSummary,
    Scope,
    StatusChange,
    TrendLine,
    WorkCenterSummary,
    WorkCenterUtilization,
)
from floorwatch.domain.oee import OeeTotals, weighted_target
from floorwatch.domain.plant_time import local_day, production_day
from floorwatch.domain.reliability import Reliability
from floorwatch.domain.shift_report import ShiftCounts, ShiftReport, assemble
from floorwatch.domain.shift_window import ShiftWindow, previous_shift, shift_at, shifts_per_day
from floorwatch.domain.spc import SpcMetric, SpcPoint, SpcSeries
from floorwatch.domain.trends import TrendPart, by_day, compact_lines
from floorwatch.text import clean

RUNS_WINDOW = timedelta(hours=24)


def _utc(moment: datetime) -> datetime:
    """Aware datetime in UTC: arithmetic on it counts real time, also on DST days."""
    return moment.astimezone(UTC)


@cache
def sql(name: str) -> str:
    return files("floorwatch.db").joinpath("sql", f"{name}.sql").read_text("utf-8")


@cache
def filtered_sql(name: str, dropped: frozenset[int]) -> str:
    """db/sql/<name>.sql without its optional filters on the `dropped` parameters
    (db/sql_filters.py)."""
    return narrowed(sql(name), dropped)


async def _rows(db: Database, scope: Scope, name: str, *args: Any) -> list[asyncpg.Record]:
    """db/sql/<name>.sql read as the scope's tenant: $1 tenant, $2 facility, then `args`."""
    return await db.fetch(scope.tenant_id, sql(name), scope.tenant_id, scope.facility_id, *args)


M = TypeVar("M", bound=BaseModel)


def _model_of(model: type[M], row: Mapping[str, Any], **fields: Any) -> M:
    """The one row-to-model mapping: the row's columns carry the model's field names (other
    columns are ignored); `fields` are the nested models and what the row spells otherwise.
    Validated: for these flat models pydantic 2.14's validation (about 1.3 us a fact) is faster
    than model_construct (3.5 us, pure Python); TrendLine, whose list of ratios validation
    walks, is built with model_construct."""
    return model.model_validate(dict(row, **fields))


def _totals(row: Mapping[str, Any], prefix: str = "") -> OeeTotals:
    """OEE sums of a row: columns planned_minutes, runtime_minutes, produced, oee_good (`good`
    is the completed runs' good pieces in the queries that return both) and ideal_seconds."""
    return OeeTotals(
        planned_minutes=row[f"{prefix}planned_minutes"],
        runtime_minutes=row[f"{prefix}runtime_minutes"],
        produced=row[f"{prefix}produced"],
        good=row[f"{prefix}oee_good"],
        ideal_seconds=row[f"{prefix}ideal_seconds"],
    )


def _quantities(row: Mapping[str, Any]) -> Quantities:
    return Quantities(good=row["good"], scrap=row["scrap"], rework=row["rework"])


async def read_directory(conn: asyncpg.Connection) -> list[Scope]:
    rows = await conn.fetch(sql("directory"))
    return [_model_of(Scope, row) for row in rows if row["facility_id"] is not None]


async def read_directory_as(conn: asyncpg.Connection, role: str | None) -> list[Scope]:
    """The directory as the monitor reads it: as `role` (SET LOCAL ROLE) when one is given, so
    a login whose membership does not inherit the role's privileges reads it too."""
    if not role:
        return await read_directory(conn)
    async with conn.transaction(readonly=True):
        await conn.execute(f"SET LOCAL ROLE {quote_ident(role)}")
        return await read_directory(conn)


def _oee_day(scope: Scope, now: datetime) -> date:
    """Today's OEE rows are those of the production day (the shift running now), not of the
    calendar day: between midnight and the first shift the night shift is still yesterday's."""
    return production_day(now, scope.timezone, scope.first_shift_start)


async def facility_summary(db: Database, scope: Scope, now: datetime) -> FacilitySummary:
    day = local_day(now, scope.timezone)
    # aggregates always return one row
    [row] = await _rows(db, scope, "facility_summary", day.start, now, _oee_day(scope, now))
    return _model_of(
        FacilitySummary,
        row,
        as_of=now,
        local_date=day.local_date,
        completed_quantities=_quantities(row),
        oee_today=_totals(row),
        target_oee_percentage=_target_today(row),
    )


async def work_center_summaries(
    db: Database, scope: Scope, now: datetime
) -> list[WorkCenterSummary]:
    day = local_day(now, scope.timezone)
    rows = await _rows(db, scope, "work_center_summaries", day.start, now, _oee_day(scope, now))
    return [
        _model_of(
            WorkCenterSummary,
            r,
            oee_today=_totals(r),
            target_oee_percentage=_target_today(r),
            completed_quantities=_quantities(r),
        )
        for r in rows
    ]


def _target_today(row: asyncpg.Record) -> Decimal | None:
    return weighted_target(row["target_x_planned"], row["planned_minutes"])


def _finish(r: asyncpg.Record, now: datetime) -> Finish | None:
    """An open run's time to finish; None for a run that is not open (no productive seconds)."""
    if r["productive_seconds"] is None:
        return None
    return time_to_finish(
        good=r["good"] if r["good_counted"] else None,
        planned=r["quantity_planned"],
        productive_seconds=r["productive_seconds"],
        now=now,
        scheduled_end=r["scheduled_end"],
    )


def _current_run(r: asyncpg.Record, now: datetime) -> CurrentRun | None:
    if r["run_id"] is None:
        return None
    return _model_of(
        CurrentRun, r, status=r["run_status"], quantities=_quantities(r), finish=_finish(r, now)
    )


async def utilization(db: Database, scope: Scope, now: datetime) -> list[WorkCenterUtilization]:
    day = local_day(now, scope.timezone)
    rows = await _rows(db, scope, "utilization", day.start, now)
    # real minutes: subtracting two datetimes of the same ZoneInfo would count wall-clock time
    # (wrong on DST days), so subtract in UTC
    elapsed = Decimal(str((_utc(now) - _utc(day.start)).total_seconds())) / 60
    return [
        _model_of(
            WorkCenterUtilization,
            r,
            current_run=_current_run(r, now),
            elapsed_minutes=elapsed,
        )
        for r in rows
    ]


async def run_summaries(
    db: Database,
    scope: Scope,
    now: datetime,
    *,
    work_center_id: uuid.UUID | None = None,
    statuses: list[RunStatus] | None = None,
    limit: int = 200,
) -> list[RunSummary]:
    filters = (work_center_id, [s.value for s in statuses] if statuses else None)  # $5, $6
    dropped = frozenset(n for n, value in enumerate(filters, start=5) if value is None)
    rows = await db.fetch(
        scope.tenant_id,
        filtered_sql("run_summaries", dropped),
        scope.tenant_id,
        scope.facility_id,
        _utc(now) - RUNS_WINDOW,  # 24 real hours, also across a DST change
        now,
        *(value for value in filters if value is not None),
        limit,
    )
    return [
        _model_of(RunSummary, r, quantities=_quantities(r), finish=_finish(r, now)) for r in rows
    ]


async def oee_shifts(
    db: Database,
    scope: Scope,
    first: date,
    last: date,
    work_center_id: uuid.UUID | None = None,
) -> list[OeePoint]:
    """Per work center and shift, oldest first within each work center."""
    rows = await _rows(db, scope, "oee_trends", first, last, work_center_id)
    return [_model_of(OeePoint, r, totals=_totals(r)) for r in rows]


async def oee_trends(
    db: Database,
    scope: Scope,
    first: date,
    last: date,
    *,
    per: str = "shift",
    work_center_id: uuid.UUID | None = None,
) -> list[OeePoint]:
    """OEE over a date range, per shift or per day."""
    if per not in ("shift", "day"):
        raise ValueError("per must be 'shift' or 'day'")
    points = await oee_shifts(db, scope, first, last, work_center_id)
    return points if per == "shift" else by_day(points)


async def trend_part(
    db: Database,
    scope: Scope,
    first: date,
    last: date,
    since: datetime | None = None,
    until: datetime | None = None,
) -> TrendPart:
    """The trends panel's rows of the shift periods starting in [since, until) (None:
    unbounded) whose calculation_date is in [first, last], summed per work center (see
    sql/trend_rows.sql)."""
    return TrendPart.of_rows(await _rows(db, scope, "trend_rows", first, last, since, until))


async def trend_lines(
    db: Database, scope: Scope, first: date, last: date, shifts: int
) -> list[TrendLine]:
    """The trends panel in one line per work center (and the facility) in one read: bars of
    the facility's last `shifts` shift periods as float ratios, the latest row's and the
    window's summed totals exactly (PlantData.trend_lines reads the closed shifts once)."""
    return compact_lines(await trend_part(db, scope, first, last), TrendPart(), shifts)


async def active_alerts(
    db: Database,
    scope: Scope,
    now: datetime,
    rules: alert_rules.AlertRules | None = None,
    usual: SetupUsual | None = None,
    memo: SettledAlerts | None = None,
) -> list[Alert]:
    """Alerts of today: active ones and those resolved since plant-local midnight (`usual`:
    today's usual setups, when the caller keeps them; `memo`: the settled facts' alerts of its
    poll before). One statement (db/sql/alert_facts.sql) reads every rule's facts; without
    `usual`, the usual setups are read first, in the same transaction."""
    rules = rules or alert_rules.AlertRules()
    if usual is not None:  # one statement, its own snapshot: one round trip
        [row] = await db.fetch(
            scope.tenant_id, alert_facts_sql(), *alert_facts_args(scope, now, rules, usual)
        )
    else:
        async with db.reading(scope.tenant_id) as conn:
            usual = await setup_usual(conn, scope, job_windows(scope, now, rules))
            row = await conn.fetchrow(
                alert_facts_sql(), *alert_facts_args(scope, now, rules, usual)
            )
    return alerts_of_facts(row, now, rules, job_windows(scope, now, rules), memo)


def alert_facts_args(
    scope: Scope, now: datetime, rules: alert_rules.AlertRules, usual: SetupUsual
) -> tuple[Any, ...]:
    """The arguments of db/sql/alert_facts.sql, in its order. The SQL pre-filters on the
    thresholds (only rows that may alert come back); the rules in Python decide."""
    day = local_day(now, scope.timezone)
    w = job_windows(scope, now, rules)
    first = production_day(w.before.start, scope.timezone, scope.first_shift_start)
    last = production_day(
        w.last.end - timedelta(microseconds=1), scope.timezone, scope.first_shift_start
    )
    return (
        scope.tenant_id,
        scope.facility_id,
        day.start,
        now,
        _oee_day(scope, now),
        float(rules.wait_warning_minutes),
        Decimal(str(rules.oee_min_planned_minutes)),
        Decimal(str(rules.oee_resolve_margin_pct)) - Decimal(str(rules.oee_warning_gap_pct)),
        rules.scrap_min_pieces,
        Decimal(str(rules.scrap_warning_pct)) - Decimal(str(rules.scrap_resolve_margin_pct)),
        float(rules.late_start_minutes),
        float(rules.stall_minutes),
        w.before.start,
        w.last.start,
        w.last.end,
        first,
        last,
        Decimal(str(rules.no_output_min_planned_minutes)),
        list(usual.seconds),
        list(usual.seconds.values()),
        [usual.past[k] for k in usual.seconds],
        rules.setup_min_past,
        float(rules.setup_factor),
        w.current.start,
        w.current.end,
        rules.snooze_by_plan,
    )


_INCLUDE = re.compile(r"^[ \t]*-- include: (\w+)\(([^)]*)\)[ \t]*$", re.MULTILINE)
_COLUMNS = re.compile(r"-- columns: ([\w, ]+)$", re.MULTILINE)


@cache
def alert_facts_sql() -> str:
    """db/sql/alert_facts.sql with each `-- include: name($a, $b, ...)` line replaced by
    db/sql/name.sql, whose $1, $2, ... become $a, $b, ... (one statement made of the fact
    queries that also run, and are tested, alone), and its `-- columns: kind, ...` by one
    subquery per kind that aggregates each of its FACT_COLUMNS into an array."""

    def include(m: re.Match[str]) -> str:
        args = [a.strip() for a in m.group(2).split(",")]
        body = sql(m.group(1)).strip().removesuffix(";")
        used = {int(n) for n in PARAMETER.findall(body)}
        if used != set(range(1, len(args) + 1)):
            raise ValueError(f"{m.group(1)}: takes ${max(used)}, given {len(args)} arguments")
        return PARAMETER.sub(lambda p: args[int(p.group(1)) - 1], body)

    def columns(m: re.Match[str]) -> str:
        kinds = [k.strip() for k in m.group(1).split(",")]
        return "".join(
            f"(SELECT {', '.join(f'array_agg(f.{c}) AS {k}__{c}' for c in FACT_COLUMNS[k])}"
            f" FROM {k} AS f) AS {k}_arrays,\n     "
            for k in kinds
        )

    composed = _COLUMNS.sub(columns, _INCLUDE.sub(include, sql("alert_facts")))
    # sent without comments and indentation: asyncpg caches (prepares once per connection, so
    # PostgreSQL can keep a plan) only statements up to max_cacheable_statement_size (15 KiB
    # by default); with its files' comments this one is 20 KiB and would be parsed and planned
    # afresh on every poll (none of the fact files has `--` inside a string literal)
    return "\n".join(
        line.strip() for line in COMMENT.sub("", composed).splitlines() if line.strip()
    )


# The columns of each fact kind in db/sql/alert_facts.sql: those of its fact query, in its
# order (tests/db/test_alert_statement.py holds them to the files)
FACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "down": (
        "log_id", "work_center_id", "work_center_code", "status", "status_start",
        "status_end", "reason_description",
    ),
    "oee": (
        "work_center_id", "work_center_code", "calculation_date", "shift", "period_start",
        "period_end", "planned_minutes", "runtime_minutes", "produced", "oee_good",
        "ideal_seconds", "target_oee_percentage",
    ),
    "scrap": (
        "run_id", "production_run_number", "work_center_id", "work_center_code", "status",
        "actual_start", "actual_end", "good", "scrap", "rework",
    ),
    "late_start": (
        "run_id", "production_run_number", "work_center_id", "work_center_code", "status",
        "scheduled_start", "actual_start",
    ),
    "behind": (
        "run_id", "production_run_number", "work_center_id", "work_center_code", "status",
        "scheduled_end", "actual_start", "actual_end", "quantity_planned", "good",
        "productive_seconds",
    ),
    "stalled": (
        "run_id", "production_run_number", "work_center_id", "work_center_code",
        "actual_start", "updated_at", "log_id", "status_start", "status_end",
    ),
    "no_output": (
        "work_center_id", "work_center_code", "last_closed", "planned_minutes", "produced",
    ),
    "long_setup": (
        "log_id", "work_center_id", "work_center_code", "work_center_type", "status_start",
        "status_end", "reason_description", "usual_seconds", "past_setups",
    ),
}  # fmt: skip
# the fact queries of db/sql/ behind each kind
FACT_QUERIES = {
    "down": "alert_down_facts",
    "oee": "alert_oee_facts",
    "scrap": "alert_scrap_facts",
    "late_start": "alert_late_start_facts",
    "behind": "alert_behind_facts",
    "stalled": "alert_stalled_facts",
    "no_output": "alert_no_output_facts",
    "long_setup": "alert_long_setup_facts",
}


def fact_rows(row: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    """One fact kind's facts in the alert_facts row (its columns' arrays) as rows by name."""
    names = FACT_COLUMNS[kind]
    arrays = [row[f"{kind}__{name}"] for name in names]
    if arrays[0] is None:  # array_agg of no rows
        return []
    return [dict(zip(names, values, strict=True)) for values in zip(*arrays, strict=True)]


def alerts_of_facts(
    row: Mapping[str, Any],
    now: datetime,
    rules: alert_rules.AlertRules,
    windows: JobWindows,
    memo: SettledAlerts | None = None,
) -> list[Alert]:
    """The rules applied to the one row of db/sql/alert_facts.sql, snoozed by the plan."""
    jobs = job_facts_of_rows(
        fact_rows(row, "late_start"),
        fact_rows(row, "behind"),
        fact_rows(row, "stalled"),
        fact_rows(row, "no_output"),
        fact_rows(row, "long_setup"),
        windows,
    )
    found = alerts_of_rows(
        fact_rows(row, "down"),
        fact_rows(row, "oee"),
        fact_rows(row, "scrap"),
        now,
        rules,
        jobs,
        memo,
    )
    if not rules.snooze_by_plan:
        return found
    return alert_rules.snoozed_by_plan(found, frozenset(row["off_plan"] or ()))


def alerts_of_rows(
    down_rows: Sequence[Mapping[str, Any]],
    oee_rows: Sequence[Mapping[str, Any]],
    scrap_rows: Sequence[Mapping[str, Any]],
    now: datetime,
    rules: alert_rules.AlertRules,
    jobs: JobFacts | None = None,
    memo: SettledAlerts | None = None,
) -> list[Alert]:
    """The alert rules applied to the rows of the three fact queries (and the job facts)."""
    return alert_rules.evaluate(
        down=[_model_of(alert_rules.DownFact, r) for r in down_rows],
        oee=[_model_of(alert_rules.OeeFact, r, totals=_totals(r)) for r in oee_rows],
        scrap=[_model_of(alert_rules.ScrapFact, r, quantities=_quantities(r)) for r in scrap_rows],
        now=now,
        rules=rules,
        jobs=jobs,
        memo=memo,
    )


class JobWindows(NamedTuple):
    """The windows the job facts are read for (db/sql/alert_*_facts.sql of the job rules)."""

    day_start: datetime  # plant-local midnight of now
    history_start: datetime  # plant-local midnight setup_history_days before it
    before: ShiftWindow  # the shift before the last closed one
    last: ShiftWindow  # the last closed shift
    current: ShiftWindow  # the running one


def job_windows(scope: Scope, now: datetime, rules: alert_rules.AlertRules) -> JobWindows:
    day = local_day(now, scope.timezone)
    current = shift_at(now, scope)
    last = previous_shift(current, scope)
    return JobWindows(
        day.start,
        day.start - timedelta(days=rules.setup_history_days),  # wall clock: local midnight
        previous_shift(last, scope),
        last,
        current,
    )


class SetupUsual(NamedTuple):
    """The usual setup of each work center type, for the day `day_start` begins."""

    day_start: datetime
    seconds: dict[str, Decimal]  # the median
    past: dict[str, int]  # how many setups


async def read_setup_usual(
    db: Database, scope: Scope, now: datetime, rules: alert_rules.AlertRules
) -> SetupUsual:
    async with db.reading(scope.tenant_id) as conn:
        return await setup_usual(conn, scope, job_windows(scope, now, rules))


async def setup_usual(conn: Any, scope: Scope, w: JobWindows) -> SetupUsual:
    rows = await conn.fetch(
        sql("setup_usual"), scope.tenant_id, scope.facility_id, w.history_start, w.day_start
    )
    return SetupUsual(
        w.day_start,
        {r["work_center_type"]: r["usual_seconds"] for r in rows},
        {r["work_center_type"]: r["past_setups"] for r in rows},
    )


def job_facts_of_rows(
    late: Sequence[Mapping[str, Any]],
    behind: Sequence[Mapping[str, Any]],
    stalled: Sequence[Mapping[str, Any]],
    no_output: Sequence[Mapping[str, Any]],
    setups: Sequence[Mapping[str, Any]],
    windows: JobWindows,
) -> JobFacts:
    """The rows of the job fact queries as facts; a no-output row names the shift it sums."""

    def shift_fact(r: Mapping[str, Any]) -> NoOutputFact:
        shift, after = (
            (windows.last, windows.current) if r["last_closed"] else (windows.before, windows.last)
        )
        return _model_of(
            NoOutputFact,
            r,
            shift_date=shift.local_date,
            shift_number=shift.number,
            shift_end=shift.end,
            next_shift_end=after.end,
        )

    return JobFacts(
        late_start=[_model_of(LateStartFact, r) for r in late],
        behind=[_model_of(BehindFact, r) for r in behind],
        stalled=[_model_of(StalledFact, r) for r in stalled],
        no_output=[shift_fact(r) for r in no_output],
        long_setup=[_model_of(LongSetupFact, r) for r in setups],
    )


async def spc_series(db: Database, scope: Scope, now: datetime, shifts: int) -> list[SpcSeries]:
    """Each work center's OEE and scrap-rate series over its last `shifts` closed rows (a row
    with nothing planned has no OEE point, one with nothing produced no scrap point)."""
    # the index's bound: enough days for `shifts` shifts on a plant idle 2 days a week (x 1.5)
    days = math.ceil(shifts * 1.5 / shifts_per_day(scope)) + 1
    first = _oee_day(scope, now) - timedelta(days=days)
    rows = await _rows(db, scope, "spc_series", first, now, shifts)
    oee: dict[uuid.UUID, list[SpcPoint]] = {}
    scrap: dict[uuid.UUID, list[SpcPoint]] = {}
    codes: dict[uuid.UUID, str] = {}
    for r in rows:
        wc = r["work_center_id"]
        codes[wc] = r["work_center_code"]
        totals = _totals(r)
        if totals.oee is not None:
            oee.setdefault(wc, []).append(SpcPoint(r["period_end"], float(totals.oee)))
        if r["produced"]:
            rate = (r["produced"] - r["oee_good"]) / r["produced"]
            scrap.setdefault(wc, []).append(SpcPoint(r["period_end"], float(rate)))
    return [
        SpcSeries(wc, clean(codes[wc]), metric, tuple(points))
        for metric, by_wc in ((SpcMetric.OEE, oee), (SpcMetric.SCRAP, scrap))
        for wc, points in by_wc.items()
    ]


async def status_changes(
    db: Database, scope: Scope, work_center_id: uuid.UUID, since: datetime
) -> list[StatusChange]:
    """State changes of one work center since `since`, newest first (drill-down)."""
    rows = await _rows(db, scope, "status_changes", work_center_id, since)
    return [_model_of(StatusChange, r) for r in rows]


async def shift_report(
    db: Database,
    scope: Scope,
    key: str,
    start: datetime,
    end: datetime,
    now: datetime,
    small_stop_minutes: float,
) -> ShiftReport:
    """The figures of the window [start, end) as of `now` (README: Numbers): its OEE rows (those
    whose period starts in it) and its status minutes, per work center and for the facility."""
    start, end, now = _utc(start), _utc(end), _utc(now)
    until = max(start, min(end, now))
    first = production_day(start, scope.timezone, scope.first_shift_start)
    last = production_day(
        max(start, until - timedelta(microseconds=1)), scope.timezone, scope.first_shift_start
    )
    counts = await _rows(db, scope, "shift_counts", start, until, first, last)
    states = await _rows(
        db, scope, "shift_states", start, until, now, Decimal(str(small_stop_minutes * 60))
    )
    return assemble(
        key,
        start,
        end,
        now,
        [_model_of(ShiftCounts, r, oee=_totals(r)) for r in counts],
        [_model_of(StateMinutes, r) for r in states],
    )


async def reliability(
    db: Database,
    scope: Scope,
    work_center_id: uuid.UUID,
    days: int,
    now: datetime,
    small_stop_minutes: float,
) -> Reliability:
    """One work center's breakdowns and OEE sums over the last `days` x 24 h (README:
    Numbers)."""
    now = _utc(now)
    start = now - timedelta(days=days)
    first = production_day(start, scope.timezone, scope.first_shift_start)
    last = production_day(now, scope.timezone, scope.first_shift_start)
    threshold = Decimal(str(small_stop_minutes * 60))
    [row] = await _rows(
        db, scope, "reliability", work_center_id, start, now, threshold, first, last
    )
    return _model_of(
        Reliability,
        row,
        days=days,
        calendar_minutes=Decimal((now - start).total_seconds()) / 60,
        oee=_totals(row),
    )
