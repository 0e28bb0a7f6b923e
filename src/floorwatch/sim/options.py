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
# all tenants' work centers times days: about 70 rows each, so at most about 14 M rows (the
# backfill writes 20-35 K rows/s on 2 cores: some 7-12 minutes)
MAX_WORK_CENTER_DAYS = 200_000
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


def scale_problem(options: SimOptions) -> str | None:
    """Why the options ask for too much history in all (each flag alone being in bounds)."""
    wcs = options.tenants * options.facilities * options.work_centers
    wc_days = wcs * options.backfill_days
    if wc_days <= MAX_WORK_CENTER_DAYS:
        return None
    return (
        f"--tenants x --facilities x --work-centers x --backfill-days is {wc_days:,} "
        f"work-center days ({wcs:,} work centers), more than {MAX_WORK_CENTER_DAYS:,} "
        f"(about {MAX_WORK_CENTER_DAYS * 70 / 1e6:.0f} M rows): ask for fewer days or work centers"
    )


class SimReport(BaseModel):
    """Rows written per table and how long it took; str() is a short summary."""

    rows: dict[str, int] = Field(default_factory=dict)
    updated: dict[str, int] = Field(default_factory=dict)
    backfill_seconds: float = 0
    live_seconds: float = 0
    simulated_until: datetime | None = None
    resumed: list[str] = Field(default_factory=list)  # tenants found written, not backfilled

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
        if self.resumed:
            text += f"; resumed {', '.join(self.resumed)} (written before, not backfilled again)"
        if self.live_seconds:
            ups = sum(self.updated.values())
            text += f"; live {self.live_seconds:.1f} s ({ups:,} rows upserted)"
        return text
