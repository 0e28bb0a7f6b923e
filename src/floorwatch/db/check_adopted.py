"""The parts of `floorwatch check` particular to an adopted ERP database (db/adopt.py).

There row-level security is deliberately off on the ERP's tables (it would hide rows from the
ERP's own roles), so the boundary checked instead is floorwatch's views: each of the eight is a
security_barrier view in the schema floorwatch, and floorwatch_reader has no privilege on the
ERP's tables. Also: the shift patterns assumed (not a problem), and the rows the views leave
out (a note: the ERP's data as it is; README: How floorwatch reads the ERP's rows)."""

from __future__ import annotations

import asyncpg
from pydantic import BaseModel

from floorwatch.db.adopt import SCHEMA
from floorwatch.db.queries import sql
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.db.shifts import assumption_of, list_patterns
from floorwatch.errors import UserError


class ViewState(BaseModel):
    name: str
    present: bool
    security_barrier: bool


class ReaderPrivilege(BaseModel):
    table: str  # schema-qualified ERP table
    privilege: str
    to_public: bool  # granted to PUBLIC (so revoking it from floorwatch_reader is not enough)


class Boundary(BaseModel):
    views: list[ViewState]
    reader_privileges: list[ReaderPrivilege]  # on the ERP's tables: each one is a problem


class RowsLeftOut(BaseModel):
    table: str
    reason: str
    rows: int


async def read_boundary(conn: asyncpg.Connection, erp_schema: str | None) -> Boundary:
    views = [ViewState(**dict(r)) for r in await conn.fetch(sql("adopted_views"), PLANT_TABLES)]
    privileges: list[ReaderPrivilege] = []
    if erp_schema is not None:
        rows = await conn.fetch(sql("reader_erp_privileges"), erp_schema, list(PLANT_TABLES))
        privileges = [
            ReaderPrivilege(
                table=f"{erp_schema}.{r['table_name']}",
                privilege=r["privilege"],
                to_public=r["to_public"],
            )
            for r in rows
        ]
    return Boundary(views=views, reader_privileges=privileges)


def boundary_problems(b: Boundary) -> list[str]:
    problems = [
        f"view {SCHEMA}.{v.name} is not a security_barrier view: a function in a query could "
        f"see the rows its tenant filter leaves out (ALTER VIEW {SCHEMA}.{v.name} "
        "SET (security_barrier = true))"
        for v in b.views
        if v.present and not v.security_barrier
    ]
    for p in b.reader_privileges:
        whom = "PUBLIC" if p.to_public else "floorwatch_reader"
        problems.append(
            f"floorwatch_reader has {p.privilege} on the ERP's table {p.table}: it reads round "
            f"floorwatch's views, which are the boundary between tenants "
            f"(REVOKE {p.privilege} ON {p.table} FROM {whom})"
        )
    return problems


async def read_assumptions(
    conn: asyncpg.Connection, erp_schema: str | None, notes: list[str]
) -> list[str]:
    """One per facility whose shift pattern is assumed; a note instead when this login may not
    read the shift patterns (they are the administrator's)."""
    readable = await conn.fetchval(
        "SELECT has_table_privilege($1, 'SELECT')", f"{SCHEMA}.shift_patterns"
    )
    if not readable or erp_schema is None:
        me = await conn.fetchval("SELECT session_user")
        notes.append(
            f"login {me!r} may not read {SCHEMA}.shift_patterns: run `floorwatch check` as the "
            "adopting login to see which facilities' shift patterns are assumed"
        )
        return []
    try:
        patterns = await list_patterns(conn, adopted=True, erp_schema=erp_schema)
    except UserError as exc:  # may not read the ERP's facilities
        notes.append(f"shift patterns not checked: {exc}")
        return []
    return [assumption_of(p) for p in patterns if not p.is_set]


async def read_rows_left_out(conn: asyncpg.Connection, notes: list[str]) -> list[RowsLeftOut]:
    """The ERP's rows the views leave out (adopt V002's count; its `since` left at its default)."""
    fn = f"{SCHEMA}.unreadable_rows(timestamptz)"
    usable = await conn.fetchval(
        "SELECT coalesce(has_function_privilege(to_regprocedure($1), 'EXECUTE'), false)", fn
    )
    if not usable:
        return []
    try:
        rows = await conn.fetch(sql("unreadable_rows"))
    except asyncpg.QueryCanceledError:
        notes.append(f"counting the rows floorwatch's views leave out ({fn}) timed out")
        return []
    return [RowsLeftOut(table=r["table_name"], reason=r["reason"], rows=r["rows"]) for r in rows]
