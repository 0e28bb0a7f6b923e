"""Sums over time (domain/trends.py) and the planned-time-weighted target (domain/oee.py),
checked against hand-worked figures."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from floorwatch.domain.models import OeePoint
from floorwatch.domain.oee import OeeTotals, weighted_target
from floorwatch.domain.trends import by_day, target_of, trend_lines_of

D = Decimal
DAY = date(2026, 11, 2)
T0 = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
P1, F1 = uuid.UUID(int=1), uuid.UUID(int=2)


def point(
    wc: uuid.UUID, code: str, shift: int, planned: int, target: int | None, good: int = 0
) -> OeePoint:
    start = T0 + timedelta(hours=8 * shift)
    return OeePoint(
        work_center_id=wc,
        work_center_code=code,
        calculation_date=DAY,
        shift="ABC"[shift],
        period_start=start,
        period_end=start + timedelta(hours=8),
        totals=OeeTotals.of_period(
            planned_minutes=planned,
            downtime_minutes=0,
            produced=good,
            good=good,
            ideal_cycle_time_seconds=1,
        ),
        target_oee_percentage=None if target is None else D(target),
    )


def test_the_weighted_target_is_summed_target_times_planned_over_summed_planned() -> None:
    # 480 min at 80 % and 240 min at 50 %: (38400 + 12000) / 720 = 70, not the mean 65
    assert weighted_target(D(80 * 480 + 50 * 240), D(720)) == D(70)
    assert weighted_target(D(0), D(0)) is None
    assert weighted_target(None, D(0)) is None  # SQL's sum over no rows
    assert weighted_target(None, D(60)) == D(0)


def test_a_point_without_a_target_planned_nothing_and_weighs_nothing() -> None:
    points = [point(P1, "P1", 0, 480, 80), point(P1, "P1", 1, 240, 50)]
    assert target_of(points) == D(70)
    assert target_of([*points, point(P1, "P1", 2, 0, None)]) == D(70)
    assert target_of([point(P1, "P1", 0, 0, 80)]) is None


def test_a_day_sums_its_shifts_and_weighs_their_targets() -> None:
    points = [
        point(P1, "P1", 0, 480, 80, good=14400),
        point(P1, "P1", 1, 240, 50, good=0),
        point(F1, "F1", 0, 480, 85, good=28800),
    ]
    p1_day, f1_day = by_day(points)
    assert (p1_day.work_center_code, p1_day.shift) == ("P1", None)
    assert p1_day.period_start == T0 and p1_day.period_end == T0 + timedelta(hours=16)
    assert p1_day.totals.planned_minutes == 720 and p1_day.totals.good == 14400
    assert p1_day.target_oee_percentage == D(70)
    # OEE of the day from the sums: 14400 s of ideal time over 720 x 60 s planned = 1/3
    assert p1_day.totals.oee == D(14400) / D(43200)
    assert f1_day.target_oee_percentage == D(85)


def test_the_facility_line_weighs_every_row_of_the_window() -> None:
    points = [
        point(P1, "P1", 0, 480, 80),
        point(P1, "P1", 1, 240, 50),
        point(F1, "F1", 0, 480, 85),
    ]
    facility, f1, p1 = trend_lines_of(points, shifts=21)
    # (38400 + 12000 + 40800) / 1200 = 76
    assert facility.work_center_id is None and facility.target_oee_percentage == D(76)
    # a work center's line carries its latest row's target
    assert (f1.work_center_code, f1.target_oee_percentage) == ("F1", D(85))
    assert (p1.work_center_code, p1.target_oee_percentage) == ("P1", D(50))
