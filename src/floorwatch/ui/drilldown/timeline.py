"""Today's state timeline of one work center: one character per slot of the plant-local day,
the state at the middle of the slot, with a time scale below."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from floorwatch.domain.models import StatusChange
from floorwatch.domain.plant_time import LocalDay
from floorwatch.ui.format import STATE_LOOKS, Look


def state_at(changes: list[StatusChange], moment: datetime) -> StatusChange | None:
    for change in changes:
        if change.status_start <= moment and (
            change.status_end is None or moment < change.status_end
        ):
            return change
    return None


def timeline(
    changes: list[StatusChange],
    day: LocalDay,
    now: datetime,
    width: int,
    *,
    look: Look,
    ascii_only: bool,
    colour: bool = True,
) -> Text:
    """Coloured blocks; without colour (NO_COLOR) or in ASCII each state's symbol."""
    width = max(12, width)
    slot = (day.end - day.start) / width
    bar = Text()
    for i in range(width):
        middle = day.start + slot * i + slot / 2
        if middle > now:
            bar.append("." if ascii_only else "·", style="dim")
            continue
        change = state_at(changes, middle)
        state = STATE_LOOKS[change.status if change else None]
        if ascii_only:
            bar.append(state.ascii_symbol, style=look(state.look))
        else:
            bar.append("█" if colour else state.symbol, style=look(state.look))
    scale = [" "] * width
    for hour in range(0, 24, 6):
        pos = int((timedelta(hours=hour) / (day.end - day.start)) * width)
        for j, ch in enumerate(f"{hour:02d}"):
            if pos + j < width:
                scale[pos + j] = ch
    bar.append("\n" + "".join(scale), style="dim")
    return bar
