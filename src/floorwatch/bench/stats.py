"""Percentiles of latency samples (milliseconds)."""

from __future__ import annotations

import math

from pydantic import BaseModel


class Percentiles(BaseModel):
    p50: float
    p95: float
    p99: float | None = None
    n: int


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summarize(samples: list[float], *, with_p99: bool = True) -> Percentiles:
    return Percentiles(
        p50=round(percentile(samples, 50), 3),
        p95=round(percentile(samples, 95), 3),
        p99=round(percentile(samples, 99), 3) if with_p99 else None,
        n=len(samples),
    )
