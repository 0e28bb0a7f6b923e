"""The wall layout as pictures (issue 9, item 4): a TV at 200x60 and a smaller one at 120x40,
the showcase plant, a frozen clock, every poll answered before the picture is taken."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from floorwatch.config import STILL, Config
from floorwatch.showcase import settle, showcase_app


async def _settled(pilot: Pilot[int]) -> None:
    await settle(pilot.app, pilot.pause)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(200, 60), (120, 40)])
def test_wall(snap_compare, showcase, size) -> None:
    dsn, scope = showcase
    app = showcase_app(dsn, scope, config=Config(intervals=STILL, layout="wall"))
    assert snap_compare(app, run_before=_settled, terminal_size=size)
