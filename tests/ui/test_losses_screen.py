"""The losses screen (`l`) and a work center's losses in its drill-down, on the one-press plant
(tests/ui/shift_plant.py) with a cutter added; figures by hand (README: Numbers).

Shift 2026-11-02/1 as of 09:30 (and today, the production day from 06:00, is the same):
- PRESS-1: productive 120 + 70 = 190, the 20-minute web break; planned 210. Slow cycles 190 -
  9,000 pieces x 1 s / 60 = 40; scrap 450 x 1 s = 7.5 min (shown 8); fully productive 8,550 x
  1 s = 142.5 (143).
- CUT-1: a 30-minute jam, then productive from 06:30: 180; planned 210; 3,000 good at 3 s =
  150 min ideal: slow cycles 30, fully productive 150.
- Facility: unplanned 20 + 30 = 50 (11.9 % of 420), slow 70, scrap 7.5, fully productive
  292.5 (293), planned 420; Pareto JAM 30 min (60 %), WEB 20 (40 %, cumulative 100 %).
7 days add the night shift before (PRESS-1, 480 productive min, 24,000 good = 400 ideal):
slow 70 + 80 = 150, fully productive 292.5 + 400 = 692.5 (693), planned 900."""

from __future__ import annotations

from datetime import date

import asyncpg

from db.plant_builder import PlantBuilder
from floorwatch.domain.models import Scope
from floorwatch.screenshots import settle, showcase_app, until_screen
from floorwatch.ui.losses.panel import LossesPanel
from floorwatch.ui.messages import OpenWorkCenter
from floorwatch.ui.screens.losses import LossesScreen
from floorwatch.ui.screens.work_center import WorkCenterScreen
from ui.shift_plant import build_shift_plant, t

LOSS_CELLS = ("min0", "share0", "min1", "share1", "min2", "share2")


async def _with_a_cutter(dsn: str) -> tuple[Scope, dict[str, str]]:
    scope = await build_shift_plant(dsn)
    conn = await asyncpg.connect(dsn)
    try:
        b = PlantBuilder(conn)
        cut = await b.work_center(scope, "CUT-1", rate=1200)  # 3 s a piece
        await b.status(
            scope, cut, "NON_PRODUCTIVE_BREAKDOWN", t(2, 6), t(2, 6, 30),
            reason_code="JAM", reason_description="knife jam",
        )  # fmt: skip
        await b.status(scope, cut, "PRODUCTIVE", t(2, 6, 30))
        await b.oee(
            scope, cut, day=date(2026, 11, 2), shift="1", start=t(2, 6), planned=210,
            downtime=30, produced=3_000, good=3_000, ict=3,
            extra={"scrap_pieces": 0, "rework_pieces": 0},
        )  # fmt: skip
        codes = await conn.fetch("SELECT id, work_center_code FROM work_centers")
    finally:
        await conn.close()
    return scope, {r["work_center_code"]: r["id"] for r in codes}


def cells(panel: LossesPanel, key: str) -> tuple[str, ...]:
    table = panel.query_one(".loss-table")
    return tuple(table.get_cell(key, c).plain for c in LOSS_CELLS)  # type: ignore[attr-defined]


def pareto(panel: LossesPanel) -> list[tuple[str, ...]]:
    table = panel.query_one(".pareto-table")
    columns = ("reason", "description", "minutes", "stops", "share", "cumulative")
    return [
        tuple(table.get_cell(row.key, c).plain for c in columns)  # type: ignore[attr-defined]
        for row in table.ordered_rows  # type: ignore[attr-defined]
    ]


async def test_the_losses_screen_and_the_drill_down_by_hand(db_dsn: str) -> None:
    scope, wc = await _with_a_cutter(db_dsn)
    app = showcase_app(db_dsn, scope)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot.pause)
        await pilot.press("l")
        await until_screen(app, LossesScreen, pilot.pause)
        await settle(app, pilot.pause)
        panel = app.screen.query_one(LossesPanel)
        assert cells(panel, "unplanned_stops") == ("50", "11.9%", "50", "11.9%", "50", "5.6%")
        assert cells(panel, "planned_stops") == ("0", "0.0%") * 3
        assert cells(panel, "slow_cycles") == ("70", "16.7%", "70", "16.7%", "150", "16.7%")
        assert cells(panel, "scrap")[::2] == ("8", "8", "8")
        assert cells(panel, "fully_productive")[::2] == ("293", "293", "693")
        assert cells(panel, "planned") == ("420", "100.0%", "420", "100.0%", "900", "100.0%")
        assert pareto(panel) == [
            ("JAM", "knife jam", "30", "1", "60.0%", "60.0%"),
            ("WEB", "web break", "20", "1", "40.0%", "100.0%"),
        ]
        await pilot.press("w", "w")  # the Pareto of the 7 days: the same two stops
        await pilot.pause()
        caption = panel.query_one(".pareto-caption").render()
        assert "7 days" in str(caption)
        assert [r[0] for r in pareto(panel)] == ["JAM", "WEB"]
        await pilot.press("escape")

        app.post_message(OpenWorkCenter(wc["PRESS-1"]))
        await until_screen(app, WorkCenterScreen, pilot.pause)
        await settle(app, pilot.pause)
        press = app.screen.query_one(LossesPanel)
        assert press.id == "wc-losses"
        assert cells(press, "unplanned_stops")[:2] == ("20", "9.5%")  # 20 of 210
        assert cells(press, "slow_cycles")[::2] == ("40", "40", "120")
        assert cells(press, "fully_productive")[::2] == ("143", "143", "543")
        assert pareto(press) == [("WEB", "web break", "20", "1", "100.0%", "100.0%")]
