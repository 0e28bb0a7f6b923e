"""Time to finish (domain/finish.py): figures worked by hand, and its properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from floorwatch.domain.finish import HORIZON, FinishState, time_to_finish

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_the_rate_so_far_gives_the_finish() -> None:
    # 200 good in 40 productive minutes (2,400 s): 5 a minute; 600 - 200 = 400 left,
    # 400 / 5 = 80 minutes: 13:20; scheduled to end at 14:00, so on time
    f = time_to_finish(
        good=200,
        planned=600,
        productive_seconds=D(2400),
        now=NOW,
        scheduled_end=NOW + timedelta(hours=2),
    )
    assert f.state is FinishState.EXPECTED
    assert f.expected_at == NOW + timedelta(minutes=80)
    assert f.remaining == 400
    assert f.rate_per_minute == 5
    assert not f.late


def test_a_finish_after_the_scheduled_end_is_late() -> None:
    # the same run scheduled to end at 13:00: 13:20 is after it
    f = time_to_finish(
        good=200,
        planned=600,
        productive_seconds=D(2400),
        now=NOW,
        scheduled_end=NOW + timedelta(hours=1),
    )
    assert f.expected_at == NOW + timedelta(minutes=80)
    assert f.late


def test_no_rate_before_the_first_good_piece_or_productive_minute() -> None:
    for good, seconds in ((0, D(600)), (10, D(0)), (10, None)):
        f = time_to_finish(
            good=good, planned=100, productive_seconds=seconds, now=NOW, scheduled_end=None
        )
        assert (f.state, f.expected_at, f.late) == (FinishState.NO_RATE, None, False)
    # still open an hour after its scheduled end: late, whatever its rate
    f = time_to_finish(
        good=0,
        planned=100,
        productive_seconds=D(0),
        now=NOW,
        scheduled_end=NOW - timedelta(hours=1),
    )
    assert (f.state, f.late) == (FinishState.NO_RATE, True)


def test_null_counts_or_no_plan_are_unknown() -> None:
    for good, planned in ((None, 100), (10, None), (10, 0)):
        f = time_to_finish(
            good=good,
            planned=planned,
            productive_seconds=D(600),
            now=NOW,
            scheduled_end=NOW - timedelta(hours=1),
        )
        assert (f.state, f.expected_at, f.late, f.remaining) == (
            FinishState.UNKNOWN, None, False, None,
        )  # fmt: skip


def test_done_when_nothing_is_left() -> None:
    for good in (100, 103):
        f = time_to_finish(
            good=good,
            planned=100,
            productive_seconds=D(600),
            now=NOW,
            scheduled_end=NOW - timedelta(hours=1),
        )
        assert (f.state, f.remaining, f.late) == (FinishState.DONE, 0, False)


def test_a_finish_beyond_the_horizon_is_far() -> None:
    # 1 good piece in an hour, 10,000,000 to go: 1,141 years
    f = time_to_finish(
        good=1, planned=10_000_001, productive_seconds=D(3600), now=NOW, scheduled_end=NOW
    )
    assert (f.state, f.expected_at, f.late) == (FinishState.FAR, None, True)


counts = st.integers(1, 1_000_000)
busy = st.decimals(min_value=1, max_value=10**7, places=3)


@given(good=counts, extra=st.integers(1, 1_000_000), seconds=busy)
def test_the_rest_at_the_rate_so_far_takes_the_time_to_finish(
    good: int, extra: int, seconds: D
) -> None:
    f = time_to_finish(
        good=good, planned=good + extra, productive_seconds=seconds, now=NOW, scheduled_end=None
    )
    if f.state is FinishState.FAR:
        assert extra * seconds / good > D(HORIZON.total_seconds())
        return
    assert f.state is FinishState.EXPECTED and f.expected_at is not None
    assert f.expected_at > NOW
    assert f.rate_per_minute is not None
    left_minutes = D((f.expected_at - NOW).total_seconds()) / 60
    # remaining = rate × minutes left (to the microsecond the datetime keeps)
    assert abs(f.rate_per_minute * left_minutes - extra) <= f.rate_per_minute * D("0.000002")


@given(good=counts, extra=st.integers(1, 10_000), seconds=busy, end_in=st.integers(-(10**6), 10**8))
def test_late_exactly_when_the_finish_is_after_the_scheduled_end(
    good: int, extra: int, seconds: D, end_in: int
) -> None:
    end = NOW + timedelta(seconds=end_in)
    f = time_to_finish(
        good=good, planned=good + extra, productive_seconds=seconds, now=NOW, scheduled_end=end
    )
    if f.state is FinishState.EXPECTED:
        assert f.expected_at is not None
        assert f.late == (f.expected_at > end)


@given(good=st.integers(0, 10_000), planned=st.integers(1, 10_000), seconds=busy)
def test_more_made_finishes_no_later(good: int, planned: int, seconds: D) -> None:
    """One more good piece in the same productive time: a higher rate and less to make."""
    a = time_to_finish(
        good=good, planned=planned, productive_seconds=seconds, now=NOW, scheduled_end=None
    )
    b = time_to_finish(
        good=good + 1, planned=planned, productive_seconds=seconds, now=NOW, scheduled_end=None
    )
    assert (a.state is FinishState.DONE) <= (b.state is FinishState.DONE)
    if a.expected_at and b.expected_at:
        assert b.expected_at <= a.expected_at
