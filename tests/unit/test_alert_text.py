"""Alerts in words (ui/alert_text.py): the text the alert log shows for each kind of alert,
worded from the facts the rules report."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from floorwatch.domain.alerts import AlertRules, DownFact, down_alert
from floorwatch.domain.models import (
    Alert,
    AlertDetail,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    LowOeeDetail,
    Severity,
)
from floorwatch.ui.alert_text import DOWN_WORDS, alert_text

D = Decimal
T0 = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)
WC = uuid.UUID(int=1)


def alert(detail: AlertDetail) -> Alert:
    return Alert(
        key="k",
        severity=Severity.WARNING,
        work_center_id=WC,
        work_center_code="PRESS-01",
        detail=detail,
        started_at=T0,
    )


@pytest.mark.parametrize(
    ("detail", "text"),
    [
        (
            DownDetail(state=EquipmentState.BREAKDOWN, reason="web break"),
            "down, breakdown: web break",
        ),
        (DownDetail(state=EquipmentState.BREAKDOWN), "down, breakdown"),
        (DownDetail(state=EquipmentState.BREAKDOWN, reason=""), "down, breakdown"),
        (DownDetail(state=EquipmentState.NO_OPERATOR), "down, no operator"),
        (
            DownDetail(state=EquipmentState.NO_MATERIAL, reason="paper"),
            "down, waiting for material: paper",
        ),
        (
            LowOeeDetail(shift="A", oee_pct=D(5099) / 60, target_pct=D(85)),
            "OEE 84.9% below target 85% (shift A)",  # 84.983…: cut, a rounded 85.0 reads on target
        ),
        (
            LowOeeDetail(shift="A", oee_pct=D("72.46"), target_pct=D(85)),
            "OEE 72.5% below target 85% (shift A)",  # rounded, as everywhere on screen
        ),
        (
            LowOeeDetail(shift="B", oee_pct=D("72.449"), target_pct=D("83.5")),
            "OEE 72.4% below target 83.5% (shift B)",
        ),
        (
            HighScrapDetail(
                production_run_number="RUN-0001", scrap_pct=D(5), scrap=5, produced=100
            ),
            "scrap 5.0% on run RUN-0001 (5 of 100)",
        ),
    ],
)
def test_each_kind_in_words(detail: AlertDetail, text: str) -> None:
    assert alert_text(alert(detail)) == text


def test_every_state_the_down_rule_reports_has_words() -> None:
    rules = AlertRules(wait_warning_minutes=0)
    reported = set()
    for state in EquipmentState:
        fact = DownFact(
            log_id=uuid.UUID(int=2),
            work_center_id=WC,
            work_center_code="PRESS-01",
            status=state,
            status_start=T0,
            status_end=None,
        )
        if (a := down_alert(fact, T0 + timedelta(hours=1), rules)) is not None:
            reported.add(state)
            assert alert_text(a).startswith(f"down, {DOWN_WORDS[state]}")
    assert reported == set(DOWN_WORDS)


def test_typed_text_in_a_detail_is_cleaned_as_it_enters() -> None:
    detail = DownDetail(state=EquipmentState.BREAKDOWN, reason="jam\x1b[2J")
    assert "\x1b" not in alert_text(alert(detail))
    scrap = HighScrapDetail(production_run_number="R\u202e1", scrap_pct=D(5), scrap=5, produced=100)
    assert "\u202e" not in alert_text(alert(scrap))


def test_an_alert_held_by_hysteresis_says_what_resolves_it() -> None:
    oee = LowOeeDetail(shift="1", oee_pct=D("86.04"), target_pct=D(85), resolve_above_pct=D(87))
    held = alert(oee).model_copy(update={"holds_only": True})
    assert alert_text(held) == "OEE 86.0% not yet above 87% (target 85%, shift 1)"
    scrap = HighScrapDetail(
        production_run_number="R-1",
        scrap_pct=D("4.5"),
        scrap=45,
        produced=1000,
        resolve_below_pct=D(4),
    )
    held = alert(scrap).model_copy(update={"holds_only": True})
    assert alert_text(held) == "scrap 4.5% on run R-1 (45 of 1000), not yet under 4%"
    assert alert_text(alert(scrap)) == "scrap 4.5% on run R-1 (45 of 1000)"
