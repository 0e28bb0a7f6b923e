"""The shift screen (`h`): the handover table of the current shift and the one before, and
← / → stepping a shift at a time, on the one-press plant (tests/ui/shift_plant.py).

Current shift 2026-11-02/1 as of 09:30: planned 120 + 20 + 70 = 210 min; target 3,600/h x
210 / 60 = 12,600; actual 9,000, pace 9,000 / 12,600 = 71.4 %; good 8,550; scrap (450 + 0) /
9,000 = 5.0 %; down 20m; OEE = 8,550 x 1 s / (210 x 60 s) = 67.9 %; the top loss: slow cycles
190 - 9,000 / 60 = 40 min, more than the 20 of the web break and the 7.5 of scrap. Goal:
3,600/h x 8 h x 85 % = 24,480.
The night before (2026-11-01/3, closed): target 28,800, actual and good 24,000 (83 %), no
downtime, OEE 24,000 / 28,800 = 83 %, slow cycles 480 - 400 = 80 min."""

from __future__ import annotations

from floorwatch.screenshots import settle, showcase_app, until_screen
from floorwatch.ui.screens.shift import ShiftScreen
from floorwatch.ui.shift.panel import ShiftPanel
from ui.screen_text import screen_lines
from ui.shift_plant import build_shift_plant

COLUMNS = ("wc", "target", "actual", "pace", "good", "scrap", "down", "oee", "top")


def row(panel: ShiftPanel, key: str) -> tuple[str, ...]:
    return tuple(panel.table.get_cell(key, c).plain for c in COLUMNS)  # type: ignore[union-attr]


async def test_the_shift_screen_shows_this_shift_and_the_one_before(db_dsn: str) -> None:
    scope = await build_shift_plant(db_dsn)
    app = showcase_app(db_dsn, scope)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("h")
        await until_screen(app, ShiftScreen, pilot.pause)
        await settle(app, pilot.pause)
        shown = app.screen.query_one("#shift-shown", ShiftPanel)
        before = app.screen.query_one("#shift-before", ShiftPanel)
        [press] = [k.value for k in shown.table.rows if k.value != "facility"]
        assert row(shown, press) == (
            "PRESS-1", "12,600", "9,000", "71%", "8,550", "5.0%", "20m", "68%", "slow cycles",
        )  # fmt: skip
        assert row(shown, "facility")[1:] == row(shown, press)[1:]  # one work center: its sums
        assert row(shown, "facility")[0] == "ALL"
        assert row(before, press) == (
            "PRESS-1", "28,800", "24,000", "83%", "24,000", "0.0%", "0m", "83%", "slow cycles",
        )  # fmt: skip
        text = "\n".join(screen_lines(app))
        assert "Shift 2026-11-02/1 06:00-14:00 · as of 09:30 · good 8,550 / goal 24,480" in text
        assert "Shift 2026-11-01/3 22:00-06:00 · closed · good 24,000 / goal 24,480" in text

        await pilot.press("left")  # a shift earlier: the night shift and the evening before
        await settle(app, pilot.pause)
        text = "\n".join(screen_lines(app))
        assert "Shift 2026-11-01/3 22:00-06:00 · closed" in text
        assert "Shift 2026-11-01/2 14:00-22:00 · closed · good 0" in text
        assert row(shown, press)[1:3] == ("28,800", "24,000")
        await pilot.press("right", "right")  # back to the current shift, and no further
        await settle(app, pilot.pause)
        assert row(shown, press)[1] == "12,600"
        assert app.screen.back == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, ShiftScreen)


async def test_stepping_back_stops_after_seven_days(db_dsn: str) -> None:
    scope = await build_shift_plant(db_dsn)
    app = showcase_app(db_dsn, scope)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("h")
        await until_screen(app, ShiftScreen, pilot.pause)
        screen = app.screen
        assert isinstance(screen, ShiftScreen)
        assert screen.max_back == 7 * 3
        for _ in range(screen.max_back + 2):
            await pilot.press("left")
        await settle(app, pilot.pause)
        assert screen.back == 21
        # 21 shifts (7 days) before 2026-11-02/1 is 2026-10-26/1; the one before it 10-25/3
        text = "\n".join(screen_lines(app))
        assert "Shift 2026-10-26/1 06:00-14:00 · closed" in text
