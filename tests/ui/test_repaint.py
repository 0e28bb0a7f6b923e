"""What a refresh repaints (issue #13): an alert or shift poll repaints the panels that show
it, not the whole screen; the grid is filled once for the polls that arrive together; the line
under a table does not lay the screen out again when a refresh shortens it; a panel's new age
repaints the line of its border that shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.text import Text
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen

from floorwatch.domain.models import Scope
from floorwatch.panels import UTILIZATION, WORK_CENTERS
from floorwatch.showcase import SHOWCASE_NOW, FrozenWall, settle, showcase_app
from floorwatch.ui.summary import SummaryPanel
from floorwatch.ui.table import RowDetail, Table
from floorwatch.ui.work_center_grid import WorkCenterGrid
from ui.screen_text import screen_lines


def _count(monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> list[int]:
    calls = [0]
    original = getattr(owner, name)

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


async def test_an_alert_or_shift_poll_does_not_repaint_the_whole_screen(
    showcase: tuple[str, Scope], monkeypatch: pytest.MonkeyPatch
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot.pause)
        await pilot.pause()
        full = _count(monkeypatch, Compositor, "render_full_update")
        data = await app.source.data()
        polls = {p.name: p for p in app.polls}
        earlier = SHOWCASE_NOW - timedelta(minutes=5)
        for moment in (earlier, SHOWCASE_NOW, earlier):
            for name in ("alerts", "shift"):
                polls[name].apply(await polls[name].fetch(data, moment))
            await pilot.pause()
        assert app.alerts.alerts  # the showcase has alerts: the log was published again
        assert full[0] == 0


async def test_the_grid_is_filled_once_for_the_polls_that_arrive_together(
    showcase: tuple[str, Scope], monkeypatch: pytest.MonkeyPatch
) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot.pause)
        grid = app.screen.query_one(WorkCenterGrid)
        fills = _count(monkeypatch, WorkCenterGrid, "render_rows")
        data = await app.source.data()
        polls = {p.name: p for p in app.polls}
        earlier = SHOWCASE_NOW - timedelta(minutes=5)
        results = [
            (polls[n], await polls[n].fetch(data, earlier))
            for n in ("shift", UTILIZATION.name, WORK_CENTERS.name)
        ]
        for poll, result in results:
            poll.apply(result)
        await pilot.pause()
        assert fills[0] == 1
        # and what it shows is the data of all three
        assert grid.utilization and grid.summaries and grid.pace


class _Detail(App[None]):
    CSS = ".row-detail { height: auto; max-height: 3; }"

    def compose(self) -> ComposeResult:
        yield Table(id="t")
        yield RowDetail(id="d")


async def test_a_shorter_detail_on_a_refresh_keeps_its_height_and_lays_nothing_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _Detail()
    long = Text("a long alert message " * 9)  # three lines at 80 columns
    short = Text("one line")
    async with app.run_test(size=(80, 20)) as pilot:
        detail = app.query_one(RowDetail)
        detail.show(short)
        await pilot.pause()
        assert detail.size.height == 1
        detail.show(long)  # more room needed: it grows
        await pilot.pause()
        assert detail.size.height == 3
        layouts = _count(monkeypatch, Screen, "_refresh_layout")
        detail.show(short)  # a refresh: the table above stays where it is
        await pilot.pause()
        assert (layouts[0], detail.size.height) == (0, 3)
        assert detail.render().plain == "one line"  # type: ignore[union-attr]
        detail.show(short, shrink=True)  # the user moved to another row
        await pilot.pause()
        assert detail.size.height == 1


async def test_a_new_age_repaints_the_bottom_line_of_the_border_only(
    showcase: tuple[str, Scope],
) -> None:
    dsn, scope = showcase
    wall = FrozenWall()
    app = showcase_app(dsn, scope, wall=wall)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await pilot.pause()
        panel = app.screen.query_one(SummaryPanel)
        region = panel.region
        assert "0s ago" in screen_lines(app)[region.bottom - 1]
        wall.seconds = 20
        app._tick()
        # what the screen repaints for it: the panel's bottom line, not the whole panel
        assert panel._dirty_regions == {Region(0, region.height - 1, region.width, 1)}
        await pilot.pause()
        bottom = screen_lines(app)[region.bottom - 1]
        assert "20s ago" in bottom and "0s ago" not in bottom.replace("20s ago", "")
