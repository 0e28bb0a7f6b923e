"""Time to finish of a running job (README: Numbers): the pieces still to make (planned − good)
at the rate this run has made good pieces per productive minute so far. It is late when that
expected finish falls after the run's scheduled end."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

SIXTY = Decimal(60)
# An expected finish further out than this is not a date anyone plans by (nor one a datetime
# can always hold: one good piece in an hour with millions to go).
HORIZON = timedelta(days=3660)


class FinishState(StrEnum):
    UNKNOWN = "unknown"  # nothing planned, or no count of good pieces (NULL)
    NO_RATE = "no_rate"  # no good piece yet, or no productive time on the run yet
    EXPECTED = "expected"  # expected_at holds the expected finish
    FAR = "far"  # beyond HORIZON
    DONE = "done"  # good >= planned: nothing left to make


class Finish(BaseModel):
    model_config = ConfigDict(frozen=True)

    state: FinishState
    expected_at: datetime | None = None  # EXPECTED only
    # the finish falls after the scheduled end; without a rate (or beyond the horizon) the
    # run is late when it is still open after its scheduled end (it cannot finish before now)
    late: bool = False
    remaining: int | None = None  # pieces still to make (None: UNKNOWN)
    rate_per_minute: Decimal | None = None  # good pieces per productive minute


def time_to_finish(
    *,
    good: int | None,
    planned: int | None,
    productive_seconds: Decimal | None,
    now: datetime,
    scheduled_end: datetime | None,
) -> Finish:
    if good is None or not planned:
        return Finish(state=FinishState.UNKNOWN)
    remaining = planned - good
    if remaining <= 0:
        return Finish(state=FinishState.DONE, remaining=0)
    if good <= 0 or productive_seconds is None or productive_seconds <= 0:
        return Finish(
            state=FinishState.NO_RATE, remaining=remaining, late=_after(now, scheduled_end)
        )
    rate = Decimal(good) * SIXTY / productive_seconds
    seconds_left = Decimal(remaining) * productive_seconds / good
    if seconds_left > Decimal(HORIZON.total_seconds()):
        return Finish(
            state=FinishState.FAR,
            remaining=remaining,
            rate_per_minute=rate,
            late=scheduled_end is not None and scheduled_end < now + HORIZON,
        )
    expected = now + timedelta(seconds=float(seconds_left))
    return Finish(
        state=FinishState.EXPECTED,
        expected_at=expected,
        remaining=remaining,
        rate_per_minute=rate,
        late=_after(expected, scheduled_end),
    )


def _after(moment: datetime, scheduled_end: datetime | None) -> bool:
    return scheduled_end is not None and moment > scheduled_end
