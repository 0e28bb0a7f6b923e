"""The layout of a simulated plant: tenants, facilities, work centers and operators.

Everything is derived from the seed (ids included), so the same options give the same plant."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import time
from decimal import Decimal

from floorwatch.sim import catalog
from floorwatch.sim.catalog import Kind
from floorwatch.sim.options import SimOptions
from floorwatch.sim.shifts import ShiftCalendar


def new_id(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from `rng` (deterministic for a seeded generator)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass(frozen=True, slots=True)
class User:
    id: uuid.UUID
    display_name: str
    crew: int  # shift index (0-based) this operator works


@dataclass(frozen=True, slots=True)
class WorkCenter:
    id: uuid.UUID
    code: str
    name: str
    kind: Kind
    rate_per_hour: Decimal
    seed: int  # seeds this work center's own random stream
    condition: float = 0.5  # how well it runs, 0 (worst) to 1 (best): see conditions()

    @property
    def ideal_cycle_seconds(self) -> Decimal:
        return (Decimal(3600) / self.rate_per_hour).quantize(Decimal("0.0001"))


@dataclass(frozen=True, slots=True)
class Facility:
    id: uuid.UUID
    tenant_id: uuid.UUID
    code: str
    name: str
    timezone: str
    first_shift_start: time
    shift_length_hours: int
    work_centers: tuple[WorkCenter, ...]
    users: tuple[User, ...]

    def crew(self, shift_no: int) -> tuple[User, ...]:
        return tuple(u for u in self.users if u.crew == shift_no) or self.users


def calendar_of(f: Facility) -> ShiftCalendar:
    """The facility's shift calendar (a new one: it caches the shifts it has looked up)."""
    return ShiftCalendar(f.timezone, f.first_shift_start, f.shift_length_hours)


@dataclass(frozen=True, slots=True)
class Tenant:
    id: uuid.UUID
    code: str
    name: str
    facilities: tuple[Facility, ...] = field(default=())


def conditions(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, float]:
    """The condition of each work center of a facility: spread evenly over 0..1 in an order
    drawn from the ids, so every plant has its good and its bad machines (a third of them
    below 1/3), and a resumed simulation, which knows only the ids, agrees with the backfill."""
    order = sorted(ids, key=lambda i: hashlib.blake2b(i.bytes, digest_size=8).digest())
    return {wc_id: (rank + 0.5) / len(order) for rank, wc_id in enumerate(order)}


def _work_centers(rng: random.Random, count: int) -> tuple[WorkCenter, ...]:
    seen: dict[str, int] = {}
    out = []
    for i in range(count):
        kind = catalog.KINDS[catalog.PLANT_MIX[i % len(catalog.PLANT_MIX)]]
        seen[kind.prefix] = seen.get(kind.prefix, 0) + 1
        n = seen[kind.prefix]
        lo, hi = kind.rate
        rate = Decimal(rng.randrange(lo, hi + 1, 100 if hi >= 5000 else 50))
        out.append(
            WorkCenter(
                id=new_id(rng),
                code=f"{kind.prefix}-{n:02d}",
                name=f"{kind.name} {n}",
                kind=kind,
                rate_per_hour=rate,
                seed=rng.getrandbits(64),
            )
        )
    condition = conditions(wc.id for wc in out)
    return tuple(replace(wc, condition=condition[wc.id]) for wc in out)


def _users(rng: random.Random, shifts: int, work_centers: int) -> tuple[User, ...]:
    per_crew = max(2, (work_centers * 2 + 2) // 3)
    users = []
    for crew in range(shifts):
        for _ in range(per_crew):
            name = f"{rng.choice(catalog.FIRST_NAMES)} {rng.choice(catalog.LAST_NAMES)}"
            users.append(User(id=new_id(rng), display_name=name, crew=crew))
    return tuple(users)


def build_layout(options: SimOptions) -> tuple[Tenant, ...]:
    """The tenants (with facilities, work centers and users) the options describe."""
    rng = random.Random(f"floorwatch-plant/{options.seed}")
    tenants = []
    for ti in range(options.tenants):
        code, name, home_tz = catalog.TENANTS[ti % len(catalog.TENANTS)]
        round_ = ti // len(catalog.TENANTS)
        suffix = "" if options.seed == 1 else str(options.seed)
        suffix += "" if round_ == 0 else f"-{round_ + 1}"
        if options.tenant_code and ti == 0:
            code, suffix = options.tenant_code, ""
        if options.tenant_name and ti == 0:
            name = options.tenant_name
        tenant_id = new_id(rng)
        facilities = []
        for fi in range(options.facilities):
            tz, city = catalog.SITES[(ti + fi) % len(catalog.SITES)]
            if fi == 0:
                tz = options.timezone or home_tz
            start, hours = catalog.SHIFT_PATTERNS[fi % len(catalog.SHIFT_PATTERNS)]
            fname = (options.facility_name if fi == 0 else None) or f"{city} plant"
            facilities.append(
                Facility(
                    id=new_id(rng),
                    tenant_id=tenant_id,
                    code=f"PLANT{fi + 1}",
                    name=fname,
                    timezone=tz,
                    first_shift_start=time.fromisoformat(start),
                    shift_length_hours=hours,
                    work_centers=_work_centers(rng, options.work_centers),
                    users=_users(rng, 24 // hours, options.work_centers),
                )
            )
        tenants.append(
            Tenant(id=tenant_id, code=code + suffix, name=name, facilities=tuple(facilities))
        )
    return tuple(tenants)
