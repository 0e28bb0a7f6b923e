"""Job rules (domain/job_alerts.py, #12 item 4) on hand-made facts: keys, severities, start and
resolve times, and each threshold's edge. The working is in the comments."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest

from floorwatch.domain.alerts import AlertRules, evaluate
from floorwatch.domain.finish import FinishState
from floorwatch.domain.job_alerts import (
    BehindFact,
    JobFacts,
    LateStartFact,
    LongSetupFact,
    NoOutputFact,
    StalledFact,
    behind_schedule_alert,
    late_start_alert,
    long_setup_alert,
    next_waiting,
    no_output_alert,
    stalled_alert,
)
from floorwatch.domain.models import (
    AlertKind,
    BehindScheduleDetail,
    LateStartDetail,
    LongSetupDetail,
    NoOutputDetail,
    RunStatus,
    Severity,
    StalledDetail,
)

RULES = AlertRules()  # late 30 min, stall 15 min, no output 60 planned min, setups 2 x, 5 past
WC = uuid.UUID("00000000-0000-0000-0000-0000000000c1")
RUN = uuid.UUID("00000000-0000-0000-0000-0000000000b1")
LOG = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
T0 = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def late(status: RunStatus = RunStatus.SCHEDULED, actual: datetime | None = None) -> LateStartFact:
    return LateStartFact(
        work_center_id=WC,
        work_center_code="PRESS-01",
        run_id=RUN,
        production_run_number="R-1",
        status=status,
        scheduled_start=T0,
        actual_start=actual,
    )


# ---- late start ----------------------------------------------------------------------------


def test_late_start_only_after_more_than_the_threshold() -> None:
    # due at 08:00 + 30 min = 08:30; "more than 30 minutes ago": not at 08:30 itself
    assert late_start_alert(late(), at(30), RULES) is None
    a = late_start_alert(late(), at(30) + timedelta(microseconds=1), RULES)
    assert a is not None
    assert a.key == f"LATE_START:{RUN}"
    assert a.severity == Severity.WARNING
    assert a.started_at == at(30)
    assert a.resolved_at is None
    assert a.detail == LateStartDetail(production_run_number="R-1", minutes_late=30)


def test_late_start_as_of_now() -> None:
    # 08:42: 42 minutes after the scheduled start
    a = late_start_alert(late(), at(42), RULES)
    assert a is not None and a.detail.minutes_late == 42  # type: ignore[union-attr]
    assert late_start_alert(late(), at(-5), RULES) is None  # not even due


def test_a_late_run_that_started_is_resolved_at_its_start() -> None:
    # started 08:45: 45 min after 08:00, more than 30: the alert ran 08:30 .. 08:45
    a = late_start_alert(late(RunStatus.IN_PROGRESS, at(45)), at(120), RULES)
    assert a is not None
    assert (a.started_at, a.resolved_at) == (at(30), at(45))
    assert a.detail == LateStartDetail(production_run_number="R-1", minutes_late=45, started=True)
    # started at 08:30 exactly: not late by more than 30 min
    assert late_start_alert(late(RunStatus.COMPLETED, at(30)), at(120), RULES) is None


def test_a_start_after_now_is_still_waiting_on_a_replayed_clock() -> None:
    # the run starts 09:00, the clock is at 08:40: still waiting then, and late
    a = late_start_alert(late(RunStatus.IN_PROGRESS, at(60)), at(40), RULES)
    assert a is not None and a.active and a.detail.minutes_late == 40  # type: ignore[union-attr]


def test_a_cancelled_run_is_never_late() -> None:
    assert late_start_alert(late(RunStatus.CANCELLED), at(120), RULES) is None


# ---- behind schedule -----------------------------------------------------------------------


def behind(**kw: Any) -> BehindFact:
    fields: dict[str, Any] = dict(
        work_center_id=WC,
        work_center_code="PRESS-01",
        run_id=RUN,
        production_run_number="R-2",
        status=RunStatus.IN_PROGRESS,
        scheduled_end=at(120),  # 10:00
        actual_start=T0,
        actual_end=None,
        quantity_planned=1000,
        good=300,
        productive_seconds=D(3600),
    )
    fields.update(kw)
    return BehindFact(**fields)


def test_behind_schedule_when_the_expected_finish_is_after_the_scheduled_end() -> None:
    # now 09:00: 300 good in 60 productive min = 5 a minute; 700 left / 5 = 140 min: 11:20,
    # 80 min after 10:00
    a = behind_schedule_alert(behind(), at(60), RULES)
    assert a is not None
    assert a.key == f"BEHIND_SCHEDULE:{RUN}"
    assert a.severity == Severity.WARNING
    assert (a.started_at, a.resolved_at) == (T0, None)  # from the run's start, as high scrap
    assert a.detail == BehindScheduleDetail(
        production_run_number="R-2", finish_state=FinishState.EXPECTED, minutes_late=80
    )


def test_behind_schedule_edge_is_the_grids_late() -> None:
    # 700 left at 5 a minute = 140 min from 09:00: 11:20. Scheduled end at 11:20 exactly: on
    # time (late only when after); a microsecond earlier: behind
    assert behind_schedule_alert(behind(scheduled_end=at(200)), at(60), RULES) is None
    end = at(200) - timedelta(microseconds=1)
    a = behind_schedule_alert(behind(scheduled_end=end), at(60), RULES)
    assert a is not None and a.detail.minutes_late == 0  # type: ignore[union-attr]


def test_behind_schedule_without_a_rate_once_past_the_scheduled_end() -> None:
    # nothing good yet: no rate; late only when still open after 10:00 (now 10:25: 25 min)
    assert behind_schedule_alert(behind(good=0), at(110), RULES) is None
    a = behind_schedule_alert(behind(good=0), at(145), RULES)
    assert a is not None
    assert a.detail == BehindScheduleDetail(
        production_run_number="R-2", finish_state=FinishState.NO_RATE, minutes_late=25
    )


def test_behind_schedule_never_for_unknown_or_done_or_paused() -> None:
    assert behind_schedule_alert(behind(good=None), at(600), RULES) is None  # unknown
    assert behind_schedule_alert(behind(quantity_planned=0), at(600), RULES) is None
    assert behind_schedule_alert(behind(good=1000), at(600), RULES) is None  # done
    assert behind_schedule_alert(behind(status=RunStatus.PAUSED), at(600), RULES) is None


def test_far_finish_is_behind_without_minutes() -> None:
    # 1 good piece in an hour with a million to go: beyond the 10-year horizon
    fact = behind(quantity_planned=1_000_000, good=1)
    a = behind_schedule_alert(fact, at(60), RULES)
    assert a is not None
    assert a.detail.finish_state == FinishState.FAR  # type: ignore[union-attr]
    assert a.detail.minutes_late is None  # type: ignore[union-attr]


def test_a_run_completed_after_its_scheduled_end_is_resolved_then() -> None:
    # ended 10:20, 20 min after its scheduled 10:00
    fact = behind(status=RunStatus.COMPLETED, actual_end=at(140), productive_seconds=None)
    a = behind_schedule_alert(fact, at(300), RULES)
    assert a is not None
    assert (a.started_at, a.resolved_at) == (T0, at(140))
    assert a.detail == BehindScheduleDetail(
        production_run_number="R-2", finish_state=None, minutes_late=20
    )
    on_time = behind(status=RunStatus.COMPLETED, actual_end=at(120), productive_seconds=None)
    assert behind_schedule_alert(on_time, at(300), RULES) is None


# ---- stalled -------------------------------------------------------------------------------


def stalled(updated: datetime, start: datetime, end: datetime | None = None) -> StalledFact:
    return StalledFact(
        work_center_id=WC,
        work_center_code="PRESS-01",
        run_id=RUN,
        production_run_number="R-3",
        actual_start=T0,
        updated_at=updated,
        log_id=LOG,
        status_start=start,
        status_end=end,
    )


def test_stalled_from_the_later_of_the_last_count_and_the_productive_start() -> None:
    # productive since 08:10, last count 08:20: 15 min without a count at 08:35
    fact = stalled(at(20), at(10))
    assert stalled_alert(fact, at(35) - timedelta(microseconds=1), RULES) is None
    a = stalled_alert(fact, at(35), RULES)
    assert a is not None
    assert a.key == f"STALLED:{RUN}:{LOG}"
    assert a.severity == Severity.WARNING
    assert (a.started_at, a.resolved_at) == (at(35), None)
    assert a.detail == StalledDetail(production_run_number="R-3", minutes=15)
    # last count 08:00, but productive only since 08:30 (a breakdown before): 08:45
    a = stalled_alert(stalled(at(0), at(30)), at(50), RULES)
    assert a is not None and a.started_at == at(45)
    assert a.detail.minutes == 20  # type: ignore[union-attr]


def test_a_stall_ends_with_its_productive_row() -> None:
    # productive 08:00-09:00, no count since 08:05: stalled 08:20 .. 09:00
    a = stalled_alert(stalled(at(5), at(0), at(60)), at(90), RULES)
    assert a is not None
    assert (a.started_at, a.resolved_at) == (at(20), at(60))
    assert a.detail.minutes == 55  # type: ignore[union-attr]
    # the row ended 08:19 (14 min after the count): never stalled
    assert stalled_alert(stalled(at(5), at(0), at(19)), at(90), RULES) is None
    # the counts moved after the row ended (the run ran elsewhere): nothing
    assert stalled_alert(stalled(at(70), at(0), at(60)), at(90), RULES) is None


def test_a_count_after_now_is_no_stall() -> None:
    assert stalled_alert(stalled(at(100), at(0)), at(60), RULES) is None


# ---- no output -----------------------------------------------------------------------------


def shift(planned: D | int, produced: int, end: datetime = T0) -> NoOutputFact:
    return NoOutputFact(
        work_center_id=WC,
        work_center_code="PRESS-01",
        shift_date=date(2025, 3, 9),
        shift_number=3,
        shift_end=end,
        next_shift_end=end + timedelta(hours=8),
        planned_minutes=D(planned),
        produced=produced,
    )


def test_no_output_for_a_closed_shift_with_planned_time() -> None:
    # shift 3 of 03-09 ended 08:00 with 480 planned minutes and nothing made
    a = no_output_alert(shift(480, 0), at(5), RULES)
    assert a is not None
    assert a.key == f"NO_OUTPUT:{WC}:2025-03-09/3"
    assert a.severity == Severity.WARNING
    assert (a.started_at, a.resolved_at) == (T0, None)
    assert a.detail == NoOutputDetail(
        shift_date=date(2025, 3, 9), shift_number=3, planned_minutes=D(480)
    )


def test_no_output_resolves_when_the_next_shift_ends() -> None:
    a = no_output_alert(shift(480, 0), at(8 * 60), RULES)
    assert a is not None and a.resolved_at == at(8 * 60)
    assert no_output_alert(shift(480, 0), at(8 * 60 - 1), RULES).active  # type: ignore[union-attr]


def test_no_output_edges() -> None:
    assert no_output_alert(shift(480, 1), at(5), RULES) is None  # one piece made
    assert no_output_alert(shift(60, 0), at(5), RULES) is not None  # exactly the minimum
    assert no_output_alert(shift(D("59.99"), 0), at(5), RULES) is None
    any_planned = AlertRules(no_output_min_planned_minutes=0)
    assert no_output_alert(shift(0, 0), at(5), any_planned) is None  # nothing planned
    assert no_output_alert(shift(D("0.01"), 0), at(5), any_planned) is not None
    assert no_output_alert(shift(480, 0, end=at(10)), at(5), RULES) is None  # not closed yet


# ---- long make-ready -----------------------------------------------------------------------


def setup(
    end: datetime | None = None, usual: D | None = D(1200), past: int = 5, **kw: Any
) -> LongSetupFact:
    return LongSetupFact(
        work_center_id=WC,
        work_center_code="PRESS-01",
        log_id=LOG,
        work_center_type="offset press",
        status_start=T0,
        status_end=end,
        usual_seconds=usual,
        past_setups=past,
        **kw,
    )


def test_long_setup_longer_than_factor_times_the_usual() -> None:
    # usual 20 min (1200 s), factor 2: longer than 40 min, from 08:40
    assert long_setup_alert(setup(), at(40), RULES) is None  # exactly 2 x: not longer
    a = long_setup_alert(setup(reason_description="plates"), at(52), RULES)
    assert a is not None
    assert a.key == f"LONG_SETUP:{LOG}"
    assert a.severity == Severity.WARNING
    assert (a.started_at, a.resolved_at) == (at(40), None)
    assert a.detail == LongSetupDetail(
        work_center_type="offset press", minutes=52, usual_minutes=D(20), reason="plates"
    )


def test_a_long_setup_that_ended_is_resolved_then() -> None:
    a = long_setup_alert(setup(end=at(75)), at(200), RULES)
    assert a is not None
    assert (a.started_at, a.resolved_at) == (at(40), at(75))
    assert a.detail.minutes == 75  # type: ignore[union-attr]
    assert long_setup_alert(setup(end=at(40)), at(200), RULES) is None  # ended at exactly 2 x


def test_no_long_setup_without_enough_history() -> None:
    assert long_setup_alert(setup(past=4), at(100), RULES) is None  # fewer than 5
    assert long_setup_alert(setup(usual=None, past=0), at(100), RULES) is None
    assert long_setup_alert(setup(usual=D(0)), at(100), RULES) is None  # no yardstick
    assert long_setup_alert(setup(past=4), at(100), AlertRules(setup_min_past=4)) is not None


def test_setup_factor_is_configurable() -> None:
    # factor 1.5 x 20 min = 30 min
    rules = AlertRules(setup_factor=1.5)
    assert long_setup_alert(setup(), at(30), rules) is None
    a = long_setup_alert(setup(), at(31), rules)
    assert a is not None and a.started_at == at(30)


# ---- all together --------------------------------------------------------------------------


def test_evaluate_runs_the_job_rules_and_sorts_them_with_the_others() -> None:
    jobs = JobFacts(
        late_start=[late()],
        behind=[behind()],
        stalled=[stalled(at(5), at(0), at(60))],
        no_output=[shift(480, 0)],
        long_setup=[setup()],
    )
    alerts = evaluate(down=[], oee=[], scrap=[], now=at(90), rules=RULES, jobs=jobs)
    assert [(a.kind, a.active) for a in alerts] == [
        (AlertKind.LONG_SETUP, True),  # 08:40
        (AlertKind.LATE_START, True),  # 08:30
        (AlertKind.BEHIND_SCHEDULE, True),  # 08:00 (the run's start)
        (AlertKind.NO_OUTPUT, True),  # 08:00 (the shift's end); key after BEHIND_...
        (AlertKind.STALLED, False),  # resolved 09:00
    ]
    assert evaluate(down=[], oee=[], scrap=[], now=at(90), rules=RULES) == []


@pytest.mark.parametrize(
    "field",
    [
        "late_start_minutes",
        "stall_minutes",
        "no_output_min_planned_minutes",
        "setup_factor",
        "setup_history_days",
        "setup_min_past",
    ],
)
def test_thresholds_are_strict(field: str) -> None:
    with pytest.raises(ValueError):
        AlertRules(**{field: "5"})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        AlertRules(**{field: -1})  # type: ignore[arg-type]


def test_a_queue_behind_a_late_job_is_one_late_start_per_work_center() -> None:
    def run(n: int, wc: uuid.UUID, scheduled: float, actual: datetime | None = None) -> Any:
        return LateStartFact(
            work_center_id=wc,
            work_center_code=str(wc)[-2:],
            run_id=uuid.UUID(int=n),
            production_run_number=f"R-{n}",
            status=RunStatus.SCHEDULED if actual is None else RunStatus.IN_PROGRESS,
            scheduled_start=T0 + timedelta(minutes=scheduled),
            actual_start=actual,
        )

    other = uuid.UUID(int=0xC2)
    facts = [
        run(1, WC, 20),  # waiting, the second in WC's queue
        run(2, WC, 0),  # waiting, the next: the one late start of WC
        run(3, WC, -60, actual=T0 - timedelta(minutes=10)),  # started 50 min late: stays
        run(4, other, 40),  # another work center's next
    ]
    now = T0 + timedelta(minutes=120)
    assert sorted(f.production_run_number for f in next_waiting(facts, now)) == [
        "R-2",
        "R-3",
        "R-4",
    ]
    alerts = evaluate(
        down=[], oee=[], scrap=[], now=now, rules=RULES, jobs=JobFacts(late_start=facts)
    )
    assert sorted(a.key for a in alerts) == sorted(
        f"LATE_START:{uuid.UUID(int=n)}" for n in (2, 3, 4)
    )
    late_two = next(a for a in alerts if a.key.endswith(str(uuid.UUID(int=2))))
    assert (late_two.value, late_two.threshold) == (D(120), D(30))
