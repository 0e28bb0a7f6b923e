from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
import pytest

from floorwatch.db import migrate
from floorwatch.db.schema import PLANT_TABLES
from floorwatch.errors import UserError


async def test_fresh_apply_then_rerun_is_noop(empty_dsn: str) -> None:
    conn = await asyncpg.connect(empty_dsn)
    try:
        files = migrate.load_migrations()
        applied = await migrate.migrate(conn)
        assert [m.version for m in applied] == [m.version for m in files]
        assert await migrate.migrate(conn) == []
        st = await migrate.status(conn)
        assert st.pending == [] and st.changed == []
        assert st.current_version == files[-1].version
        tables = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)",
            list(PLANT_TABLES),
        )
        assert tables == len(PLANT_TABLES) == 8
    finally:
        await conn.close()


async def test_changed_applied_file_is_refused(empty_dsn: str, tmp_path: Path) -> None:
    for f in migrate.migrations_dir().glob("*.sql"):
        shutil.copy(f, tmp_path / f.name)
    conn = await asyncpg.connect(empty_dsn)
    try:
        await migrate.migrate(conn, tmp_path)
        first = sorted(tmp_path.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- edited\n")
        with pytest.raises(UserError, match="changed since it was applied"):
            await migrate.migrate(conn, tmp_path)
        st = await migrate.status(conn, tmp_path)
        assert [m.path.name for m in st.changed] == [first.name]
    finally:
        await conn.close()


async def test_two_concurrent_migrates_apply_each_version_once(empty_dsn: str) -> None:
    a, b = await asyncpg.connect(empty_dsn), await asyncpg.connect(empty_dsn)
    try:
        done_a, done_b = await asyncio.gather(migrate.migrate(a), migrate.migrate(b))
        versions = sorted(m.version for m in done_a + done_b)
        assert versions == [m.version for m in migrate.load_migrations()]
        count = await a.fetchval("SELECT count(*) FROM floorwatch_schema_history")
        assert count == len(versions)
    finally:
        await a.close()
        await b.close()


async def test_failed_migration_leaves_nothing_half_written(empty_dsn: str, tmp_path: Path) -> None:
    (tmp_path / "V001__ok.sql").write_text("CREATE TABLE t1 (x int);")
    (tmp_path / "V002__bad.sql").write_text("CREATE TABLE t2 (x int); SELECT 1/0;")
    conn = await asyncpg.connect(empty_dsn)
    try:
        with pytest.raises(asyncpg.DivisionByZeroError):
            await migrate.migrate(conn, tmp_path)
        assert await conn.fetchval("SELECT to_regclass('t2')") is None
        st = await migrate.status(conn, tmp_path)
        assert [m.version for m in st.applied] == [1]
        assert [m.version for m in st.pending] == [2]
    finally:
        await conn.close()
