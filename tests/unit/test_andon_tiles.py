"""Andon tiles: an inactive work center is OFF on the wall as in the grid (one definition,
ui/format.work_center_state_text)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from floorwatch.domain.models import EquipmentState, WorkCenterUtilization
from floorwatch.ui.wall.andon import _look, tile_data, tile_text

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _utilization(code: str, *, active: bool) -> WorkCenterUtilization:
    return WorkCenterUtilization(
        work_center_id=uuid.uuid4(),
        work_center_code=code,
        work_center_name=code,
        state=EquipmentState.BREAKDOWN,
        state_since=NOW - timedelta(minutes=12),
        is_active=active,
        elapsed_minutes=Decimal(570),
    )


def test_an_inactive_work_center_is_off_not_its_last_state() -> None:
    off, down = tile_data(
        [_utilization("A-01", active=False), _utilization("B-01", active=True)], {}, NOW
    )
    assert "OFF" in tile_text(off, ascii_only=False, roomy=False).plain
    assert _look(off) == "state--none"
    assert "DOWN" in tile_text(down, ascii_only=False, roomy=False).plain
    assert _look(down) == "state--down"


async def test_an_answer_that_comes_before_the_tile_is_mounted_is_drawn() -> None:
    """The OEE poll may answer between a tile's creation and its mount (a loaded machine):
    the tile must draw that answer, not the '-' it was created with."""
    from dataclasses import replace

    from textual.app import App, ComposeResult
    from textual.widgets import Digits

    from floorwatch.ui.wall.andon import AndonTile

    (first,) = tile_data([_utilization("A-01", active=True)], {}, NOW)
    tile = AndonTile(first, ascii_only=False, roomy=True)
    tile.show(replace(first, oee="61%"), ascii_only=False, roomy=True)

    class OneTile(App[None]):
        def compose(self) -> ComposeResult:
            yield tile

    async with OneTile().run_test():
        assert tile.query_one(Digits).value == "61%"
