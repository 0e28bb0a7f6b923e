"""Which tenants a login may see (floorwatch_login_tenants, V005): granting, revoking, listing.

Run by an administrator's login: the table's owner (the migrating login) or a superuser. The
reader's row-level security and floorwatch_directory() read the table by session_user.

On an adopted ERP database the table is floorwatch.floorwatch_login_tenants (adopt V001), read
by floorwatch's views, and the tenants are looked up in the ERP's own table (floorwatch's
tenants view shows an administrator none: it filters by the current tenant)."""

from __future__ import annotations

import shlex
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from floorwatch.db import adopt
from floorwatch.db.bootstrap import sql_ident
from floorwatch.db.mode import on_erp_tables
from floorwatch.db.queries import sql
from floorwatch.errors import UserError

GRANTS_TABLE = "floorwatch_login_tenants"
_SHOWN_TENANTS = 10  # tenant codes listed when the one asked for is unknown


@dataclass(frozen=True)
class TenantGrant:
    login: str
    tenant_code: str | None  # None: a tenant the ERP deleted since (adopted: no foreign key)
    tenant_id: uuid.UUID
    granted_at: datetime
    granted_by: str
    login_exists: bool
    can_login: bool


@dataclass(frozen=True)
class Tenant:
    id: uuid.UUID
    code: str


@dataclass(frozen=True)
class _Place:
    """Where the grants are: floorwatch's own schema, or an adopted ERP database."""

    adopted: bool
    erp_schema: str | None

    @property
    def table(self) -> str:
        return f"{adopt.SCHEMA}.{GRANTS_TABLE}" if self.adopted else GRANTS_TABLE

    def sql(self, name: str) -> str:
        return sql(f"adopted_{name}" if self.adopted else name)


async def _place(conn: asyncpg.Connection) -> _Place:
    if not await adopt.is_adopted(conn):
        return _Place(False, None)
    return _Place(True, await adopt.erp_schema(conn))


@asynccontextmanager
async def _administering(conn: asyncpg.Connection) -> AsyncIterator[_Place]:
    """Where the grants are; on an adopted database in a transaction reading the ERP's tenants."""
    place = await _place(conn)
    if not place.adopted:
        yield place
        return
    if place.erp_schema is None:
        raise UserError("adopted database without the ERP's tenants table: is it still there?")
    async with on_erp_tables(conn, place.erp_schema):
        yield place


async def _require_privilege(
    conn: asyncpg.Connection, place: _Place, privilege: str, action: str
) -> None:
    table = place.table
    if not await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table):
        run = "migrate --adopt` first (adopt V001)" if place.adopted else "migrate` first (V005)"
        raise UserError(f"no {table} table: run `floorwatch {run}")
    if not await conn.fetchval("SELECT has_table_privilege($1, $2)", table, privilege):
        me = await conn.fetchval("SELECT session_user")
        owner = (
            "the adopting login (the one that ran `floorwatch migrate --adopt`)"
            if place.adopted
            else "the schema owner (the login that ran `floorwatch migrate`)"
        )
        raise UserError(
            f"login {me!r} may not {action} (no {privilege} on {table}): "
            f"run it as {owner} or a superuser"
        )


async def find_tenant(conn: asyncpg.Connection, code_or_id: str) -> Tenant:
    """A tenant as the administrator sees them (on an adopted database: call it inside
    _administering, which makes `tenants` the ERP's own table)."""
    try:
        row = await conn.fetchrow(sql("find_tenant"), code_or_id)
        codes = [] if row else await conn.fetch(sql("tenant_codes"), _SHOWN_TENANTS + 1)
    except asyncpg.InsufficientPrivilegeError:
        me = await conn.fetchval("SELECT session_user")
        raise UserError(f"login {me!r} may not read the tenants table") from None
    if row is None:
        names = [r["tenant_code"] for r in codes]
        known = ", ".join(repr(c) for c in names[:_SHOWN_TENANTS]) or "none"
        more = ", …" if len(names) > _SHOWN_TENANTS else ""
        raise UserError(f"no tenant {code_or_id!r} (code or id); tenants: {known}{more}")
    return Tenant(row["id"], row["tenant_code"])


async def _login_role(conn: asyncpg.Connection, login: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT rolname, rolcanlogin, pg_has_role(rolname, 'floorwatch_reader', 'MEMBER')"
        " AS reader FROM pg_roles WHERE rolname = $1",
        login,
    )


async def grant_tenant(conn: asyncpg.Connection, login: str, code_or_id: str) -> list[str]:
    """Let `login` see the tenant; the lines to print."""
    async with _administering(conn) as place:
        await _require_privilege(conn, place, "INSERT", "grant tenants")
        role = await _login_role(conn, login)
        if role is None:
            raise UserError(f"no role {login!r} on this server: CREATE ROLE ... LOGIN first")
        if not role["rolcanlogin"]:
            raise UserError(
                f"role {login!r} cannot log in (NOLOGIN): grant tenants to the login the "
                "monitor connects as"
            )
        tenant = await find_tenant(conn, code_or_id)
        added = await conn.fetchval(place.sql("grant_tenant"), login, tenant.id)
    lines = [
        f"granted tenant {tenant.code!r} to login {login!r}"
        if added
        else f"login {login!r} already had tenant {tenant.code!r}"
    ]
    if not role["reader"]:
        lines.append(
            f"note: {login!r} is not a member of floorwatch_reader yet: "
            f"GRANT floorwatch_reader TO {sql_ident(login)}"
        )
    return lines


async def revoke_tenant(conn: asyncpg.Connection, login: str, code_or_id: str) -> list[str]:
    """Take the tenant away from `login` (also from a login dropped since)."""
    async with _administering(conn) as place:
        await _require_privilege(conn, place, "DELETE", "revoke tenants")
        tenant = await find_tenant(conn, code_or_id)
        removed = await conn.fetch(place.sql("revoke_tenant"), login, tenant.id)
        if removed:
            return [f"revoked tenant {tenant.code!r} from login {login!r}"]
        if await _login_role(conn, login) is None:
            raise UserError(f"no role {login!r} on this server, and no grant of it to revoke")
    return [f"login {login!r} had no grant of tenant {tenant.code!r}: nothing to revoke"]


async def list_grants(conn: asyncpg.Connection, login: str | None) -> list[TenantGrant]:
    async with _administering(conn) as place:
        await _require_privilege(conn, place, "SELECT", "list tenant grants")
        rows = await conn.fetch(place.sql("login_grants"), login)
    return [TenantGrant(**dict(r)) for r in rows]


def render_grant(g: TenantGrant) -> str:
    state = "" if g.can_login else ("  (no such role)" if not g.login_exists else "  (NOLOGIN)")
    when = g.granted_at.isoformat(timespec="seconds")
    tenant = repr(g.tenant_code) if g.tenant_code is not None else f"(no tenant {g.tenant_id})"
    return f"{g.login!r:<20} {tenant:<16} granted {when} by {g.granted_by!r}{state}"


async def no_grant_hint(conn: asyncpg.Connection) -> str | None:
    """Why this login sees no tenant when that is for want of a grant (None otherwise)."""
    fn = "floorwatch_session_sees_all_tenants()"
    usable = await conn.fetchval(
        "SELECT coalesce(has_function_privilege(to_regprocedure($1), 'EXECUTE'), false)", fn
    )
    if not usable or await conn.fetchval(f"SELECT {fn}"):
        return None
    login = await conn.fetchval("SELECT session_user")
    return (
        f"login {login!r} is granted no tenant: an administrator runs "
        f"`floorwatch grant --login {shlex.quote(login)} --tenant CODE`"
    )
