"""The shift screen and the losses screen as pictures, on the showcase plant at 80x24 and
160x48 (a frozen clock, every poll answered once)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from floorwatch.showcase import settle, showcase_app, until_screen
from floorwatch.ui.screens.losses import LossesScreen
from floorwatch.ui.screens.shift import ShiftScreen

SIZES = [(80, 24), (160, 48)]


def _opening(key: str, screen: type):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[int]) -> None:
        await settle(pilot.app, pilot.pause)  # type: ignore[arg-type]
        await pilot.press(key)
        await until_screen(pilot.app, screen, pilot.pause)  # type: ignore[arg-type]
        await settle(pilot.app, pilot.pause)  # type: ignore[arg-type]

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_shift_screen(snap_compare, showcase, size) -> None:  # type: ignore[no-untyped-def]
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    assert snap_compare(app, run_before=_opening("h", ShiftScreen), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_losses_screen(snap_compare, showcase, size) -> None:  # type: ignore[no-untyped-def]
    dsn, scope = showcase
    app = showcase_app(dsn, scope)
    assert snap_compare(app, run_before=_opening("l", LossesScreen), terminal_size=size)
