"""SPC (domain/spc.py): Western Electric rules 1-4 against a work center's own last shifts.
Every mean and sigma below is worked out by hand in the comments (sample sigma: n - 1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from floorwatch.domain.models import AlertKind, Severity, TrendDetail
from floorwatch.domain.spc import (
    SpcMetric,
    SpcPoint,
    SpcSeries,
    baseline,
    rules_at,
    signal,
    signals,
    trend_alert,
)
from floorwatch.ui.alert_text import alert_text

WC = uuid.UUID(int=0xC1)
T0 = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)  # the end of the first shift
SHIFT = timedelta(hours=8)


def end(i: int) -> datetime:
    return T0 + i * SHIFT


def series(values: list[float], metric: SpcMetric = SpcMetric.OEE) -> SpcSeries:
    points = tuple(SpcPoint(end(i), v) for i, v in enumerate(values))
    return SpcSeries(WC, "OFF-01", metric, points)


def alternating(n: int, high: float, low: float) -> list[float]:
    return [high if i % 2 == 0 else low for i in range(n)]


def test_baseline_is_the_mean_and_the_sample_sigma() -> None:
    # 0.5, 0.6, 0.7: mean 0.6, squares 0.01 + 0 + 0.01 over n - 1 = 2: sigma 0.1
    base = baseline([0.5, 0.6, 0.7])
    assert base is not None and base.shifts == 3
    assert base.mean == pytest.approx(0.6) and base.sigma == pytest.approx(0.1)
    assert baseline([0.6, 0.6, 0.6]) is None  # no spread: nothing to judge against
    assert baseline([0.6]) is None


# --- each rule on distances from the mean (in sigmas, positive = the bad side) ------------------


def test_rule_1_one_point_beyond_3_sigma() -> None:
    assert rules_at([0, 0, 3.01], 2) == (1,)
    assert rules_at([0, 0, 3.0], 2) == ()  # beyond, not at
    assert rules_at([0, 0, -5], 2) == ()  # the good side never alerts


def test_rule_2_two_of_three_beyond_2_sigma() -> None:
    assert rules_at([2.5, 0, 2.1], 2) == (2,)
    assert rules_at([2.5, 2.1, 0], 2) == (2,)  # any two of the last three
    assert rules_at([2.5, 0, 0, 2.1], 3) == ()  # four points apart
    assert rules_at([2.5, -2.5, 2.1][:2], 1) == ()  # fewer than three points: not judged


def test_rule_3_four_of_five_beyond_1_sigma() -> None:
    z = [0, 0, 1.5, 1.5, 0.5, 1.5, 1.5]
    assert rules_at(z, 6) == (3,)  # not 2 (none beyond 2 sigma), not 4 (only 7 points)
    assert rules_at([0, 0, 1.5, 0.5, 0.5, 1.5, 1.5], 6) == ()  # three of five


def test_rule_4_eight_on_the_bad_side() -> None:
    z = [-1.0] + [0.2] * 8
    assert rules_at(z, 8) == (4,)
    assert rules_at(z, 7) == ()  # the window reaches the point on the good side
    assert rules_at([0.2] * 7 + [0.0], 7) == ()  # on the mean is not beyond it


def test_several_rules_at_once() -> None:
    assert rules_at([1.5] * 6 + [2.5, 3.5], 7) == (1, 2, 3, 4)


# --- series -------------------------------------------------------------------------------------


def test_rule_1_on_an_oee_series() -> None:
    # 20 shifts alternating 70 % / 60 %, then 30 %: mean 13.3 / 21 = 0.633333; deviations
    # +0.066667 (x10), -0.033333 (x10), -0.333333: squares 0.044444 + 0.011111 + 0.111111 =
    # 0.166667 over 20: sigma 0.091287; the last is 0.333333 / 0.091287 = 3.65 sigma below
    found = signal(series([*alternating(20, 0.70, 0.60), 0.30]), min_shifts=20)
    assert found is not None
    assert found.rules == (1,) and found.resolved_at is None
    assert found.started_at == end(20)
    assert found.baseline.mean == pytest.approx(0.633333, abs=1e-6)
    assert found.baseline.sigma == pytest.approx(0.091287, abs=1e-6)
    alert = trend_alert(found)
    assert alert.key == f"TREND:{WC}:oee" and alert.kind is AlertKind.TREND
    assert alert.severity is Severity.WARNING and alert.active
    assert alert.value == Decimal("30.0")
    assert alert.threshold == Decimal("35.95")  # 0.633333 - 3 x 0.091287 = 0.359472
    assert alert.detail == TrendDetail(
        metric="oee",
        rules=(1,),
        value_pct=Decimal("30.0"),
        mean_pct=Decimal("63.33"),
        sigma_pct=Decimal("9.13"),
        shifts=21,
    )
    assert alert_text(alert) == (
        "OEE out of control, rule 1 (a shift beyond 3 sigma below the mean): 30.0%, "
        "mean 63.3%, sigma 9.1 over 21 shifts"
    )


def test_rule_4_starts_where_its_run_starts() -> None:
    # 12 alternating 70 / 60 %, then 8 at 62 %: mean 12.76 / 20 = 0.638; squares 6 x 0.062^2
    # + 6 x 0.038^2 + 8 x 0.018^2 = 0.03432 over 19: sigma 0.042501. 62 % is 0.42 sigma below
    # the mean (rule 4 only); the 8-point window first holds at the 19th point (index 18): it
    # spans the last 60 % (index 11, below the mean) and seven 62 %
    values = [*alternating(12, 0.70, 0.60), *[0.62] * 8]
    found = signal(series(values), min_shifts=20)
    assert found is not None and found.rules == (4,)
    assert found.baseline.sigma == pytest.approx(0.042501, abs=1e-6)
    assert found.started_at == end(18)
    assert "rule 4 (8 shifts in a row below the mean): 62.0%" in alert_text(trend_alert(found))


def test_rule_2_on_a_scrap_series() -> None:
    # scrap 18 alternating 2 % / 4 %, then 10 %, 10 %: mean 0.74 / 20 = 0.037; squares
    # 9 x 0.017^2 + 9 x 0.003^2 + 2 x 0.063^2 = 0.01062 over 19: sigma 0.023642; 10 % is 2.66
    # sigma above (rule 2 with two of them, not rule 1)
    values = [*alternating(18, 0.02, 0.04), 0.10, 0.10]
    found = signal(series(values, SpcMetric.SCRAP), min_shifts=20)
    assert found is not None and found.rules == (2,)
    assert found.started_at == end(19)
    alert = trend_alert(found)
    assert alert.key == f"TREND:{WC}:scrap"
    assert "scrap rate out of control, rule 2 (2 of 3 shifts beyond 2 sigma" in alert_text(alert)
    # the same shape in OEE is on the good side: nothing
    assert signal(series(values, SpcMetric.OEE), min_shifts=20) is None


def test_a_signal_resolves_at_the_first_shift_back_in_control() -> None:
    # as the rule-1 series with one more 70 % shift: mean 14 / 22 = 0.636364, sigma 0.090214;
    # 30 % is 3.73 sigma below; the 70 % after it holds no rule
    values = [*alternating(20, 0.70, 0.60), 0.30, 0.70]
    found = signal(series(values), min_shifts=20)
    assert found is not None
    assert (found.rules, found.started_at, found.resolved_at) == ((1,), end(20), end(21))
    assert not trend_alert(found).active
    # reported only when it resolved since the given moment (today)
    assert signals([series(values)], min_shifts=20, resolved_since=end(21)) != []
    assert signals([series(values)], min_shifts=20, resolved_since=end(21) + SHIFT) == []


def test_too_few_shifts_or_no_spread_is_no_signal() -> None:
    assert signal(series([*alternating(18, 0.70, 0.60), 0.30]), min_shifts=20) is None
    assert signal(series([0.6] * 30), min_shifts=20) is None
    assert signal(series(alternating(30, 0.70, 0.60)), min_shifts=20) is None  # in control


def test_rule_3_on_an_oee_series() -> None:
    # 16 alternating 70 / 60 %, then 58, 58, 66, 58, 58 %: sum 5.6 + 4.8 + 2.32 + 0.66 = 13.38,
    # mean 13.38 / 21 = 0.637143; squares 8 x 0.062857^2 + 8 x 0.037143^2 + 4 x 0.057143^2 +
    # 0.022857^2 = 0.056229 over 20: sigma 0.053023. 58 % is 1.08 sigma below the mean: 4 of
    # the last 5 beyond 1 sigma (rule 3; none beyond 2, no 8 in a row). One point earlier the
    # window holds only 3 of them: the run starts at the last shift
    values = [*alternating(16, 0.70, 0.60), 0.58, 0.58, 0.66, 0.58, 0.58]
    found = signal(series(values), min_shifts=20)
    assert found is not None and found.rules == (3,)
    assert found.baseline.mean == pytest.approx(0.637143, abs=1e-6)
    assert found.baseline.sigma == pytest.approx(0.053023, abs=1e-6)
    assert found.started_at == end(20)
    alert = trend_alert(found)
    assert alert.threshold == Decimal("58.41")  # 0.637143 - 0.053023 = 0.584120
    assert "rule 3 (4 of 5 shifts beyond 1 sigma below the mean): 58.0%" in alert_text(alert)
