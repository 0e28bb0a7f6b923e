"""Screens as pictures (pytest-textual-snapshot): the showcase plant, a frozen clock, no
animation, every panel's first poll answered before the picture is taken."""

from __future__ import annotations

import asyncio

import pytest
from textual.pilot import Pilot

from floorwatch.app import FloorwatchApp
from floorwatch.config import STILL, Config
from floorwatch.domain.models import Scope
from floorwatch.showcase import settle, showcase_app, until_all_failed, until_screen
from floorwatch.ui import poller
from floorwatch.ui.screens.work_center import WorkCenterScreen
from ui.conftest import refuse_connections

HOUR = 3600.0


async def _settled(pilot: Pilot[int]) -> None:
    await settle(pilot.app, pilot.pause)  # type: ignore[arg-type]


def _app(showcase: tuple[str, Scope]) -> FloorwatchApp:
    dsn, scope = showcase
    return showcase_app(dsn, scope)


@pytest.mark.parametrize("size", [(80, 24), (160, 48), (200, 60)])
def test_main_screen(snap_compare, showcase, size) -> None:
    assert snap_compare(_app(showcase), run_before=_settled, terminal_size=size)


def test_drill_down(snap_compare, showcase) -> None:
    async def open_worst(pilot: Pilot[int]) -> None:
        await _settled(pilot)
        pilot.app.query_one("#work-center-table").focus()
        await pilot.press("down", "down", "enter")
        await until_screen(pilot.app, WorkCenterScreen, pilot.pause)  # type: ignore[arg-type]
        await _settled(pilot)

    assert snap_compare(_app(showcase), run_before=open_worst, terminal_size=(120, 40))


def test_help(snap_compare, showcase) -> None:
    async def open_help(pilot: Pilot[int]) -> None:
        await _settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)

    assert snap_compare(_app(showcase), run_before=open_help, terminal_size=(100, 32))


def test_new_alert_marks(snap_compare, showcase) -> None:
    """New alerts: NEW marks and the work centers' `!` (blinking on a terminal), heavy border."""
    assert snap_compare(_app(showcase), run_before=_settled, terminal_size=(120, 36))


def test_disconnected(snap_compare, admin_dsn, closed_showcase, monkeypatch) -> None:
    """The server refuses the database: panels keep their data, marked stale, and the banner
    says reconnecting."""
    dsn, _ = closed_showcase
    # no retry within the test: until_all_failed holds each poll at its first failure, but a
    # stall of the loaded CI machine longer than the first 1 s backoff let one poll retry
    # before it was held, and the picture said "attempt 2"
    monkeypatch.setattr(poller, "backoff", lambda failures: HOUR)

    async def disconnect(pilot: Pilot[int]) -> None:
        await _settled(pilot)
        await asyncio.wait_for(refuse_connections(admin_dsn, dsn), 10)
        app: FloorwatchApp = pilot.app  # type: ignore[assignment]
        await pilot.press("r")
        await until_all_failed(app, pilot.pause)
        await app.workers.wait_for_complete()
        app.refresh_chrome()
        await pilot.pause(0.1)

    assert snap_compare(_app(closed_showcase), run_before=disconnect, terminal_size=(100, 30))


def test_plain_ascii_without_colour(snap_compare, showcase, monkeypatch) -> None:
    """--ascii with NO_COLOR at 80x24: old terminals, GNU screen, monochrome wall displays."""
    monkeypatch.setenv("NO_COLOR", "1")
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=Config(intervals=STILL, ascii=True))
    assert snap_compare(app, run_before=_settled, terminal_size=(80, 24))


def test_another_theme_recolours_the_states(snap_compare, showcase) -> None:
    """--theme nord: states, OEE bands, run statuses, severities and the connection take the
    theme's own colours (nord's green #a3be8c, yellow #ebcb8b, red #bf616a), not the ANSI
    colours of floorwatch's default theme."""
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=Config(intervals=STILL, theme="nord"))
    assert snap_compare(app, run_before=_settled, terminal_size=(120, 36))
