"""Alerts in words. The rules (domain/alerts.py) report what happened as facts; this is the one
place that says it in English, so a second language replaces this module's strings only."""

from __future__ import annotations

from typing import assert_never

from floorwatch.domain.models import (
    Alert,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    LowOeeDetail,
)

# what the down alert calls each state it reports
DOWN_WORDS = {
    EquipmentState.BREAKDOWN: "breakdown",
    EquipmentState.NO_OPERATOR: "no operator",
    EquipmentState.NO_MATERIAL: "waiting for material",
}


def alert_text(alert: Alert) -> str:
    """What happened, without the work center (the alert log shows it in a column of its own):
    'down, breakdown: web break', 'OEE 72.4% below target 85% (shift A)',
    'scrap 6.1% on run RUN-0001 (61 of 1000)'."""
    match alert.detail:
        case DownDetail(state=state, reason=reason):
            what = f"down, {DOWN_WORDS.get(state, state.value)}"
            return f"{what}: {reason}" if reason else what
        case LowOeeDetail(shift=shift, oee_pct=oee, target_pct=target):
            return f"OEE {oee:.1f}% below target {target:.0f}% (shift {shift})"
        case HighScrapDetail() as d:
            return (
                f"scrap {d.scrap_pct:.1f}% on run {d.production_run_number} "
                f"({d.scrap} of {d.produced})"
            )
        case unknown:
            assert_never(unknown)
