"""Every alert kind's value and threshold have a unit in `floorwatch alerts` (alert_report)."""

from __future__ import annotations

from floorwatch.alert_report import UNITS
from floorwatch.domain.models import AlertKind


def test_every_kind_has_a_unit() -> None:
    assert set(UNITS) == set(AlertKind)
    assert UNITS[AlertKind.TREND] == "%"  # the latest shift's OEE or scrap rate, in percent
