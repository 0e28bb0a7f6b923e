"""Pace of a shift (README: Numbers): target = the pieces the rated speed makes in the planned
time so far, actual = the pieces produced, efficiency = actual / target. A work center is on
track while its efficiency is at or above its OEE target, behind below it (critically behind
the critical gap or more below): the OEE band's one definition (domain/oee.py), applied to the
efficiency."""

from __future__ import annotations

from decimal import Decimal

from floorwatch.domain.oee import OeeBand, oee_band

SIXTY = Decimal(60)


def target_pieces(rate_per_hour: Decimal | None, planned_minutes: Decimal) -> Decimal | None:
    """Pieces at the rated speed in `planned_minutes`; None without a rate."""
    if rate_per_hour is None or rate_per_hour <= 0:
        return None
    return rate_per_hour * planned_minutes / SIXTY


def goal_pieces(
    rate_per_hour: Decimal | None, window_minutes: Decimal, target_oee_pct: Decimal | None
) -> Decimal | None:
    """The shift's goal: the good pieces the rated speed makes in the whole window at the OEE
    target (rate x window length x target); None without a rate or a target."""
    whole = target_pieces(rate_per_hour, window_minutes)
    if whole is None or target_oee_pct is None:
        return None
    return whole * target_oee_pct / 100


def efficiency(actual: int, target: Decimal | None) -> Decimal | None:
    if not target:
        return None
    return Decimal(actual) / target


def pace_band(
    efficiency_ratio: Decimal | None, target_oee_pct: Decimal | None, critical_gap_pct: float
) -> OeeBand | None:
    """ON_TARGET: on track; BELOW / CRITICAL: behind."""
    return oee_band(efficiency_ratio, target_oee_pct, critical_gap_pct)
