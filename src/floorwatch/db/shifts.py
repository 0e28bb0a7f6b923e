"""`floorwatch shifts`: each facility's shift pattern (the first shift's start, plant-local, and
the shift length; the production day starts with the first shift), listed and set.

Native schema: the facilities columns first_shift_start / shift_length_hours. Adopted ERP
database: floorwatch.shift_patterns (the ERP has no shift pattern); a facility without a row
there has an assumed one (the ERP's shifts or 3 x 8 h from 06:00: adopt V002), which `floorwatch
check` reports until it is set. Run by an administrator's login, like `floorwatch grant`."""

from __future__ import annotations

import shlex
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, time

import asyncpg

from floorwatch.db.adopt import SCHEMA
from floorwatch.db.mode import on_erp_tables
from floorwatch.db.queries import sql
from floorwatch.errors import UserError

SHIFT_HOURS = (6, 8, 12, 24)  # the lengths that divide a day (V001's CHECK)
DEFAULT_START = time(6)
DEFAULT_HOURS = 8
_SHOWN = 10  # facilities listed when the one asked for is unknown


@dataclass(frozen=True)
class ShiftPattern:
    tenant_id: uuid.UUID
    tenant_code: str
    facility_id: uuid.UUID
    facility_code: str
    first_shift_start: time
    shift_length_hours: int
    is_set: bool  # False: assumed (adopted, no row in floorwatch.shift_patterns)
    set_at: datetime | None  # adopted: when and by whom it was set
    set_by: str | None

    @property
    def facility(self) -> str:
        return f"{self.tenant_code}/{self.facility_code}"

    @property
    def described(self) -> str:
        """`3 x 8 h from 06:00`"""
        hours = self.shift_length_hours
        return f"{24 // hours} x {hours} h from {self.first_shift_start:%H:%M}"

    def set_command(self) -> str:
        t, f = shlex.quote(self.tenant_code), shlex.quote(self.facility_code)
        return (
            f"floorwatch shifts --tenant {t} --facility {f} "
            f"--first-start {self.first_shift_start:%H:%M} --hours {self.shift_length_hours}"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "facility": self.facility,
            "tenant_code": self.tenant_code,
            "facility_code": self.facility_code,
            "facility_id": str(self.facility_id),
            "first_shift_start": f"{self.first_shift_start:%H:%M}",
            "shift_length_hours": self.shift_length_hours,
            "state": "set" if self.is_set else "assumed",
            "set_at": self.set_at.isoformat() if self.set_at else None,
            "set_by": self.set_by,
        }


def assumption_of(p: ShiftPattern) -> str:
    how = f"set it with `{p.set_command()}`"
    return f"facility {p.facility}: shift pattern assumed: {p.described} ({how})"


async def _directory_patterns(conn: asyncpg.Connection) -> dict[uuid.UUID, tuple[time, int]]:
    """What the facilities view assumes for each facility (empty before adopt V002)."""
    if not await conn.fetchval(
        "SELECT to_regprocedure($1) IS NOT NULL", f"{SCHEMA}.floorwatch_directory()"
    ):
        return {}
    rows = await conn.fetch(sql("directory_shift_patterns"))
    return {r["facility_id"]: (r["first_shift_start"], r["shift_length_hours"]) for r in rows}


async def list_patterns(
    conn: asyncpg.Connection, *, adopted: bool, erp_schema: str | None
) -> list[ShiftPattern]:
    if not adopted:
        try:
            rows = await conn.fetch(sql("shift_patterns_native"))
        except asyncpg.InsufficientPrivilegeError:
            me = await conn.fetchval("SELECT session_user")
            raise UserError(
                f"login {me!r} may not read floorwatch_directory(): run it as the schema owner "
                "or a member of floorwatch_reader"
            ) from None
        return [ShiftPattern(**dict(r)) for r in rows]
    if erp_schema is None:
        raise UserError("adopted database without the ERP's tenants table: is it still there?")
    try:
        async with on_erp_tables(conn, erp_schema):
            rows = await conn.fetch(sql("shift_patterns_adopted"))
    except asyncpg.InsufficientPrivilegeError:
        me = await conn.fetchval("SELECT session_user")
        raise UserError(
            f"login {me!r} may not read the ERP's facilities or floorwatch.shift_patterns: "
            "run it as the adopting login (the one that ran `floorwatch migrate --adopt`) "
            "or a superuser"
        ) from None
    assumed = await _directory_patterns(conn)
    found = []
    for r in rows:
        p = dict(r)
        if not p["is_set"]:
            start, hours = assumed.get(p["facility_id"], (DEFAULT_START, DEFAULT_HOURS))
            p.update(first_shift_start=start, shift_length_hours=hours)
        found.append(ShiftPattern(**p))
    return found


def _matches(code_or_id: str, code: str, id_: uuid.UUID) -> bool:
    return code_or_id == code or code_or_id.lower() == str(id_)


def select(
    patterns: list[ShiftPattern], tenant: str | None, facility: str | None
) -> list[ShiftPattern]:
    """Those of --tenant, or the one facility named by --facility (and --tenant)."""
    if facility:
        return [pick(patterns, tenant, facility)]
    if tenant:
        patterns = [p for p in patterns if _matches(tenant, p.tenant_code, p.tenant_id)]
        if not patterns:
            raise UserError(f"no tenant {tenant!r} with a facility (code or id)")
    return patterns


def pick(patterns: list[ShiftPattern], tenant: str | None, facility: str) -> ShiftPattern:
    """The one facility named by --facility (and --tenant); UserError naming the choices."""
    if tenant:
        patterns = [p for p in patterns if _matches(tenant, p.tenant_code, p.tenant_id)]
        if not patterns:
            raise UserError(f"no tenant {tenant!r} with a facility (code or id)")
    found = [p for p in patterns if _matches(facility, p.facility_code, p.facility_id)]
    if len(found) > 1:
        tenants = ", ".join(repr(p.tenant_code) for p in found[:_SHOWN])
        raise UserError(f"facility {facility!r} is in several tenants ({tenants}): give --tenant")
    if not found:
        known = ", ".join(repr(p.facility) for p in patterns[:_SHOWN]) or "none"
        more = ", …" if len(patterns) > _SHOWN else ""
        raise UserError(f"no facility {facility!r} (code or id); facilities: {known}{more}")
    return found[0]


async def _require(conn: asyncpg.Connection, table: str, privileges: str, adopted: bool) -> None:
    if await conn.fetchval("SELECT has_table_privilege($1, $2)", table, privileges):
        return
    me = await conn.fetchval("SELECT session_user")
    owner = "the adopting login (`floorwatch migrate --adopt`)" if adopted else "the schema owner"
    raise UserError(
        f"login {me!r} may not set shift patterns (no {privileges} on {table}): "
        f"run it as {owner} or a superuser"
    )


async def set_pattern(
    conn: asyncpg.Connection,
    old: ShiftPattern,
    first_start: time | None,
    hours: int | None,
    *,
    adopted: bool,
) -> list[str]:
    """Set `old`'s facility's pattern (a flag not given keeps its value); the lines to print."""
    new = replace(
        old,
        first_shift_start=old.first_shift_start if first_start is None else first_start,
        shift_length_hours=old.shift_length_hours if hours is None else hours,
        is_set=True,
    )
    args = (old.facility_id, new.first_shift_start, new.shift_length_hours)
    if adopted:
        await _require(conn, f"{SCHEMA}.shift_patterns", "INSERT, UPDATE", adopted)
        done = await conn.fetchval(sql("set_shift_adopted"), *args, old.tenant_id)
    else:
        await _require(conn, "facilities", "UPDATE", adopted)
        try:
            async with conn.transaction():
                # row-level security is forced on facilities: act as the facility's tenant
                await conn.execute(
                    "SELECT set_config('app.current_tenant_id', $1, true)", str(old.tenant_id)
                )
                done = await conn.fetchval(sql("set_shift_native"), *args)
        except asyncpg.CheckViolationError as exc:  # e.g. a timezone V006 refuses
            raise UserError(
                f"facility {old.facility} cannot be updated: its row breaks a rule of the "
                f"schema ({exc.constraint_name or 'a CHECK'}): fix that first"
            ) from None
    if done is None:
        raise UserError(f"facility {old.facility} was not updated (row-level security hid it)")
    was = "assumed: " if not old.is_set else ""
    return [
        f"facility {new.facility}: shift pattern set: {new.described} (was {was}{old.described})"
    ]


def render_pattern(p: ShiftPattern) -> str:
    if not p.is_set:
        state = "assumed (not set: `floorwatch check` reports it)"
    elif p.set_at is not None:
        state = f"set {p.set_at.isoformat(timespec='seconds')} by {p.set_by!r}"
    else:
        state = "set"
    return f"{p.facility!r:<28} {p.described:<20} {state}"
