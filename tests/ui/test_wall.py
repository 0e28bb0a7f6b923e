"""The wall layout (issue 9, item 4): `--wall` / `layout = "wall"` opens it; every work center
has a tile with its whole code and its state's look; the big figures are the facility's,
worked out here from the showcase rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from textual.widgets import Digits, Static

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from floorwatch import cli
from floorwatch.config import STILL, Config
from floorwatch.domain.models import EquipmentState, Scope
from floorwatch.showcase import SHOWCASE_NOW, settle, showcase_app
from floorwatch.ui.format import STATE_LOOKS, pct
from floorwatch.ui.screens.main import MainScreen
from floorwatch.ui.screens.wall import WallScreen
from floorwatch.ui.wall.andon import (
    COMPACT,
    FRAMED,
    STATE_CLASSES,
    AndonBoard,
    AndonTile,
    tile_columns,
)
from floorwatch.ui.wall.facility import FacilityTile


def _wall(showcase: tuple[str, Scope]):  # type: ignore[no-untyped-def]
    dsn, scope = showcase
    return showcase_app(dsn, scope, config=Config(intervals=STILL, layout="wall"))


# --- choosing the layout ---


def test_wall_flag_and_config_key_choose_the_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in clean_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    parser = cli.build_parser()
    assert cli._invocation(parser.parse_args([])).config.layout == "normal"
    assert cli._invocation(parser.parse_args(["--wall"])).config.layout == "wall"
    cfg = tmp_path / "wall.toml"
    cfg.write_text('layout = "wall"\n')
    assert cli._invocation(parser.parse_args(["--config", str(cfg)])).config.layout == "wall"


def test_an_unknown_layout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    cfg = tmp_path / "tv.toml"
    cfg.write_text('layout = "tv"\n')
    r = floorwatch("check", "--config", str(cfg), env=clean_env(tmp_path), timeout=30)
    assert_clean_failure(r)
    assert f"config file {cfg}: layout: must be 'normal' or 'wall'" in r.err


async def test_the_layout_picks_the_default_screen(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    app = _wall(showcase)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        assert isinstance(app.screen, WallScreen)
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        assert isinstance(app.screen, MainScreen)


# --- the andon tiles ---


async def _codes(dsn: str, scope: Scope) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT work_center_code FROM work_centers WHERE facility_id = $1 ORDER BY 1",
            scope.facility_id,
        )
    finally:
        await conn.close()
    return [r[0] for r in rows]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_every_work_center_has_a_tile_with_its_whole_code(
    showcase: tuple[str, Scope], size: tuple[int, int]
) -> None:
    dsn, scope = showcase
    codes = await _codes(dsn, scope)
    assert len(codes) == 12
    app = _wall(showcase)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        tiles = list(app.query(AndonTile))
        assert [t.tile.code for t in tiles] == codes
        for tile in tiles:
            text = tile.query_one(".andon-text", Static)
            first_line = str(text.render()).splitlines()[0]
            assert first_line == tile.tile.code
            # the text has room for the code: nothing is cut
            assert text.content_size.width >= len(tile.tile.code)
            assert tile.region.height >= 3  # code, state and time, OEE
            assert tile.region.bottom <= size[1] - 1  # above the footer: the board fits


async def test_a_tiles_state_class_follows_the_state(showcase: tuple[str, Scope]) -> None:
    app = _wall(showcase)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        board = app.query_one(AndonBoard)
        for u, tile in zip(board.utilization, board.tiles(), strict=True):
            look = STATE_LOOKS[u.state].look
            assert tile.has_class(look)
            assert not any(tile.has_class(c) for c in STATE_CLASSES - {look})
        # the first work center breaks down: its tile turns to the down look, the others stay
        first = min(board.utilization, key=lambda u: u.work_center_code)
        broken = first.model_copy(update={"state": EquipmentState.BREAKDOWN})
        before = {t.tile.key: t.classes for t in board.tiles()[1:]}
        board._show_state([broken if u is first else u for u in board.utilization])
        await pilot.pause()
        tiles = board.tiles()
        assert tiles[0].has_class("state--down")
        assert "DOWN" in str(tiles[0].query_one(".andon-text", Static).render())
        assert {t.tile.key: t.classes for t in tiles[1:]} == before


def test_tile_columns_fit_the_screen() -> None:
    # 12 tiles on a 198x43 board: 6 across (33 wide, 2 rows of 21) beats 4 across (49 wide,
    # 3 rows of 13.7): min(33/2, 21) = 16.5 > min(49/2, 13.7) = 13.7
    assert tile_columns(12, 198, 43, FRAMED.min_width(6), FRAMED) == 6
    # a 10-character code needs 12 cells framed: 78 cells take at most 6 such tiles across
    cols = tile_columns(12, 78, 10, COMPACT.min_width(10), COMPACT)
    assert (78 - (cols - 1)) // cols >= 13  # "◌ NO MAT 9h59" and the code fit
    # a code wider than the board: one column, never more
    assert tile_columns(3, 20, 30, FRAMED.min_width(40), FRAMED) == 1


# --- the big figures ---


async def _by_hand(dsn: str, scope: Scope) -> tuple[str, str, str]:
    """Today's facility OEE and the shift's good and goal from the showcase rows, as the wall
    shows them."""
    conn = await asyncpg.connect(dsn)
    try:
        # the production day of 10:30 local (first shift at 06:00) is the calendar day
        oee = await conn.fetchrow(
            "SELECT sum(planned_production_time) AS planned, sum(total_pieces_produced) AS "
            "produced, sum(good_pieces) AS good, "
            "sum(ideal_cycle_time_seconds * total_pieces_produced) AS ideal "
            "FROM oee_calculations WHERE facility_id = $1 AND calculation_date = $2",
            scope.facility_id,
            date(2026, 11, 2),
        )
        # the shift of 10:30 local: shift 1, from 06:00 local, 8 h; its rows so far
        start = datetime(2026, 11, 2, 6, tzinfo=ZoneInfo(scope.timezone))
        shift = await conn.fetch(
            "SELECT w.production_rate_per_hour AS rate, sum(o.good_pieces) AS good, "
            "sum(o.target_oee_percentage * o.planned_production_time) "
            "/ nullif(sum(o.planned_production_time), 0) AS target "
            "FROM oee_calculations o JOIN work_centers w ON w.id = o.work_center_id "
            "WHERE o.facility_id = $1 AND o.period_start >= $2 AND o.period_start < $3 "
            "GROUP BY w.id",
            scope.facility_id,
            start,
            SHOWCASE_NOW,
        )
    finally:
        await conn.close()
    # OEE = A x P x Q = (run/planned) x (ideal/(run x 60)) x (good/produced)
    #     = ideal x good / (planned x 60 x produced), rounded half-up to a tenth of a percent
    ratio = Decimal(oee["ideal"]) * oee["good"] / (Decimal(oee["planned"]) * 60 * oee["produced"])
    shown = (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    # the shift's goal: per work center, rate x 480 min / 60 x its rows' weighted target / 100
    good = sum(r["good"] for r in shift)
    goal = sum(r["rate"] * 8 * r["target"] / 100 for r in shift if r["rate"] and r["target"])
    return f"{shown}%", f"{good:,}", f"{int(goal):,}"


async def test_the_big_figures_are_the_facilitys_by_hand(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    oee, good, goal = await _by_hand(dsn, scope)
    app = _wall(showcase)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot.pause)
        assert app.query_one("#wall-oee", Digits).value == oee
        assert app.query_one("#wall-good", Digits).value == good
        assert app.query_one("#wall-goal", Digits).value == goal
        # the same figure as the normal layout's facility summary (one query, one model)
        summary = app.query_one(FacilityTile).summary
        assert summary is not None and pct(summary.oee_today.oee) == oee


# --- the alerts ---


async def test_new_alerts_show_newest_first_until_acknowledged(
    showcase: tuple[str, Scope], tmp_path: Path
) -> None:
    dsn, scope = showcase
    config = Config(intervals=STILL, layout="wall")
    app = showcase_app(dsn, scope, config=config, state_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        new = sorted(app.alerts.new(), key=lambda a: a.started_at, reverse=True)
        assert new, "the showcase has new alerts"
        lines = str(app.query_one("#wall-alert-lines", Static).render()).splitlines()
        assert lines[0].split()[1] == new[0].work_center_code
        assert lines[-1].startswith(f"+{len(new) - (len(lines) - 1)} more new")
        assert app.query_one("#wall-alerts").has_class("-new")
        await pilot.press("a")
        await pilot.pause()
        body = str(app.query_one("#wall-alert-lines", Static).render())
        assert body.startswith("no new alerts")
        assert not app.query_one("#wall-alerts").has_class("-new")


# --- hostile text ---


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_the_wall_over_hostile_text(
    hostile: tuple[str, list[Scope]], size: tuple[int, int], tmp_path: Path
) -> None:
    """Codes, names and alert messages are data: shown as typed, never markup or escapes."""
    from ui.test_hostile_text import assert_safe

    dsn, scopes = hostile
    config = Config(intervals=STILL, layout="wall")
    app = showcase_app(dsn, scopes[0], config=config, scopes=scopes, state_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot.pause)
        assert isinstance(app.screen, WallScreen)
        wall = assert_safe(app, "wall")
        assert "[/]" in wall  # a code with markup in it, shown as typed
        await pilot.press("f")
        await pilot.pause(0.2)
        await pilot.press("down", "enter")  # another facility: new tiles
        await settle(app, pilot.pause)
        assert app.source.scope.facility_id != scopes[0].facility_id
        # the hostile data's second facility has no work centers, and the wall says so
        assert not app.query(AndonTile)
        assert "no work centers" in str(app.query_one("#andon-waiting", Static).render())
        assert_safe(app, "wall, other facility")
        assert app.return_code is None


async def test_ascii_wall_has_no_box_drawing_digits(showcase: tuple[str, Scope]) -> None:
    dsn, scope = showcase
    oee, good, goal = await _by_hand(dsn, scope)
    config = Config(intervals=STILL, layout="wall", ascii=True)
    app = showcase_app(dsn, scope, config=config)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(app, pilot.pause)
        assert not any(d.display for d in app.query(Digits) if d.parent and d.parent.display)
        assert not app.query_one(AndonBoard).roomy
        assert str(app.query_one("#wall-oee-label", Static).render()) == f"OEE TODAY  {oee}"
        label = str(app.query_one("#wall-good-label", Static).render())
        assert label == f"SHIFT GOOD / GOAL  {good} / {goal}"


async def test_another_facility_gets_its_own_tiles(
    two_facilities: tuple[str, list[Scope]], tmp_path: Path
) -> None:
    dsn, scopes = two_facilities
    first, second = scopes[0], scopes[1]
    config = Config(intervals=STILL, layout="wall")
    app = showcase_app(dsn, first, config=config, scopes=scopes, state_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        assert [t.tile.code for t in app.query(AndonTile)] == await _codes(dsn, first)
        app._switch_scope(second)
        await settle(app, pilot.pause)
        await pilot.pause(0.2)
        tiles = list(app.query(AndonTile))
        assert [t.tile.code for t in tiles] == await _codes(dsn, second)
        board = app.query_one(AndonBoard)
        assert {t.tile.key for t in tiles} == {str(u.work_center_id) for u in board.utilization}
