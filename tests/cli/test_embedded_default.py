"""The embedded default: started on demand, migrated, shared by concurrent processes, and kept
up while any floorwatch process holds it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg

from cli_helpers import clean_env, floorwatch
from floorwatch.db.embedded import EmbeddedServer
from floorwatch.db.migrate import load_migrations


async def test_two_processes_share_one_server(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    first, second = await asyncio.gather(
        asyncio.to_thread(floorwatch, "migrate", env=env),
        asyncio.to_thread(floorwatch, "migrate", env=env),
    )
    assert first.code == 0 and second.code == 0, (first, second)

    holder = EmbeddedServer(tmp_path / "data")  # this process holds the server now
    holder.start()
    try:
        r = await asyncio.to_thread(floorwatch, "migrate", "--status", env=env)
        versions = len(load_migrations())
        assert r.code == 0 and r.out.count(" applied ") == versions, r
        # the subprocess has exited; our hold keeps the server up
        conn = await asyncpg.connect(holder.dsn())
        try:
            count = await conn.fetchval("SELECT count(*) FROM floorwatch_schema_history")
            assert count == versions
        finally:
            await conn.close()
    finally:
        holder.stop()


async def test_check_reports_the_embedded_data_dir(tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    r = await asyncio.to_thread(floorwatch, "check", "--json", env=env)
    report = json.loads(r.out)
    assert report["embedded_data_dir"] == str(tmp_path / "data")
    assert report["database"] == "embedded/floorwatch"
    assert report["schema_version"] == load_migrations()[-1].version
    assert report["pending_migrations"] == []
