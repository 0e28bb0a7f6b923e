"""domain/alert_memo.py: a settled fact's alert is its rule's answer for every later `now` (each
rule against its `*_settled` predicate, on generated facts), and a poll through the memo
answers what the rules answer without it, running a rule again only for unsettled facts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from floorwatch.domain import alerts, job_alerts
from floorwatch.domain.alert_memo import SettledAlerts
from floorwatch.domain.alerts import AlertRules, DownFact, OeeFact, ScrapFact, evaluate
from floorwatch.domain.job_alerts import (
    BehindFact,
    JobFacts,
    LateStartFact,
    LongSetupFact,
    NoOutputFact,
    StalledFact,
)
from floorwatch.domain.models import EquipmentState, Quantities, RunStatus
from floorwatch.domain.oee import OeeTotals

RULES = AlertRules()
T0 = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
WCS = [uuid.UUID(int=n) for n in range(1, 4)]

# moments within a day of T0, to the minute (thresholds are minutes: edges get hit)
moments = st.integers(0, 24 * 60).map(lambda m: T0 + timedelta(minutes=m))
maybe = st.none() | moments
later = st.integers(0, 3 * 24 * 60).map(lambda m: timedelta(minutes=m))
ids = st.uuids()
wc = st.sampled_from(WCS)
pieces = st.integers(0, 5000)
minutes = st.integers(0, 600).map(Decimal)


def _fact(cls: type, **fields: Any) -> st.SearchStrategy[Any]:
    return st.builds(cls, work_center_id=wc, work_center_code=st.just("P1"), **fields)


down_facts = _fact(
    DownFact,
    log_id=ids,
    status=st.sampled_from(list(EquipmentState)),
    status_start=moments,
    status_end=maybe,
    reason_description=st.none() | st.just("jam"),
)
oee_facts = st.builds(
    lambda wc_id, start, hours, planned, ratio, good, target: OeeFact(
        work_center_id=wc_id,
        work_center_code="P1",
        calculation_date=date(2026, 3, 10),
        shift="1",
        period_start=start,
        period_end=start + timedelta(hours=hours),
        totals=OeeTotals(
            planned_minutes=planned,
            runtime_minutes=planned * Decimal(ratio) / 100,
            produced=good * 2,
            good=good,
            ideal_seconds=Decimal(good),
        ),
        target_oee_percentage=Decimal(target),
    ),
    wc,
    moments,
    st.integers(1, 12),
    minutes,
    st.integers(0, 100),
    pieces,
    st.integers(1, 100),
)
scrap_facts = _fact(
    ScrapFact,
    run_id=ids,
    production_run_number=st.just("R-1"),
    status=st.sampled_from(list(RunStatus)),
    actual_start=moments,
    actual_end=maybe,
    quantities=st.builds(Quantities, good=pieces, scrap=pieces, rework=pieces),
)
late_facts = _fact(
    LateStartFact,
    run_id=ids,
    production_run_number=st.just("R-1"),
    status=st.sampled_from(list(RunStatus)),
    scheduled_start=moments,
    actual_start=maybe,
)
behind_facts = _fact(
    BehindFact,
    run_id=ids,
    production_run_number=st.just("R-1"),
    status=st.sampled_from(list(RunStatus)),
    scheduled_end=moments,
    actual_start=moments,
    actual_end=maybe,
    quantity_planned=st.none() | st.integers(1, 5000),
    good=st.none() | pieces,
    productive_seconds=st.none() | st.integers(0, 30000).map(Decimal),
)
stalled_facts = _fact(
    StalledFact,
    run_id=ids,
    production_run_number=st.just("R-1"),
    actual_start=moments,
    updated_at=moments,
    log_id=ids,
    status_start=moments,
    status_end=maybe,
)
no_output_facts = st.builds(
    lambda wc_id, end, planned, produced: NoOutputFact(
        work_center_id=wc_id,
        work_center_code="P1",
        shift_date=date(2026, 3, 10),
        shift_number=1,
        shift_end=end,
        next_shift_end=end + timedelta(hours=8),
        planned_minutes=planned,
        produced=produced,
    ),
    wc,
    moments,
    minutes,
    st.integers(0, 3),
)
setup_facts = _fact(
    LongSetupFact,
    log_id=ids,
    work_center_type=st.just("PRESS"),
    status_start=moments,
    status_end=maybe,
    usual_seconds=st.none() | st.integers(0, 7200).map(Decimal),
    past_setups=st.integers(0, 10),
)

RULE_FACTS = [
    (alerts.down_alert, alerts.down_settled, down_facts),
    (alerts.low_oee_alert, alerts.low_oee_settled, oee_facts),
    (alerts.high_scrap_alert, alerts.high_scrap_settled, scrap_facts),
    (job_alerts.late_start_alert, job_alerts.late_start_settled, late_facts),
    (job_alerts.behind_schedule_alert, job_alerts.behind_schedule_settled, behind_facts),
    (job_alerts.stalled_alert, job_alerts.stalled_settled, stalled_facts),
    (job_alerts.no_output_alert, job_alerts.no_output_settled, no_output_facts),
    (job_alerts.long_setup_alert, job_alerts.long_setup_settled, setup_facts),
]


@settings(max_examples=300, deadline=None)
@given(st.data(), moments, later)
def test_a_settled_fact_has_the_same_alert_at_any_later_now(
    data: st.DataObject, now: datetime, after: timedelta
) -> None:
    for rule, settled, facts in RULE_FACTS:
        fact = data.draw(facts)
        if settled(fact, now):
            assert settled(fact, now + after), rule.__name__
            assert rule(fact, now + after, RULES) == rule(fact, now, RULES), rule.__name__


def test_each_predicate_settles_some_facts_and_not_others() -> None:
    # the property above is not empty: ended, started, finished facts settle; open ones don't
    end = T0 + timedelta(hours=1)
    down = DownFact(
        log_id=uuid.uuid4(), work_center_id=WCS[0], work_center_code="P1",
        status=EquipmentState.BREAKDOWN, status_start=T0, status_end=end,
    )  # fmt: skip
    assert alerts.down_settled(down, end) and not alerts.down_settled(down, end - timedelta(1))
    assert not alerts.down_settled(down.model_copy(update={"status_end": None}), end)
    run = BehindFact(
        work_center_id=WCS[0], work_center_code="P1", run_id=uuid.uuid4(),
        production_run_number="R-1", status=RunStatus.IN_PROGRESS, scheduled_end=T0,
        actual_start=T0, actual_end=None, quantity_planned=100, good=10,
        productive_seconds=Decimal(600),
    )  # fmt: skip
    assert not job_alerts.behind_schedule_settled(run, end)  # its finish moves with the clock
    done = run.model_copy(update={"status": RunStatus.COMPLETED, "actual_end": end})
    assert job_alerts.behind_schedule_settled(done, end)


def down_fact(n: int, start: datetime, end: datetime | None) -> DownFact:
    return DownFact(
        log_id=uuid.UUID(int=n),
        work_center_id=WCS[0],
        work_center_code="P1",
        status=EquipmentState.BREAKDOWN,
        status_start=start,
        status_end=end,
    )


class Counting:
    """A rule that counts its calls."""

    def __init__(self, rule: Any) -> None:
        self.rule, self.calls = rule, 0

    def __call__(self, fact: Any, now: datetime, rules: AlertRules) -> Any:
        self.calls += 1
        return self.rule(fact, now, rules)


def test_the_memo_runs_a_rule_again_only_for_unsettled_facts() -> None:
    end = T0 + timedelta(hours=1)
    ended = [down_fact(n, T0 + timedelta(minutes=n), end) for n in range(3)]
    open_ = ended[0].model_copy(update={"log_id": uuid.UUID(int=9), "status_end": None})
    rule, memo = Counting(alerts.down_alert), SettledAlerts()
    now = end + timedelta(minutes=5)
    first = memo.apply(rule, alerts.down_settled, [*ended, open_], now, RULES)
    memo.poll_done()
    assert rule.calls == 4
    second = memo.apply(rule, alerts.down_settled, [*ended, open_], now + timedelta(1), RULES)
    memo.poll_done()
    assert rule.calls == 5  # the open stop only
    assert second[:3] == first[:3] and second[3] != first[3]  # the open one has lasted longer
    # a fact the last poll did not have is not kept; other rules start afresh
    memo.apply(rule, alerts.down_settled, ended[:1], now, RULES)
    memo.poll_done()
    memo.apply(rule, alerts.down_settled, ended[1:], now, RULES)
    assert rule.calls == 5 + 2
    memo.apply(rule, alerts.down_settled, ended[1:], now, AlertRules(down_for_minutes=1))
    assert rule.calls == 5 + 2 + 2


@settings(max_examples=100, deadline=None)
@given(
    st.lists(down_facts, max_size=6),
    st.lists(oee_facts, max_size=4),
    st.lists(scrap_facts, max_size=4),
    st.lists(late_facts, max_size=4),
    st.lists(behind_facts, max_size=4),
    st.lists(setup_facts, max_size=3),
    moments,
    st.lists(later, min_size=1, max_size=3),
)
def test_polls_through_the_memo_answer_what_the_rules_answer(
    down: list[DownFact],
    oee: list[OeeFact],
    scrap: list[ScrapFact],
    late: list[LateStartFact],
    behind: list[BehindFact],
    setups: list[LongSetupFact],
    now: datetime,
    steps: list[timedelta],
) -> None:
    jobs = JobFacts(late_start=late, behind=behind, long_setup=setups)
    memo = SettledAlerts()
    for step in [timedelta(0), *steps]:
        now += step
        plain = evaluate(down=down, oee=oee, scrap=scrap, now=now, rules=RULES, jobs=jobs)
        kept = evaluate(down=down, oee=oee, scrap=scrap, now=now, rules=RULES, jobs=jobs, memo=memo)
        assert kept == plain
