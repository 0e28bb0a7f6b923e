"""What to simulate (SimOptions) and what was written (SimReport)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Bounds of `floorwatch simulate` (the command line refuses anything outside at parsing).
MAX_BACKFILL_DAYS = 3660  # ten years of history
MIN_SPEED = 0.01  # simulated seconds per real second
MAX_SPEED = 3600.0  # one simulated hour a second
MAX_DURATION_S = 30 * 86_400.0  # a month of running live
MAX_TENANTS = 50
MAX_FACILITIES = 20  # per tenant
MAX_WORK_CENTERS = 500  # per facility
EARLIEST_UNTIL = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_UNTIL_AHEAD = timedelta(days=366)  # --until at most a year after now


def latest_until(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) + LATEST_UNTIL_AHEAD


class SimOptions(BaseModel):
    """Options of `floorwatch simulate` (and of the demo and the benchmark loader).

    The same options with the same seed (and an explicit `until`) write byte-identical rows."""

    model_config = ConfigDict(frozen=True, allow_inf_nan=False)

    seed: int = 1
    # simulated seconds per real second (live mode)
    speed: float = Field(default=60, ge=MIN_SPEED, le=MAX_SPEED)
    backfill_days: int = Field(default=7, ge=0, le=MAX_BACKFILL_DAYS)
    # real seconds to run live after the backfill
    duration: float = Field(default=0, ge=0, le=MAX_DURATION_S)
    tenants: int = Field(default=1, ge=1, le=MAX_TENANTS)
    facilities: int = Field(default=1, ge=1, le=MAX_FACILITIES)  # per tenant
    work_centers: int = Field(default=12, ge=1, le=MAX_WORK_CENTERS)  # per facility
    until: datetime | None = None  # end of the backfill, the simulated "now" (None: wall time)
    # Job size multiplier: 0.5 gives runs half as long (about twice as many runs per day).
    job_scale: float = Field(default=1.0, gt=0)
    # Tenant codes: None derives them from the seed (seed 1: NORD, LAKE, ...; seed 7: NORD7...).
    tenant_code: str | None = None
    tenant_name: str | None = None
    facility_name: str | None = None
    timezone: str | None = None  # of the first facility (None: from the built-in layout)

    @field_validator("until")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return value
        if value.tzinfo is None:
            raise ValueError("until must be timezone-aware")
        if not EARLIEST_UNTIL <= value <= latest_until():
            raise ValueError(f"until must be within {EARLIEST_UNTIL:%Y-%m-%d} .. a year from now")
        return value


class SimReport(BaseModel):
    """Rows written per table and how long it took; str() is a short summary."""

    rows: dict[str, int] = Field(default_factory=dict)
    updated: dict[str, int] = Field(default_factory=dict)
    backfill_seconds: float = 0
    live_seconds: float = 0
    simulated_until: datetime | None = None

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n

    def __str__(self) -> str:
        written = ", ".join(f"{t} {n:,}" for t, n in self.rows.items() if n)
        total = sum(self.rows.values())
        rate = total / self.backfill_seconds if self.backfill_seconds else 0
        until = f"{self.simulated_until:%Y-%m-%d %H:%M:%S %Z}" if self.simulated_until else "-"
        text = (
            f"simulated until {until}: wrote {written or 'nothing'}"
            f" in {self.backfill_seconds:.1f} s ({rate:,.0f} rows/s)"
        )
        if self.live_seconds:
            ups = sum(self.updated.values())
            text += f"; live {self.live_seconds:.1f} s ({ups:,} rows upserted)"
        return text
