"""The looks (ui/looks.py): colours come from the theme through the stylesheet, and the OEE
colours from the configured critical gap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from rich.color import Color
from rich.text import Text
from textual.theme import BUILTIN_THEMES

from floorwatch.config import STILL, Config
from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.models import EquipmentState, StatusChange
from floorwatch.domain.plant_time import LocalDay
from floorwatch.showcase import settle, showcase_app
from floorwatch.ui.drilldown.timeline import timeline
from floorwatch.ui.format import by_name
from floorwatch.ui.looks import FLOORWATCH_THEME, with_look_variables
from floorwatch.ui.work_center_grid import WorkCenterGrid


def _running_cell(grid: WorkCenterGrid) -> Text:
    running = next(u for u in grid.utilization if u.state is EquipmentState.PRODUCTIVE)
    cell = grid.table.get_cell(str(running.work_center_id), "state")
    assert isinstance(cell, Text)
    return cell


async def test_a_theme_chosen_while_running_recolours_the_states(showcase) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid)
        assert _running_cell(grid).style.color == Color.parse("color(2)")  # the ANSI green
        app.theme = "nord"  # as the command palette sets it
        nord_green = Color.parse("#a3be8c")
        for _ in range(100):
            if _running_cell(grid).style.color == nord_green:
                break
            await pilot.pause(0.02)
        assert _running_cell(grid).style.color == nord_green


async def test_the_oee_colours_follow_the_configured_critical_gap(showcase) -> None:
    """[alerts] oee_critical_gap_pct = 5: every work center's OEE 5 or more points under its
    target is drawn critical (the default 15 would draw those within 15 points as warning)."""
    dsn, scope = showcase
    config = Config(intervals=STILL, alerts=AlertRules(oee_critical_gap_pct=5))
    app = showcase_app(dsn, scope, config=config)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot.pause)
        grid = app.query_one(WorkCenterGrid)
        between = 0
        for wc in grid.summaries.values():
            oee, target = wc.oee_today.oee, wc.target_oee_percentage
            if oee is None or target is None:
                continue
            gap = target - oee * 100
            between += Decimal(5) <= gap < Decimal(15)
            look = "band--critical" if gap >= 5 else "band--warning" if gap > 0 else "band--good"
            cell = grid.table.get_cell(str(wc.work_center_id), "oee")
            assert isinstance(cell, Text)
            assert cell.style == grid.look(look), wc.work_center_code
        assert between > 0  # the showcase has OEE figures the two gaps colour differently


def test_without_colour_the_timeline_draws_symbols() -> None:
    """A 24-slot day (one slot an hour), running 00-12 and down 12-18, now 18:00: coloured
    blocks, or without colour (NO_COLOR) each state's symbol; the future is dots."""
    start = datetime(2026, 11, 2, tzinfo=UTC)
    day = LocalDay(local_date=start.date(), start=start, end=start + timedelta(days=1))

    def change(state: EquipmentState, hours: tuple[int, int]) -> StatusChange:
        return StatusChange(
            status=state,
            previous_status=None,
            status_start=start + timedelta(hours=hours[0]),
            status_end=start + timedelta(hours=hours[1]),
            reason_code=None,
            reason_description=None,
            production_run_number=None,
        )

    changes = [
        change(EquipmentState.PRODUCTIVE, (0, 12)),
        change(EquipmentState.BREAKDOWN, (12, 18)),
    ]
    now = start + timedelta(hours=18)

    def bar(**kw: bool) -> str:
        return timeline(changes, day, now, 24, look=by_name, **kw).plain.split("\n")[0]

    assert bar(ascii_only=False) == "█" * 18 + "·" * 6
    assert bar(ascii_only=False, colour=False) == "▶" * 12 + "✖" * 6 + "·" * 6
    assert bar(ascii_only=True, colour=False) == ">" * 12 + "X" * 6 + "." * 6
    coloured = timeline(changes, day, now, 24, look=by_name, ascii_only=False)
    looks = {span.start: span.style for span in coloured.spans}
    assert [looks[i] for i in range(18)] == ["state--running"] * 12 + ["state--down"] * 6


def test_each_theme_gives_the_looks_its_own_colours() -> None:
    nord = with_look_variables(BUILTIN_THEMES["nord"].to_color_system().generate())
    assert (nord["fw-good"], nord["fw-warning"], nord["fw-bad"]) == (
        "#A3BE8C",
        "#EACB8B",
        "#BE616A",
    )
    assert nord["fw-on-warning"] == "#000000"  # dark text on nord's light yellow
    # the 16-colour theme: the terminal's own colours, dark text on its yellow
    ansi = with_look_variables(BUILTIN_THEMES["ansi-dark"].to_color_system().generate())
    assert (ansi["fw-good"], ansi["fw-warning"], ansi["fw-bad"]) == (
        "ansi_green",
        "ansi_yellow",
        "ansi_red",
    )
    assert (ansi["fw-waiting"], ansi["fw-on-warning"]) == ("ansi_magenta", "ansi_black")
    # a theme that sets a look itself keeps it (floorwatch's own default theme)
    own = FLOORWATCH_THEME.to_color_system().generate() | FLOORWATCH_THEME.variables
    assert with_look_variables(own)["fw-good"] == "ansi_green"
