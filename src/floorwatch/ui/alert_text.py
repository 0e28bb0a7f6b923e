"""Alerts in words. The rules (domain/alerts.py) report what happened as facts; this is the one
place that says it in English, so a second language replaces this module's strings only."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import assert_never

from floorwatch.domain.finish import FinishState
from floorwatch.domain.models import (
    Alert,
    BehindScheduleDetail,
    DownDetail,
    EquipmentState,
    HighScrapDetail,
    LateStartDetail,
    LongSetupDetail,
    LowOeeDetail,
    NoOutputDetail,
    StalledDetail,
    TrendDetail,
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
    'scrap 6.1% on run RUN-0001 (61 of 1000)', 'run RUN-0002 not started, 42 min after its
    scheduled start', 'setup 1h 35, usual 40 min for offset press'."""
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
        case LateStartDetail(production_run_number=run, minutes_late=late, started=started):
            if started:
                return f"run {run} started {_minutes(late)} late"
            return f"run {run} not started, {_minutes(late)} after its scheduled start"
        case BehindScheduleDetail(production_run_number=run, finish_state=state, minutes_late=late):
            if state is None:
                return f"run {run} finished {_minutes(late or 0)} after its scheduled end"
            if state == FinishState.EXPECTED:
                return f"run {run} behind schedule, expected {_minutes(late or 0)} late"
            if state == FinishState.NO_RATE:
                return f"run {run} past its scheduled end by {_minutes(late or 0)}, no rate yet"
            return f"run {run} behind schedule, too slow to finish within 10 years"
        case StalledDetail(production_run_number=run, minutes=minutes):
            return f"run {run} stalled: no count for {_minutes(minutes)} while running"
        case NoOutputDetail() as d:
            return (
                f"no output in shift {d.shift_number} of {d.shift_date:%b %d} "
                f"({_minutes(int(d.planned_minutes))} planned)"
            )
        case LongSetupDetail() as d:
            what = (
                f"setup {_minutes(d.minutes)}, usual {_minutes(int(d.usual_minutes))} "
                f"for {d.work_center_type}"
            )
            return f"{what}: {d.reason}" if d.reason else what
        case TrendDetail() as d:
            return _trend(d)
        case unknown:
            assert_never(unknown)


TENTH = Decimal("0.1")


# Western Electric rules (domain/spc.py), in words; {side}: below (OEE) / above (scrap)
SPC_RULE_WORDS = {
    1: "a shift beyond 3 sigma {side} the mean",
    2: "2 of 3 shifts beyond 2 sigma {side} the mean",
    3: "4 of 5 shifts beyond 1 sigma {side} the mean",
    4: "8 shifts in a row {side} the mean",
}
SPC_METRIC_WORDS = {"oee": ("OEE", "below"), "scrap": ("scrap rate", "above")}


def _trend(d: TrendDetail) -> str:
    """'OEE out of control, rule 4 (8 shifts in a row below the mean): 55.1%, mean 62.0%,
    sigma 3.1 over 30 shifts' — the rule named is the first that held."""
    what, side = SPC_METRIC_WORDS[d.metric]
    numbers = "rules " + "+".join(map(str, d.rules)) if len(d.rules) > 1 else f"rule {d.rules[0]}"
    words = SPC_RULE_WORDS[d.rules[0]].format(side=side)
    return (
        f"{what} out of control, {numbers} ({words}): {d.value_pct:.1f}%, "
        f"mean {d.mean_pct:.1f}%, sigma {d.sigma_pct:.1f} over {d.shifts} shifts"
    )


def _minutes(minutes: int) -> str:
    """Whole minutes as the alert log's durations read: 45 min, 1h 05, 26h 00."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h {rest:02d}"


def _below(value: Decimal, target: Decimal) -> str:
    """Rounded to a tenth like every OEE on screen, except a value the rounding would lift to
    the target: 84.98% below 85% is cut to 84.9%, never shown as 85.0%."""
    shown = value.quantize(TENTH)
    return f"{value.quantize(TENTH, rounding=ROUND_FLOOR) if shown >= target else shown}"


def _as_set(target: Decimal) -> str:
    """The target as the ERP holds it, without trailing zeros: 85, 83.5 (not 84)."""
    text = f"{target:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
