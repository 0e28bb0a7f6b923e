"""Pilot tests: the monitor's behaviour over the showcase plant in the real test server.

Intervals are short where a test counts polls and an hour where a panel must stay quiet, so
the assertions hold with wide margins on a slow machine."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rich.text import Text

from floorwatch.acks import AckStore, login
from floorwatch.app import FloorwatchApp
from floorwatch.config import Config, Intervals
from floorwatch.db.plant import PlantData
from floorwatch.domain.models import RunStatus, RunSummary, Scope
from floorwatch.showcase import FrozenWall, settle, showcase_app, until, until_screen
from floorwatch.ui.alert_log import NEW_COLUMN, AlertPanel
from floorwatch.ui.chrome import Banner
from floorwatch.ui.panel import Panel
from floorwatch.ui.run_list import RunList
from floorwatch.ui.screens.help import HelpScreen
from floorwatch.ui.screens.work_center import WorkCenterScreen
from floorwatch.ui.work_center_grid import WorkCenterGrid

HOUR = 3600.0
FAST = 0.2  # seconds: a panel that polls several times within a test
QUIET = 1.5  # seconds a paused monitor is watched for a poll: 7 fast intervals


def _config(**seconds: float) -> Config:
    values = {name: HOUR for name in Intervals.model_fields}
    values.update(seconds)
    return Config(intervals=Intervals.injected(**values))  # below the 1 s user floor


def _calls(app: FloorwatchApp) -> dict[str, int]:
    totals: dict[str, int] = {}
    for poll in app.polls:
        if poll.owner.is_attached and poll.owner.screen is app.screen_stack[0]:
            totals[poll.name] = totals.get(poll.name, 0) + poll.calls
    return totals


async def _wait_for(condition, pause) -> None:  # type: ignore[no-untyped-def]
    await until(condition, pause, within=10.0)


async def test_each_panel_polls_on_its_own_interval(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    # utilization at five fast intervals: a stall of the loaded CI machine (seen: runs and
    # utilization 3 calls each at 0.2 s against 0.6 s) cannot even out the two
    app = showcase_app(dsn, scope, config=_config(runs=0.2, alerts=0.2, utilization=1.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await _wait_for(lambda: _calls(app)["utilization"] >= 3, pilot.pause)
        calls = _calls(app)
    # an hour's interval: polled once, at start; 0.2 s: many times; 1 s: in between
    assert calls["summary"] == calls["trends"] == calls["work_centers"] == 1
    assert calls["runs"] > calls["utilization"] and calls["alerts"] > calls["utilization"]


class HungRuns(PlantData):
    """The run list's query never answers (a lock wait, a dead network path…)."""

    async def runs(self, *args, **kwargs) -> list[RunSummary]:  # type: ignore[no-untyped-def]
        await asyncio.Event().wait()
        return []


async def test_a_hung_query_leaves_other_panels_and_keys_alive(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config(runs=0.2, alerts=0.2))
    app.source.plant_class = HungRuns
    async with app.run_test(size=(120, 40)) as pilot:
        await _wait_for(lambda: _calls(app)["alerts"] >= 3, pilot.pause)
        before = _calls(app)["alerts"]
        await _wait_for(lambda: _calls(app)["alerts"] >= before + 3, pilot.pause)
        assert _calls(app)["runs"] == 1  # still waiting on its first answer, not piling up
        await pilot.press("question_mark")
        await until_screen(app, HelpScreen, pilot.pause)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")


def _blinks(cell: object) -> bool:
    """Whether a table cell carries the blink attribute (the new-alert mark)."""
    if not isinstance(cell, Text):
        return False
    styles = [str(cell.style), *(str(span.style) for span in cell.spans)]
    return any("blink" in style for style in styles)


async def test_new_alerts_blink_until_acknowledged_and_acks_survive_restart(
    showcase: tuple[str, Scope], tmp_path: Path
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, state_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        panel = app.query_one(AlertPanel)
        grid = app.query_one(WorkCenterGrid)
        new = app.alert_log.new()
        assert new, "the showcase plant has active alerts"
        assert panel.has_class("-new")
        column = NEW_COLUMN
        first = new[0]
        wc_key = str(first.work_center_id)
        assert _blinks(panel.table.get_cell(first.key, column))
        assert _blinks(grid.table.get_cell(wc_key, "code"))  # the work center's `!`
        await pilot.press("a")
        await _wait_for(
            lambda: not app.alert_log.new() and not panel.has_class("-new"), pilot.pause
        )
        assert not _blinks(panel.table.get_cell(first.key, column))
        assert grid.table.get_cell(wc_key, "code") == first.work_center_code
    acks = AckStore(tmp_path, scope).load()
    assert set(acks) == {a.key for a in new}
    assert {a.by for a in acks.values()} == {login()}  # who, and when: the app's clock
    assert {a.at for a in acks.values()} == {app.now()}
    again = showcase_app(dsn, scope, state_dir=tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot.pause)
        assert again.alert_log.new() == [] and not again.query_one(AlertPanel).has_class("-new")


async def test_acknowledging_the_selected_alert_only(
    showcase: tuple[str, Scope], tmp_path: Path
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, state_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        before = len(app.alert_log.new())
        panel = app.query_one(AlertPanel)
        panel.table.focus()
        await _wait_for(lambda: panel.table.has_focus, pilot.pause)
        selected = panel.selected_alert()
        await pilot.press("a")
        await _wait_for(lambda: len(app.alert_log.new()) < before, pilot.pause)
        assert len(app.alert_log.new()) == before - 1
        assert selected in app.alert_log.acknowledged


async def test_pause_stops_all_polling(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config(**dict.fromkeys(Intervals.model_fields, FAST)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("p")
        await _wait_for(lambda: not any(p.in_flight for p in app.polls), pilot.pause)
        banner = app.screen.query_one(Banner)
        assert banner.display and "PAUSED" in str(banner.render())
        frozen = _calls(app)
        await pilot.pause(QUIET)  # every panel would have polled several times by now
        assert _calls(app) == frozen
        await pilot.press("p")
        # and polling resumes: every panel polls again
        await _wait_for(lambda: all(_calls(app)[n] > frozen[n] for n in frozen), pilot.pause)
        assert not banner.display


async def test_slash_filters_the_run_list(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        runs = app.query_one(RunList)
        everything = runs.table.row_count
        await pilot.press("slash")
        await pilot.press(*"DIG-02")
        await _wait_for(lambda: runs.needle == "DIG-02", pilot.pause)
        shown = runs.visible_runs()
        assert 0 < len(shown) < everything == len(runs.runs)
        assert all(r.work_center_code == "DIG-02" for r in shown)
        assert runs.table.row_count == len(shown)
        await pilot.press("escape")
        await _wait_for(lambda: runs.table.row_count == everything, pilot.pause)


async def test_status_filter_cycles(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        runs = app.query_one(RunList)
        runs.table.focus()
        await pilot.press("t")  # all -> active
        await _wait_for(lambda: runs.status_filter == 1, pilot.pause)
        shown = runs.visible_runs()
        assert shown and all(r.status == RunStatus.IN_PROGRESS for r in shown)


async def test_hidden_screen_does_not_poll_and_drill_down_does(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=_config(runs=0.2, utilization=0.2))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        app.query_one("#work-center-table").focus()
        await pilot.press("enter")
        await until_screen(app, WorkCenterScreen, pilot.pause)
        main_polls = [p for p in app.polls if p.owner.screen is app.screen_stack[0]]
        await _wait_for(lambda: not any(p.in_flight for p in main_polls), pilot.pause)
        main_calls = _calls(app)
        drill = [p for p in app.polls if p.owner.screen is app.screen and p.name == "recent_runs"]
        drill_before = drill[0].calls
        # the drill-down's 0.2 s poll answers five more times: the main screen's would have too
        await _wait_for(lambda: drill[0].calls >= drill_before + 5, pilot.pause)
        assert _calls(app) == main_calls
        await pilot.press("escape")
        await _wait_for(lambda: _calls(app)["runs"] > main_calls["runs"], pilot.pause)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_all_five_panels_visible(showcase: tuple[str, Scope], size) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        panels = {p.id: p.region for p in app.screen.query(Panel)}
        assert set(panels) == {"summary", "work-centers", "runs", "trends", "alerts"}
        width, height = size
        for name, region in panels.items():
            assert region.height >= 5, name
            assert region.right <= width and region.bottom <= height - 1, name
        regions = list(panels.values())
        for i, a in enumerate(regions):
            for b in regions[i + 1 :]:
                assert not a.overlaps(b)


async def test_q_quits(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("q")
        await _wait_for(lambda: not app.is_running, pilot.pause)


async def test_ages_show_in_panel_borders(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    wall = FrozenWall()
    app = showcase_app(dsn, scope, wall=wall)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        summary = app.query_one("#summary", Panel)
        assert summary.border_subtitle == "0s ago"
        wall.seconds = 125
        summary.refresh_age(wall(), app.paused)
        assert summary.border_subtitle == "2m ago"
        wall.seconds = 2 * HOUR
        summary.polls[0].interval = 30  # a 30 s summary two hours old is long overdue
        summary.refresh_age(wall(), app.paused)
        assert summary.border_subtitle == "stale 2h00" and summary.has_class("-stale")


async def test_kiosk_shows_the_worst_work_center_and_returns(showcase: tuple[str, Scope]) -> None:
    """One facility: the drill-down of the lowest OEE today, back, and again. In the showcase
    plant that is DIE-01 (OEE 42 %; the others 47 % to 77 %, see the main-screen snapshot)."""
    dsn, scope = showcase
    config = _config().model_copy(update={"kiosk_seconds": 0.5})
    app = showcase_app(dsn, scope, config=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        grid = app.screen_stack[0].query_one(WorkCenterGrid)
        codes = {u.work_center_id: u.work_center_code for u in grid.utilization}

        def drilled_into() -> str | None:
            screen = app.screen
            return codes[screen.work_center_id] if isinstance(screen, WorkCenterScreen) else None

        seen = [drilled_into()]

        def three_steps() -> bool:
            if drilled_into() != seen[-1]:
                seen.append(drilled_into())
            return len(seen) == 4

        await _wait_for(three_steps, pilot.pause)
    # the first step may come before the screen has settled: then it starts drilled in
    assert seen in ([None, "DIE-01", None, "DIE-01"], ["DIE-01", None, "DIE-01", None])


async def test_kiosk_cycles_the_facilities_in_order(
    two_facilities: tuple[str, list[Scope]],
) -> None:
    """Several facilities: the next one in the directory's order each step, wrapping round."""
    dsn, scopes = two_facilities
    first, second = scopes
    config = _config().model_copy(update={"kiosk_seconds": 1.0})
    app = showcase_app(dsn, first, config=config, scopes=scopes)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = [app.source.scope.facility_name]  # a second before the first step

        def three_steps() -> bool:
            if app.source.scope.facility_name != shown[-1]:
                shown.append(app.source.scope.facility_name)
            return len(shown) == 4

        await _wait_for(three_steps, pilot.pause)
    names = [first.facility_name, second.facility_name]
    assert names[0] != names[1]
    assert shown == [names[0], names[1], names[0], names[1]]
