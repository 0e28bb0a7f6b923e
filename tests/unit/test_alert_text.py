"""Alerts in words (ui/alert_text.py): the text the alert log shows for each kind of alert,
worded from the facts the rules report."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from floorwatch.domain.alerts import AlertRules, DownFact, down_alert
from floorwatch.domain.finish import FinishState
from floorwatch.domain.models import (
    Alert,
    AlertDetail,
    AlertKind,
    BehindScheduleDetail,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    LateStartDetail,
    LongSetupDetail,
    LowOeeDetail,
    NoOutputDetail,
    Severity,
    StalledDetail,
    TrendDetail,
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


CASES: list[tuple[AlertDetail, str]] = [
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
        HighScrapDetail(production_run_number="RUN-0001", scrap_pct=D(5), scrap=5, produced=100),
        "scrap 5.0% on run RUN-0001 (5 of 100)",
    ),
    (
        LateStartDetail(production_run_number="RUN-0002", minutes_late=42),
        "run RUN-0002 not started, 42 min after its scheduled start",
    ),
    (
        LateStartDetail(production_run_number="RUN-0002", minutes_late=95, started=True),
        "run RUN-0002 started 1h 35 late",
    ),
    (
        BehindScheduleDetail(
            production_run_number="RUN-0003",
            finish_state=FinishState.EXPECTED,
            minutes_late=80,
        ),
        "run RUN-0003 behind schedule, expected 1h 20 late",
    ),
    (
        BehindScheduleDetail(
            production_run_number="RUN-0003", finish_state=FinishState.NO_RATE, minutes_late=25
        ),
        "run RUN-0003 past its scheduled end by 25 min, no rate yet",
    ),
    (
        BehindScheduleDetail(
            production_run_number="RUN-0003", finish_state=FinishState.FAR, minutes_late=None
        ),
        "run RUN-0003 behind schedule, too slow to finish within 10 years",
    ),
    (
        BehindScheduleDetail(production_run_number="RUN-0003", finish_state=None, minutes_late=20),
        "run RUN-0003 finished 20 min after its scheduled end",
    ),
    (
        StalledDetail(production_run_number="RUN-0004", minutes=15),
        "run RUN-0004 stalled: no count for 15 min while running",
    ),
    (
        NoOutputDetail(shift_date=date(2025, 3, 9), shift_number=3, planned_minutes=D("479.5")),
        "no output in shift 3 of Mar 09 (7h 59 planned)",
    ),
    (
        LongSetupDetail(work_center_type="offset press", minutes=52, usual_minutes=D("20.75")),
        "setup 52 min, usual 20 min for offset press",
    ),
    (
        LongSetupDetail(
            work_center_type="die cutter",
            minutes=1560,
            usual_minutes=D(60),
            reason="new die",
        ),
        "setup 26h 00, usual 1h 00 for die cutter: new die",
    ),
    (
        TrendDetail(
            metric="scrap",
            rules=(2, 3),
            value_pct=D("7.25"),
            mean_pct=D("3.1"),
            sigma_pct=D("1.52"),
            shifts=30,
        ),
        "scrap rate out of control, rules 2+3 (2 of 3 shifts beyond 2 sigma above the mean): "
        "7.2%, mean 3.1%, sigma 1.5 over 30 shifts",
    ),
]


@pytest.mark.parametrize(("detail", "text"), CASES)
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


def test_every_kind_has_words() -> None:
    assert {detail.kind for detail, _ in CASES} == set(AlertKind)


def test_typed_text_in_a_job_detail_is_cleaned_as_it_enters() -> None:
    late = LateStartDetail(production_run_number="R\x1b[2J1", minutes_late=40)
    setup = LongSetupDetail(
        work_center_type="press\u202e", minutes=90, usual_minutes=D(30), reason="[/]\x07"
    )
    for detail in (late, setup):
        text = alert_text(alert(detail))
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
