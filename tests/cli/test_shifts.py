"""`floorwatch shifts` through the real CLI in a subprocess: listing each facility's shift
pattern, setting one, and bad input (one line, exit 2), on floorwatch's own schema (the
facilities columns) and on an adopted ERP database (floorwatch.shift_patterns)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import time
from pathlib import Path

import asyncpg
import pytest

from adopted_support import erp_facility, erp_tenant
from cli_helpers import Result, assert_clean_failure, clean_env, floorwatch


async def fw(*args: str, tmp: Path) -> Result:
    return await asyncio.to_thread(floorwatch, *args, env=clean_env(tmp))


@pytest.fixture
async def native(db_dsn: str) -> str:
    """floorwatch's own schema: ACME with P1 (07:00, 12 h) and P2 (the defaults), BETA with P1."""
    conn = await asyncpg.connect(db_dsn)  # the superuser: no row-level security in the way
    try:
        for tenant, facilities in (("ACME", ("P1", "P2")), ("BETA", ("P1",))):
            tid = uuid.uuid4()
            await conn.execute(
                "INSERT INTO tenants (id, tenant_code, tenant_name) VALUES ($1, $2, $2)",
                tid,
                tenant,
            )
            for code in facilities:
                await conn.execute(
                    "INSERT INTO facilities (id, tenant_id, facility_code, facility_name)"
                    " VALUES ($1, $2, $3, $3)",
                    uuid.uuid4(),
                    tid,
                    code,
                )
        await conn.execute(
            "UPDATE facilities SET first_shift_start = '07:00', shift_length_hours = 12"
            " WHERE facility_code = 'P1' AND tenant_id = (SELECT id FROM tenants"
            " WHERE tenant_code = 'ACME')"
        )
    finally:
        await conn.close()
    return db_dsn


@pytest.fixture
async def adopted(adopted_dsn: str) -> str:
    """An adopted ERP database: the ERP's tenant ACME with P1 and P2, no shift pattern set."""
    conn = await asyncpg.connect(adopted_dsn)
    try:
        tid = await erp_tenant(conn, "ACME")
        await erp_facility(conn, tid, "P1")
        await erp_facility(conn, tid, "P2")
    finally:
        await conn.close()
    return adopted_dsn


async def listed(dsn: str, tmp: Path, *args: str) -> list[dict]:
    r = await fw("shifts", "--json", "--dsn", dsn, *args, tmp=tmp)
    assert r.code == 0 and "Traceback" not in r.both, r
    return json.loads(r.out)["facilities"]


def brief(rows: list[dict]) -> list[tuple[str, str, int, str]]:
    return [
        (r["facility"], r["first_shift_start"], r["shift_length_hours"], r["state"]) for r in rows
    ]


async def test_native_list_and_set(native: str, tmp_path: Path) -> None:
    assert brief(await listed(native, tmp_path)) == [
        ("ACME/P1", "07:00", 12, "set"),
        ("ACME/P2", "06:00", 8, "set"),  # V001's defaults: floorwatch's own columns, always set
        ("BETA/P1", "06:00", 8, "set"),
    ]
    text = await fw("shifts", "--dsn", native, "--tenant", "ACME", tmp=tmp_path)
    assert text.code == 0, text
    assert text.out.splitlines() == [
        "'ACME/P1'                    2 x 12 h from 07:00  set",
        "'ACME/P2'                    3 x 8 h from 06:00   set",
    ]

    r = await fw(
        "shifts", "--dsn", native, "--tenant", "ACME", "--facility", "P2",
        "--first-start", "22:00", "--hours", "6", tmp=tmp_path,
    )  # fmt: skip
    assert r.code == 0, r
    assert r.out.strip() == (
        "facility ACME/P2: shift pattern set: 4 x 6 h from 22:00 (was 3 x 8 h from 06:00)"
    )
    # one flag: the other keeps its value
    r = await fw("shifts", "--dsn", native, "--facility", "BETA/P1", "--hours", "24", tmp=tmp_path)
    assert_clean_failure(r)  # 'BETA/P1' is no facility code: the choices are named
    r = await fw(
        "shifts", "--dsn", native, "--tenant", "BETA", "--facility", "P1", "--hours", "24",
        tmp=tmp_path,
    )  # fmt: skip
    assert r.code == 0, r
    conn = await asyncpg.connect(native)
    try:
        rows = await conn.fetch(
            "SELECT t.tenant_code, f.facility_code, f.first_shift_start, f.shift_length_hours"
            " FROM facilities f JOIN tenants t ON t.id = f.tenant_id ORDER BY 1, 2"
        )
    finally:
        await conn.close()
    assert [tuple(r) for r in rows] == [
        ("ACME", "P1", time(7), 12),
        ("ACME", "P2", time(22), 6),
        ("BETA", "P1", time(6), 24),
    ]


async def test_adopted_list_and_set(adopted: str, tmp_path: Path) -> None:
    assert brief(await listed(adopted, tmp_path)) == [
        ("ACME/P1", "06:00", 8, "assumed"),  # no work center tells the ERP's shifts
        ("ACME/P2", "06:00", 8, "assumed"),
    ]
    r = await fw(
        "shifts", "--dsn", adopted, "--facility", "P1", "--first-start", "5:30", "--hours", "12",
        tmp=tmp_path,
    )  # fmt: skip
    assert r.code == 0, r
    assert r.out.strip() == (
        "facility ACME/P1: shift pattern set: 2 x 12 h from 05:30 (was assumed: 3 x 8 h from 06:00)"
    )
    (p1,) = await listed(adopted, tmp_path, "--facility", "P1")
    assert (p1["first_shift_start"], p1["shift_length_hours"], p1["state"]) == ("05:30", 12, "set")
    assert p1["set_by"] == "postgres" and p1["set_at"]
    # set again: one row, updated
    r = await fw("shifts", "--dsn", adopted, "--facility", "P1", "--hours", "8", tmp=tmp_path)
    assert r.code == 0, r
    conn = await asyncpg.connect(adopted)
    try:
        rows = await conn.fetch(
            "SELECT first_shift_start, shift_length_hours FROM floorwatch.shift_patterns"
        )
        # the ERP's facilities are untouched: nothing but floorwatch's own table changed
        erp_updated = await conn.fetchval(
            "SELECT count(*) FROM public.facilities WHERE updated_at IS NOT NULL"
        )
    finally:
        await conn.close()
    assert [tuple(r) for r in rows] == [(time(5, 30), 8)] and erp_updated == 0


@pytest.mark.parametrize("kind", ["native", "adopted"])
async def test_bad_input_is_one_line_exit_2(
    kind: str, native: str, adopted: str, tmp_path: Path
) -> None:
    dsn = native if kind == "native" else adopted
    cases = {
        ("--facility", "NOPE", "--hours", "8"): "no facility 'NOPE' (code or id); facilities: ",
        ("--facility", "P1", "--hours", "7"): "--hours: must be 6, 8, 12 or 24",
        ("--facility", "P1", "--hours", "eight"): "--hours: must be 6, 8, 12 or 24",
        ("--facility", "P1", "--first-start", "24:00"): "not a time of day (00:00 to 23:59)",
        ("--facility", "P1", "--first-start", "6am"): "not a time of day HH:MM: '6am'",
        ("--hours", "8"): "give --facility",
        ("--tenant", "NOPE"): "no tenant 'NOPE' with a facility",
    }
    if kind == "native":  # P1 is in ACME and BETA there
        cases[("--facility", "P1", "--hours", "8")] = "is in several tenants ('ACME', 'BETA')"
    for args, expected in cases.items():
        r = await fw("shifts", "--dsn", dsn, *args, tmp=tmp_path)
        assert_clean_failure(r)
        assert expected in r.err, (args, r)
    # nothing was set
    rows = await listed(dsn, tmp_path, "--tenant", "ACME", "--facility", "P2")
    assert brief(rows)[0][1:3] == ("06:00", 8)


def test_shifts_help(tmp_path: Path) -> None:
    r = floorwatch("shifts", "--help", env=clean_env(tmp_path))
    assert r.code == 0 and "usage: floorwatch shifts" in r.out, r
    assert "--first-start HH:MM" in r.out and "--hours N" in r.out
