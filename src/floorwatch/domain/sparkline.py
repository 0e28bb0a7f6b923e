"""Sparklines as text: one character per value, scaled to a fixed 0..1 range (OEE ratios), so
the same height means the same OEE on every row."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

UNICODE_LEVELS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-=+*#@"


def sparkline(values: Sequence[Decimal | None], *, ascii_only: bool = False) -> str:
    """Values are ratios (1 = 100 %); above 1 shows as full, None (nothing planned) as a space."""
    levels = ASCII_LEVELS if ascii_only else UNICODE_LEVELS
    top = len(levels) - 1
    chars = []
    for value in values:
        if value is None:
            chars.append(" ")
            continue
        clipped = min(max(value, Decimal(0)), Decimal(1))
        chars.append(levels[int((clipped * top).to_integral_value())])
    return "".join(chars)
