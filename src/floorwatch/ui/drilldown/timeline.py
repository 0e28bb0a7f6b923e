"""Today's state timeline of one work center: one character per slot of the plant-local day's
elapsed time (a fall-back day is 25 hours wide, a spring-forward day 23), the state at the
middle of the slot, with a local-time scale below and, on a fall-back day, a mark under the
hour whose clock times repeat (with its UTC offset)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from floorwatch.domain.models import StatusChange
from floorwatch.domain.plant_time import (
    LocalDay,
    fraction_of_day,
    local_hour_start,
    repeated_spans,
    utc_offset_text,
)
from floorwatch.domain.plant_time import slot_middles as middles_of
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
    bar = Text(no_wrap=True, overflow="crop")  # leading blanks kept: marks under their slots
    for middle in middles_of(day, width):
        if middle > now:
            bar.append("." if ascii_only else "·", style="dim")
            continue
        change = state_at(changes, middle)
        state = STATE_LOOKS[change.status if change else None]
        if ascii_only:
            bar.append(state.ascii_symbol, style=look(state.look))
        else:
            bar.append("█" if colour else state.symbol, style=look(state.look))
    tz = day.start.tzinfo
    assert tz is not None
    scale = [" "] * width
    for hour in range(0, 24, 6):
        pos = int(fraction_of_day(day, local_hour_start(day, hour, tz)) * width)
        for j, ch in enumerate(f"{hour:02d}"):
            if pos + j < width:
                scale[pos + j] = ch
    bar.append("\n" + "".join(scale), style="dim")
    for start, end in repeated_spans(day):
        bar.append("\n" + repeat_mark(day, start, end, width, ascii_only=ascii_only), style="bold")
    return bar


def repeat_mark(
    day: LocalDay, start: datetime, end: datetime, width: int, *, ascii_only: bool
) -> str:
    """A line marking the span whose clock times repeat: carets under it and what it is."""
    tz = day.start.tzinfo
    assert tz is not None
    first = int(fraction_of_day(day, start) * width)
    last = max(first + 1, int(fraction_of_day(day, end) * width))
    offset = f"UTC{utc_offset_text(start, tz)}"
    span = f"{start.astimezone(tz):%H:%M}-{end.astimezone(tz):%H:%M}"
    marks = " " * first + ("^" if ascii_only else "↑") * (last - first)
    for words in (f" {span} again, {offset}", f" again, {offset}", f" {offset}", ""):
        if len(marks + words) <= width:
            return marks + words
    return marks[:width]
