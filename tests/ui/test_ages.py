"""Honest ages, on an injected wall clock: paused data says paused (never stale for its age
alone), the outage banner counts from the outage's first failed poll, and each panel's border
says how old its own data is."""

from __future__ import annotations

import asyncio

from floorwatch.config import Config, Intervals
from floorwatch.domain.models import Scope
from floorwatch.showcase import FrozenWall, settle, showcase_app, until, until_all_failed
from floorwatch.ui.alert_log import AlertPanel
from floorwatch.ui.chrome import Banner
from floorwatch.ui.panel import Panel
from floorwatch.ui.run_list import RunList
from floorwatch.ui.summary import SummaryPanel
from ui.conftest import refuse_connections

INTERVAL = 30.0  # every panel: stale after 2 x 30 + 5 = 65 s without an answer


def _config() -> Config:
    return Config(intervals=Intervals.injected(**dict.fromkeys(Intervals.model_fields, INTERVAL)))


async def _wait_for(condition, pause) -> None:  # type: ignore[no-untyped-def]
    await until(condition, pause, within=15.0)


async def test_paused_for_longer_than_two_intervals_says_paused_not_stale(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    wall = FrozenWall()
    app = showcase_app(dsn, scope, config=_config(), wall=wall)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("p")
        wall.seconds = 200  # 3m 20s: past 65 s, a late poll would be stale
        app._tick()
        panels = list(app.screen.query(Panel))
        assert len(panels) == 5
        for panel in panels:
            assert panel.border_subtitle == "paused, 3m old", panel.id
            assert not panel.has_class("-stale"), panel.id


async def test_the_alert_panel_shows_the_age_of_the_apps_alerts_poll(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    wall = FrozenWall()
    app = showcase_app(dsn, scope, config=_config(), wall=wall)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        panel = app.query_one(AlertPanel)
        assert panel.polls == [] and panel.border_subtitle == "0s ago"
        wall.seconds = 20
        app._tick()
        assert panel.border_subtitle == "20s ago"
        wall.seconds = 100  # the 30 s alert poll has not answered for 100 s (it is frozen)
        app._tick()
        assert panel.border_subtitle == "stale 1m" and panel.has_class("-stale")


async def test_the_outage_banner_counts_from_the_first_failed_poll_and_borders_keep_their_own_ages(
    admin_dsn: str, closed_showcase: tuple[str, Scope]
) -> None:
    dsn, scope = closed_showcase
    wall = FrozenWall()
    app = showcase_app(dsn, scope, config=_config(), wall=wall)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)  # every panel fetched at wall 0
        runs = app.query_one(RunList)
        wall.seconds = 60
        runs.poll_now()  # the run list fetched again at 60
        await _wait_for(lambda: runs.polls[0].fetched_at == 60, pilot.pause)

        wall.seconds = 100  # the database goes away; the first failed poll is at 100
        await asyncio.wait_for(refuse_connections(admin_dsn, dsn), 10)
        await pilot.press("r")
        await until_all_failed(app, pilot.pause)
        assert app.outage_since == 100

        wall.seconds = 180
        app._tick()
        banner = app.screen.query_one(Banner)
        text = banner.render().plain
        # 180 - 100 = 80 s unreachable, not the 180 s age of the oldest panel's data
        assert text.startswith("DATABASE UNREACHABLE for 1m 20s, reconnecting (attempt 1)")
        assert "3m" not in text
        # each border: its own data's age; the run list 180 - 60 = 120 s, the summary 180 s
        assert runs.border_subtitle == "stale 2m"
        assert app.query_one(SummaryPanel).border_subtitle == "stale 3m"


async def test_an_outage_before_any_data_says_no_data_yet(
    admin_dsn: str, closed_showcase: tuple[str, Scope]
) -> None:
    """Refused from the start: no border has an age to point at, so the banner says so."""
    dsn, scope = closed_showcase
    await asyncio.wait_for(refuse_connections(admin_dsn, dsn), 10)
    app = showcase_app(dsn, scope, config=_config(), wall=FrozenWall())
    async with app.run_test(size=(120, 40)) as pilot:
        await until_all_failed(app, pilot.pause)
        app._tick()
        text = app.screen.query_one(Banner).render().plain
        assert text.startswith("DATABASE UNREACHABLE")
        assert text.endswith(". No data yet.")
        assert "border says how old" not in text
