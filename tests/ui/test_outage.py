"""The database goes away and comes back: a real embedded server, stopped and started under a
running monitor."""

from __future__ import annotations

from pathlib import Path

import asyncpg

from floorwatch.config import Config, Intervals
from floorwatch.db import migrate
from floorwatch.db.embedded import EmbeddedServer
from floorwatch.showcase import SHOWCASE_NOW, settle, showcase_app, showcase_scopes, until
from floorwatch.sim import SimOptions, simulate
from floorwatch.ui.chrome import Banner
from floorwatch.ui.panel import Panel
from floorwatch.ui.run_list import RunList
from floorwatch.ui.trends import TrendsPanel


async def _wait_for(condition, pause) -> None:  # type: ignore[no-untyped-def]
    await until(condition, pause, within=30.0)


async def test_stale_banner_while_the_server_is_down_and_recovery(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "pg")
    server.start()
    try:
        dsn = server.admin_dsn()
        conn = await asyncpg.connect(dsn)
        await migrate.migrate(conn)
        await conn.close()
        options = SimOptions(seed=3, backfill_days=1, work_centers=4, until=SHOWCASE_NOW)
        await simulate(dsn, options)
        [scope] = await showcase_scopes(dsn)
        # the trends poll does not come due during the outage (as its default 60 s would not
        # during a 20 s one): its panel must be marked stale all the same
        fast = Intervals.injected(  # below the 1 s floor a user may set
            summary=0.5, work_centers=0.5, utilization=0.5, runs=0.5, trends=3600, alerts=0.5
        )
        app = showcase_app(dsn, scope, config=Config(intervals=fast))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot.pause)
            runs = app.query_one(RunList)
            shown = runs.table.row_count
            assert shown > 0 and app.connection.connected

            server.stop()
            banner = app.screen.query_one(Banner)
            await _wait_for(lambda: banner.display and not app.connection.connected, pilot.pause)
            assert "reconnecting" in str(banner.render())
            await _wait_for(
                lambda: all(p.has_class("-stale") for p in app.screen.query(Panel)), pilot.pause
            )
            assert runs.table.row_count == shown  # the last data stays on screen
            assert str(runs.border_subtitle).startswith("stale")
            trends = app.screen.query_one(TrendsPanel)
            [trend_poll] = trends.polls
            assert trend_poll.failures == 0  # not polled during the outage, yet stale:
            assert str(trends.border_subtitle).startswith("stale")
            trend_calls = trend_poll.calls

            server.start()
            await _wait_for(lambda: app.connection.connected and not banner.display, pilot.pause)
            await _wait_for(
                lambda: not any(p.has_class("-stale") for p in app.screen.query(Panel)),
                pilot.pause,
            )
            assert runs.table.row_count == shown
            # back: the trends are fetched again at once, not an hour later
            await _wait_for(lambda: trend_poll.calls > trend_calls, pilot.pause)
    finally:
        server.stop()
