"""Job rules (#12 item 4): pure functions from facts about runs, shifts and setups read off the
plant database to alerts, as domain/alerts.py does for the equipment, OEE and scrap rules. An
alert carries what happened as facts (its detail); the UI words them (ui/alert_text.py).

Keys are built from row identities only, so two terminals agree (README: Numbers):

    LATE_START:<production_runs.id>
    BEHIND_SCHEDULE:<production_runs.id>
    STALLED:<production_runs.id>:<equipment_status_log.id of the productive row>
    NO_OUTPUT:<work_center_id>:<production day>/<shift number>
    LONG_SETUP:<equipment_status_log.id of the setup row>

Start times come from the data: the moment the condition became true by the row's own times
(scheduled start + the threshold, the shift's end, the setup's start + factor x usual, ...), or
the run's actual start where the data cannot say (behind schedule, as high scrap does). Each
is resolved at the row's time the condition ended, as of `now` (a replayed clock sees a row
that ends after `now` as still open).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from floorwatch.domain.alert_memo import SettledAlerts, apply_rule
from floorwatch.domain.finish import FinishState, time_to_finish
from floorwatch.domain.models import (
    Alert,
    AlertDetail,
    BehindScheduleDetail,
    LateStartDetail,
    LongSetupDetail,
    NoOutputDetail,
    RunStatus,
    Severity,
    StalledDetail,
)

if TYPE_CHECKING:  # domain/alerts.py imports this module to evaluate it
    from floorwatch.domain.alerts import AlertRules


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True)

    work_center_id: uuid.UUID
    work_center_code: str


class LateStartFact(_Fact):
    """A run scheduled to start: still SCHEDULED, or started (actual_start) today."""

    run_id: uuid.UUID
    production_run_number: str
    status: RunStatus
    scheduled_start: datetime
    actual_start: datetime | None


class BehindFact(_Fact):
    """A run with a scheduled end: in progress (with what time_to_finish needs), or completed
    today."""

    run_id: uuid.UUID
    production_run_number: str
    status: RunStatus
    scheduled_end: datetime
    actual_start: datetime
    actual_end: datetime | None
    quantity_planned: int | None
    good: int | None  # None: the ERP gives no count of good pieces
    productive_seconds: Decimal | None  # the run's productive seconds so far (open runs)


class StalledFact(_Fact):
    """An in-progress run and one productive row of its work center that lasted past the
    run's last update (updated_at: the counts' last move)."""

    run_id: uuid.UUID
    production_run_number: str
    actual_start: datetime
    updated_at: datetime
    log_id: uuid.UUID
    status_start: datetime
    status_end: datetime | None


class NoOutputFact(_Fact):
    """A work center's shift rows (those whose period lies in the shift) of one shift."""

    shift_date: date
    shift_number: int
    shift_end: datetime
    next_shift_end: datetime  # the end of the shift after it: it is no longer the last closed
    planned_minutes: Decimal
    produced: int


class LongSetupFact(_Fact):
    """A setup row, and the setups of its work center's type that ended in the history
    window before today."""

    log_id: uuid.UUID
    work_center_type: str
    status_start: datetime
    status_end: datetime | None
    reason_description: str | None = None
    usual_seconds: Decimal | None  # the median length of those setups (None: none)
    past_setups: int


class JobFacts(BaseModel):
    """The facts of the five job rules, as db/queries.job_facts reads them."""

    model_config = ConfigDict(frozen=True)

    late_start: list[LateStartFact] = []
    behind: list[BehindFact] = []
    stalled: list[StalledFact] = []
    no_output: list[NoOutputFact] = []
    long_setup: list[LongSetupFact] = []


def _as_of(end: datetime | None, now: datetime) -> datetime | None:
    """An end time as of `now`: one after `now` (a replayed clock) has not happened yet."""
    return end if end is not None and end <= now else None


def _whole_minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def _alert(
    fact: _Fact,
    identity: str,
    detail: AlertDetail,
    *,
    started_at: datetime,
    resolved_at: datetime | None,
    value: int | Decimal | None = None,
    threshold: float | Decimal | None = None,
) -> Alert:
    """Every job rule warns (README: Numbers); the key is the kind and the rows' identity;
    value and threshold in minutes."""
    return Alert(
        key=f"{detail.kind}:{identity}",
        severity=Severity.WARNING,
        work_center_id=fact.work_center_id,
        work_center_code=fact.work_center_code,
        detail=detail,
        started_at=started_at,
        resolved_at=resolved_at,
        value=None if value is None else Decimal(value),
        threshold=None if threshold is None else Decimal(str(threshold)),
    )


def late_start_alert(fact: LateStartFact, now: datetime, rules: AlertRules) -> Alert | None:
    """Late from more than `late_start_minutes` after the scheduled start, until it starts."""
    if fact.status == RunStatus.CANCELLED:
        return None
    due = fact.scheduled_start + timedelta(minutes=rules.late_start_minutes)
    started = _as_of(fact.actual_start, now)
    if started is None:  # still waiting as of now
        if now <= due:
            return None
        late, resolved = now - fact.scheduled_start, None
    else:
        if started <= due:
            return None
        late, resolved = started - fact.scheduled_start, started
    return _alert(
        fact,
        str(fact.run_id),
        LateStartDetail(
            production_run_number=fact.production_run_number,
            minutes_late=_whole_minutes(late),
            started=resolved is not None,
        ),
        started_at=due,
        resolved_at=resolved,
        value=_whole_minutes(late),
        threshold=rules.late_start_minutes,
    )


def late_start_settled(fact: LateStartFact, now: datetime) -> bool:
    """Cancelled, or started as of `now`: no later `now` changes its alert."""
    return fact.status == RunStatus.CANCELLED or _as_of(fact.actual_start, now) is not None


def behind_schedule_alert(fact: BehindFact, now: datetime, rules: AlertRules) -> Alert | None:
    """An in-progress run whose time to finish is late (the grid's `late`); a run completed
    after its scheduled end was behind until it ended (resolved then)."""
    ended = _as_of(fact.actual_end, now) if fact.status == RunStatus.COMPLETED else None
    if ended is not None:
        if ended <= fact.scheduled_end:
            return None
        state, minutes, resolved = None, _whole_minutes(ended - fact.scheduled_end), ended
    elif fact.status == RunStatus.IN_PROGRESS:
        finish = time_to_finish(
            good=fact.good,
            planned=fact.quantity_planned,
            productive_seconds=fact.productive_seconds,
            now=now,
            scheduled_end=fact.scheduled_end,
        )
        if not finish.late:
            return None
        state, resolved = finish.state, None
        if finish.state == FinishState.EXPECTED and finish.expected_at is not None:
            minutes: int | None = _whole_minutes(finish.expected_at - fact.scheduled_end)
        elif finish.state == FinishState.NO_RATE:
            minutes = _whole_minutes(now - fact.scheduled_end)
        else:
            minutes = None
    else:
        return None
    return _alert(
        fact,
        str(fact.run_id),
        BehindScheduleDetail(
            production_run_number=fact.production_run_number,
            finish_state=state,
            minutes_late=minutes,
        ),
        started_at=fact.actual_start,
        resolved_at=resolved,
        value=minutes,
        threshold=0,
    )


def behind_schedule_settled(fact: BehindFact, now: datetime) -> bool:
    """Completed as of `now`, or neither completed nor in progress (never an alert)."""
    if fact.status == RunStatus.COMPLETED:
        return _as_of(fact.actual_end, now) is not None
    return fact.status != RunStatus.IN_PROGRESS


def stalled_alert(fact: StalledFact, now: datetime, rules: AlertRules) -> Alert | None:
    """No count (updated_at) for at least `stall_minutes` of one productive row: from the later
    of the last update and the row's start to the row's end (or now)."""
    since = max(fact.updated_at, fact.status_start, fact.actual_start)
    ended = _as_of(fact.status_end, now)
    until = ended or now
    threshold = timedelta(minutes=rules.stall_minutes)
    if since > now or until - since < threshold:
        return None
    return _alert(
        fact,
        f"{fact.run_id}:{fact.log_id}",
        StalledDetail(
            production_run_number=fact.production_run_number,
            minutes=_whole_minutes(until - since),
        ),
        started_at=since + threshold,
        resolved_at=ended,
        value=_whole_minutes(until - since),
        threshold=rules.stall_minutes,
    )


def stalled_settled(fact: StalledFact, now: datetime) -> bool:
    since = max(fact.updated_at, fact.status_start, fact.actual_start)
    return since <= now and _as_of(fact.status_end, now) is not None


def no_output_settled(fact: NoOutputFact, now: datetime) -> bool:
    """The shift after it has ended too: its alert (or none) is resolved for good."""
    return fact.shift_end <= now and fact.next_shift_end <= now


def no_output_alert(fact: NoOutputFact, now: datetime, rules: AlertRules) -> Alert | None:
    """A closed shift with at least `no_output_min_planned_minutes` planned (more than 0) and
    no piece produced; from the shift's end until the next shift ends."""
    if fact.shift_end > now or fact.produced > 0 or fact.planned_minutes <= 0:
        return None
    if fact.planned_minutes < Decimal(str(rules.no_output_min_planned_minutes)):
        return None
    return _alert(
        fact,
        f"{fact.work_center_id}:{fact.shift_date.isoformat()}/{fact.shift_number}",
        NoOutputDetail(
            shift_date=fact.shift_date,
            shift_number=fact.shift_number,
            planned_minutes=fact.planned_minutes,
        ),
        started_at=fact.shift_end,
        resolved_at=_as_of(fact.next_shift_end, now),
        value=fact.produced,
        threshold=0,
    )


def long_setup_alert(fact: LongSetupFact, now: datetime, rules: AlertRules) -> Alert | None:
    """A setup longer than `setup_factor` x the usual (the median of at least `setup_min_past`
    past setups of the type; a usual of 0 is no yardstick): from start + factor x usual."""
    usual = fact.usual_seconds
    if usual is None or usual <= 0 or fact.past_setups < rules.setup_min_past:
        return None
    limit = timedelta(seconds=float(usual) * rules.setup_factor)
    ended = _as_of(fact.status_end, now)
    if fact.status_start > now or (ended or now) - fact.status_start <= limit:
        return None
    return _alert(
        fact,
        str(fact.log_id),
        LongSetupDetail(
            work_center_type=fact.work_center_type,
            minutes=_whole_minutes((ended or now) - fact.status_start),
            usual_minutes=usual / 60,
            reason=fact.reason_description,
        ),
        started_at=fact.status_start + limit,
        resolved_at=ended,
        value=_whole_minutes((ended or now) - fact.status_start),
        threshold=(usual / 60 * Decimal(str(rules.setup_factor))).quantize(Decimal("0.1")),
    )


def long_setup_settled(fact: LongSetupFact, now: datetime) -> bool:
    return fact.status_start <= now and _as_of(fact.status_end, now) is not None


def next_waiting(facts: list[LateStartFact], now: datetime) -> list[LateStartFact]:
    """Of the runs still waiting to start, only the next of each work center (the earliest
    scheduled): a queue behind a late job is one late start, not one per queued run. Runs that
    started (late) stay, each its own resolved alert."""
    waiting: dict[object, LateStartFact] = {}
    out: list[LateStartFact] = []
    for fact in facts:
        if _as_of(fact.actual_start, now) is not None:
            out.append(fact)
            continue
        first = waiting.get(fact.work_center_id)
        if first is None or (fact.scheduled_start, str(fact.run_id)) < (
            first.scheduled_start,
            str(first.run_id),
        ):
            waiting[fact.work_center_id] = fact
    return out + list(waiting.values())


def job_alerts(
    facts: JobFacts, now: datetime, rules: AlertRules, memo: SettledAlerts | None = None
) -> list[Alert]:
    """The five job rules over their facts (unsorted: alerts.evaluate sorts)."""
    waiting = next_waiting(facts.late_start, now)
    found = apply_rule(memo, late_start_alert, late_start_settled, waiting, now, rules)
    found += apply_rule(
        memo, behind_schedule_alert, behind_schedule_settled, facts.behind, now, rules
    )
    found += apply_rule(memo, stalled_alert, stalled_settled, facts.stalled, now, rules)
    found += apply_rule(memo, no_output_alert, no_output_settled, facts.no_output, now, rules)
    found += apply_rule(memo, long_setup_alert, long_setup_settled, facts.long_setup, now, rules)
    return found
