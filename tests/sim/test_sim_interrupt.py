"""Issue 7, item 10: a tenant is written in one transaction, so a backfill killed (kill -9) or
interrupted (SIGINT) mid-way leaves nothing of it and the same seed runs again; a plant the
seed wrote before is resumed live by `--duration`, not refused."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import pytest

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from floorwatch.db.schema import PLANT_TABLES

# the layout is written first, then one work center's 400 days per COPY: about 15 s in all
SLOW = ("--seed", "31", "--backfill-days", "400", "--work-centers", "12")

RUNS_LOCKED = (
    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
    " WHERE c.relname = 'production_runs' AND l.database ="
    " (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND l.pid <> pg_backend_pid()"
)


async def _counts(dsn: str) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)  # the superuser: sees every tenant's rows
    try:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in PLANT_TABLES}
    finally:
        await conn.close()


# Uncommitted rows extend the table's file too: this much means several chunks are in.
SEVERAL_CHUNKS_BYTES = 4 * 1024 * 1024
RUNS_WRITTEN = "SELECT pg_relation_size('production_runs')"


async def _wait_until_writing_runs(dsn: str, proc: asyncio.subprocess.Process) -> None:
    """Until the simulator holds production_runs (layout written, run chunks being COPYed)
    and several chunks are in."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + 60
        while not (
            await conn.fetchval(RUNS_LOCKED)
            and await conn.fetchval(RUNS_WRITTEN) >= SEVERAL_CHUNKS_BYTES
        ):
            assert proc.returncode is None, await proc.communicate()
            assert time.monotonic() < deadline, "the simulator never wrote several run chunks"
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    assert proc.returncode is None, "finished before it could be interrupted: make SLOW slower"


@contextmanager
def _sigint_not_ignored() -> Iterator[None]:
    """A job a shell starts in the background without job control (`cmd &` in a script) has
    SIGINT ignored, and a child inherits that across exec: a simulator spawned from a test run
    started so would never see this test's SIGINT (and finish with 0). While spawning, the
    parent handles SIGINT instead, which a child starts from as the default."""
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("how", ["kill -9", "SIGINT"])
async def test_interrupted_backfill_leaves_nothing_and_the_seed_runs_again(
    db_dsn: str, tmp_path: Path, how: str
) -> None:
    env = clean_env(tmp_path)
    with _sigint_not_ignored():
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "floorwatch", "simulate", "--dsn", db_dsn, *SLOW,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
    try:
        await _wait_until_writing_runs(db_dsn, proc)
        proc.send_signal(signal.SIGKILL if how == "kill -9" else signal.SIGINT)
        out_b, err_b = await asyncio.wait_for(proc.communicate(), 60)
        out, err = out_b.decode(), err_b.decode()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    if how == "SIGINT":
        assert proc.returncode == 130, (out, err)
        assert err.strip() == "floorwatch: interrupted", err
    else:
        assert proc.returncode == -signal.SIGKILL
    # the server rolls back what the dead connection had not committed
    deadline = time.monotonic() + 10
    while (counts := await _counts(db_dsn)) and any(counts.values()):
        assert time.monotonic() < deadline, f"partial tenant left behind: {counts}"
        await asyncio.sleep(0.1)
    # the same seed (shorter, to keep the test quick) is not blocked by a partial tenant
    again = await asyncio.to_thread(
        floorwatch, "simulate", "--dsn", db_dsn, "--seed", "31", "--backfill-days", "2", env=env
    )
    assert again.code == 0, again
    counts = await _counts(db_dsn)
    assert counts["tenants"] == 1 and counts["work_centers"] == 12
    assert counts["production_runs"] > 0 and counts["equipment_status_log"] > 0


async def _live_state(dsn: str) -> tuple[int, int, object]:
    conn = await asyncpg.connect(dsn)
    try:
        return (
            await conn.fetchval("SELECT count(*) FROM tenants"),
            await conn.fetchval("SELECT count(*) FROM equipment_status_log"),
            await conn.fetchval("SELECT min(updated_at) FROM work_centers"),
        )
    finally:
        await conn.close()


async def test_duration_after_a_backfill_resumes_the_same_tenant(
    db_dsn: str, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    plant = ("--seed", "41", "--work-centers", "3", "--until", "2026-03-30T09:00:00+00:00")
    first = await asyncio.to_thread(
        floorwatch, "simulate", "--dsn", db_dsn, *plant, "--backfill-days", "1", env=env
    )
    assert first.code == 0, first
    tenants, status_rows, reached = await _live_state(db_dsn)
    assert tenants == 1
    # a pure backfill again has nothing to write: refused, pointing at --duration
    again = await asyncio.to_thread(floorwatch, "simulate", "--dsn", db_dsn, *plant, env=env)
    assert_clean_failure(again)
    assert "already exists" in again.err and "--duration" in again.err
    live = await asyncio.to_thread(
        floorwatch, "simulate", "--dsn", db_dsn, *plant, "--duration", "3", "--speed", "3600",
        env=env,
    )  # fmt: skip
    assert live.code == 0, live
    assert "resumed NORD41" in live.out, live.out
    assert "already exists" not in live.both
    tenants_after, status_after, reached_after = await _live_state(db_dsn)
    assert tenants_after == 1  # the same tenant, not a second one
    assert status_after > status_rows  # the plant moved on: new state changes written
    assert reached_after > reached  # every work center advanced past where the backfill ended
    conn = await asyncpg.connect(db_dsn)
    try:  # continued where it ended: one open status per work center, no gap or overlap
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM equipment_status_log WHERE status_end IS NULL"
            )
            == 3
        )
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM (SELECT status_start, lag(status_end) OVER w AS prev_end"
                " FROM equipment_status_log WINDOW w AS (PARTITION BY work_center_id"
                " ORDER BY status_start)) x"
                " WHERE prev_end IS DISTINCT FROM status_start AND prev_end IS NOT NULL"
            )
            == 0
        )
    finally:
        await conn.close()


async def test_another_plant_under_the_same_code_is_refused(db_dsn: str, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    first = await asyncio.to_thread(
        floorwatch, "simulate", "--dsn", db_dsn, "--seed", "42", "--backfill-days", "1",
        "--work-centers", "2", env=env,
    )  # fmt: skip
    assert first.code == 0, first
    other = await asyncio.to_thread(
        floorwatch, "simulate", "--dsn", db_dsn, "--seed", "42", "--backfill-days", "1",
        "--facilities", "2", "--work-centers", "2", "--duration", "2", env=env,
    )  # fmt: skip
    assert_clean_failure(other)
    assert "tenant NORD42 exists but is not the plant --seed 42 writes" in other.err


async def test_resuming_a_facility_whose_timezone_went_bad_is_refused(
    db_dsn: str, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    plant = ("--seed", "43", "--backfill-days", "1", "--work-centers", "2")
    first = await asyncio.to_thread(floorwatch, "simulate", "--dsn", db_dsn, *plant, env=env)
    assert first.code == 0, first
    conn = await asyncpg.connect(db_dsn)
    try:  # as on a database that held the row before V006's CHECK
        await conn.execute("ALTER TABLE facilities DROP CONSTRAINT facilities_timezone_iana")
        await conn.execute("UPDATE facilities SET timezone = 'Mars/Olympus'")
    finally:
        await conn.close()
    live = await asyncio.to_thread(
        floorwatch, "simulate", "--dsn", db_dsn, *plant, "--duration", "2", env=env
    )
    assert_clean_failure(live)
    assert "facility 'PLANT1' of tenant 'NORD43' has timezone 'Mars/Olympus'" in live.err
