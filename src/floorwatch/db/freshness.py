"""Data freshness for `floorwatch check`: how long ago a facility's newest status change and
newest run update were written, judged against `[check] stale_after_minutes`. A data collector
that stopped is the failure this catches (README: Command line, check)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

from floorwatch.db.pool import Database
from floorwatch.db.queries import sql
from floorwatch.domain.models import Scope

# states closed and runs ended longer ago than this are not looked at (an index range, never
# the history)
LOOKBACK = timedelta(days=7)


class Freshness(BaseModel):
    facility: str  # TENANT/FACILITY
    newest_status_change: datetime | None
    status_change_age_s: float | None  # None: no open state, none closed within LOOKBACK
    newest_run_update: datetime | None
    run_update_age_s: float | None  # None: no open run and none ended within LOOKBACK
    stale: bool


def _age(now: datetime, moment: datetime | None) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


async def read_freshness(db: Database, scope: Scope, stale_after_minutes: float) -> Freshness:
    rows = await db.fetch(
        scope.tenant_id, sql("freshness"), scope.tenant_id, scope.facility_id, LOOKBACK
    )
    row = rows[0]
    status_age = _age(row["checked_at"], row["newest_status_change"])
    run_age = _age(row["checked_at"], row["newest_run_update"])
    limit = stale_after_minutes * 60
    return Freshness(
        facility=f"{scope.tenant_code}/{scope.facility_code}",
        newest_status_change=row["newest_status_change"],
        status_change_age_s=status_age,
        newest_run_update=row["newest_run_update"],
        run_update_age_s=run_age,
        stale=any(age is None or age > limit for age in (status_age, run_age)),
    )


def age_text(seconds: float) -> str:
    """`42 s`, `17 min`, `3 h 05 min`, `2 d 4 h`."""
    s = int(seconds)
    if s < 120:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60:02d} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def _said(what: str, age: float | None, missing: str) -> str:
    if age is None:
        return missing
    if age < 0:  # a writer whose clock runs ahead (the demo's simulated one)
        return f"newest {what} {age_text(-age)} ahead of the server's clock"
    return f"newest {what} {age_text(age)} ago"


def problem_of(f: Freshness, stale_after_minutes: float) -> str | None:
    if not f.stale:
        return None
    status = _said("status change", f.status_change_age_s, f"no status change in {LOOKBACK.days} d")
    runs = _said("run update", f.run_update_age_s, f"no run open or ended in {LOOKBACK.days} d")
    return (
        f"facility {f.facility}: stale data ({status}, {runs}; limit "
        f"{minutes_text(stale_after_minutes)}): is the data collector running?"
    )


def summary_of(f: Freshness) -> str:
    status = _said("status change", f.status_change_age_s, f"no status change in {LOOKBACK.days} d")
    runs = _said("run update", f.run_update_age_s, f"no run open or ended in {LOOKBACK.days} d")
    return f"{f.facility}: {status}, {runs}" + (" (STALE)" if f.stale else "")


def minutes_text(minutes: float) -> str:
    return f"{minutes:g} min"
