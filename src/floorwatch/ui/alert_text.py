"""Alerts in words. The rules (domain/alerts.py) report what happened as facts; this is the one
place that says it in English, so a second language replaces this module's strings only."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
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
        case LowOeeDetail(shift=shift, oee_pct=oee, target_pct=target) as d:
            if alert.holds_only and d.resolve_above_pct is not None:
                # inside the hysteresis band: above the firing threshold, not yet resolved
                return (
                    f"OEE {oee.quantize(TENTH)}% not yet above {_as_set(d.resolve_above_pct)}%"
                    f" (target {_as_set(target)}%, shift {shift})"
                )
            return f"OEE {_below(oee, target)}% below target {_as_set(target)}% (shift {shift})"
        case HighScrapDetail() as d:
            text = (
                f"scrap {d.scrap_pct:.1f}% on run {d.production_run_number} "
                f"({d.scrap} of {d.produced})"
            )
            if alert.holds_only and d.resolve_below_pct is not None:
                text += f", not yet under {_as_set(d.resolve_below_pct)}%"
            return text
        case unknown:
            assert_never(unknown)


TENTH = Decimal("0.1")


def _below(value: Decimal, target: Decimal) -> str:
    """Rounded to a tenth like every OEE on screen, except a value the rounding would lift to
    the target: 84.98% below 85% is cut to 84.9%, never shown as 85.0%."""
    shown = value.quantize(TENTH)
    return f"{value.quantize(TENTH, rounding=ROUND_FLOOR) if shown >= target else shown}"


def _as_set(target: Decimal) -> str:
    """The target as the ERP holds it, without trailing zeros: 85, 83.5 (not 84)."""
    text = f"{target:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
