"""Text from the database is data: every screen over a plant whose every text column is hostile
(tests/hostile.py) renders without a crash, shows markup as typed, runs no action, and sends
no escape sequence of the data to the terminal."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from rich.console import Console

from floorwatch.app import FloorwatchApp
from floorwatch.domain.models import Scope
from floorwatch.showcase import settle, showcase_app, until_screen
from floorwatch.text import PLACEHOLDER
from floorwatch.ui.screens.facility_picker import FacilityPicker
from floorwatch.ui.screens.help import HelpScreen
from floorwatch.ui.screens.losses import LossesScreen
from floorwatch.ui.screens.shift import ShiftScreen
from floorwatch.ui.screens.work_center import WorkCenterScreen
from hostile import ESCAPES

# What Rich itself writes when it paints a screen: colours and styles (SGR) and cursor moves.
OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*m|\x1b\[\d+;\d+H")


def screen_output(app: FloorwatchApp) -> tuple[str, str]:
    """(plain text, raw terminal output) of the current screen, painted as a terminal gets it."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    return console.export_text(styles=False), raw


def click_actions(app: FloorwatchApp) -> list[str]:
    """The @click actions anywhere on the screen (markup in data would add some)."""
    actions = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            meta = segment.style.meta if segment.style else {}
            if "@click" in meta:
                actions.append(str(meta["@click"]))
    return actions


def assert_safe(app: FloorwatchApp, where: str) -> str:
    text, raw = screen_output(app)
    for name, sequence in ESCAPES.items():
        assert sequence not in raw, f"{where}: {name} from the data reached the terminal"
    leftover = OWN_SEQUENCES.sub("", raw)
    assert "\x1b" not in leftover, f"{where}: an escape besides Rich's own: {leftover!r:.300}"
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in leftover), f"{where}: a C1 control"
    for action in click_actions(app):
        assert "screenshot" not in action and "quit" not in action, (where, action)
    assert app.return_code is None, f"{where}: the monitor exited"
    return text


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_screen_over_hostile_text(
    hostile: tuple[str, list[Scope]], size: tuple[int, int], tmp_path: Path
) -> None:
    dsn, scopes = hostile
    odd_dir = tmp_path / "dir[/]x\x1b]52;c;QQ==\x07"
    odd_dir.mkdir(parents=True)  # "dir[" then "]x…": the path reads dir[/]x…
    cwd = Path.cwd()
    os.chdir(odd_dir)  # export writes here; a click on a name must write nothing here
    try:
        app = showcase_app(dsn, scopes[0], scopes=scopes, state_dir=tmp_path / "state")
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot.pause)
            main = assert_safe(app, "main screen")
            assert "[@cli" in main  # markup is shown as typed
            assert PLACEHOLDER in main  # escapes are visibly replaced, not silently dropped
            # a figure too wide for its cell is an overflow mark, never its first digits
            assert "####" in main
            assert "2147" not in main and "2,147" not in main
            if size[0] >= 160:
                assert "[/]" in main
                assert "[bold red]X[/]" in main

            await pilot.press("slash", *"x[/]")
            await pilot.pause(0.1)
            assert 'x[/]"' in assert_safe(app, "run filter")
            await pilot.press("escape", "t", "s")

            for y in range(2, size[1] - 2, 3):  # clicks on names, codes and runs
                for x in range(5, size[0], 20):
                    await pilot.click(offset=(x, y))
                    assert app.return_code is None
                    while len(app.screen_stack) > 1:  # a click on a row opens its drill-down
                        await pilot.press("escape")
                        await pilot.pause(0.05)
            assert not any(odd_dir.iterdir()), "a click on database text did something"

            app.query_one("#work-center-table").focus()
            await pilot.press("e")
            await pilot.pause(0.2)
            exported = list(odd_dir.glob("floorwatch-work-center-*.csv"))
            assert len(exported) == 1
            assert "[/]" in exported[0].read_text("utf-8")

            app.query_one("#work-center-table").focus()
            await pilot.press("enter")
            await until_screen(app, WorkCenterScreen, pilot.pause)
            await settle(app, pilot.pause)
            assert isinstance(app.screen, WorkCenterScreen)
            assert_safe(app, "drill-down")
            await pilot.press("escape")

            for key, screen, where in (("h", ShiftScreen, "shifts"), ("l", LossesScreen, "losses")):
                await pilot.press(key)  # codes, names and reasons of the handover and Pareto
                await until_screen(app, screen, pilot.pause)
                await settle(app, pilot.pause)
                assert isinstance(app.screen, screen)
                assert_safe(app, where)
                await pilot.press("escape")

            await pilot.press("question_mark")
            await until_screen(app, HelpScreen, pilot.pause)
            assert isinstance(app.screen, HelpScreen), (app.screen, app.focused)
            assert_safe(app, "help")
            await pilot.press("escape")

            await pilot.press("f")
            await until_screen(app, FacilityPicker, pilot.pause)
            assert isinstance(app.screen, FacilityPicker), (app.screen, app.focused)
            picker = assert_safe(app, "facility picker")
            assert "[/]Mars base" in picker and "[/]MARS" in picker
            await pilot.press("escape")
            await pilot.pause(0.1)
            assert app.return_code is None
    finally:
        os.chdir(cwd)


async def test_rows_stay_aligned_with_wide_and_combining_text(
    hostile: tuple[str, list[Scope]],
) -> None:
    """CJK and emoji take two cells, a combining accent none: every line of the screen is
    exactly the terminal's width, so no column is shifted."""
    from rich.cells import cell_len

    dsn, scopes = hostile
    app = showcase_app(dsn, scopes[0], scopes=scopes)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot.pause)
        text, _ = screen_output(app)
    lines = text.splitlines()
    assert any("印刷機" in line for line in lines) or any("👨" in line for line in lines)
    assert {cell_len(line) for line in lines} == {160}


async def test_a_dropped_database_with_a_hostile_name_in_the_banner(admin_dsn: str) -> None:
    """The server's own message quotes the database's name; a name with markup and an escape
    in it is shown as typed (it crashed the banner with a MarkupError)."""
    from urllib.parse import quote

    import asyncpg

    from databases import with_database
    from floorwatch.config import Config, Intervals
    from floorwatch.showcase import load_showcase
    from floorwatch.ui.chrome import Banner

    name = f"fw[/]x{ESCAPES['clipboard (OSC 52)']}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        dsn = with_database(admin_dsn, quote(name, safe=""))
        scope = await load_showcase(dsn)
        fast = Intervals.model_construct(
            **{panel: 0.5 for panel in Intervals.model_fields}  # test cadence, below the floor
        )
        app = showcase_app(dsn, scope, config=Config(intervals=fast))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot.pause)
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            banner = app.screen.query_one(Banner)
            for _ in range(300):
                if banner.display and "fw[/]x" in str(banner.render()):
                    break
                await pilot.pause(0.1)
            shown = str(banner.render())
            assert "fw[/]x" in shown and PLACEHOLDER in shown, shown
            assert_safe(app, "banner")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
