"""How figures and states read on screen: percentages, durations, state labels with a symbol
(so a state reads without colour) and a style (so it reads at a distance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from rich.cells import cell_len

from floorwatch.domain.models import EquipmentState, RunStatus, Severity
from floorwatch.domain.oee import as_percent

NONE = "-"
# A new alert's marks blink by the terminal's own blink attribute: a wall monitor flashes for
# hours without spending CPU on it (a terminal that does not blink shows them reversed).
NEW_MARK = "bold reverse blink"


class Palette:
    """Colour, or (NO_COLOR) emphasis only: a monochrome screen turns red text dark grey, so
    there the styles that matter use bold, underline and reverse instead."""

    monochrome = False

    @classmethod
    def pick(cls, colour: str, mono: str) -> str:
        return mono if cls.monochrome else colour


@dataclass(frozen=True)
class StateLook:
    symbol: str
    ascii_symbol: str
    label: str
    style: str


STATE_LOOKS: dict[EquipmentState | None, StateLook] = {
    EquipmentState.PRODUCTIVE: StateLook("▶", ">", "RUN", "bold green"),
    EquipmentState.SETUP: StateLook("◆", "*", "SETUP", "bold yellow"),
    EquipmentState.BREAKDOWN: StateLook("✖", "X", "DOWN", "bold red"),
    EquipmentState.NO_OPERATOR: StateLook("◌", "o", "NO OP", "bold magenta"),
    EquipmentState.NO_MATERIAL: StateLook("◌", "o", "NO MAT", "bold magenta"),
    EquipmentState.PLANNED_DOWNTIME: StateLook("■", "#", "PLAN", "bold blue"),
    None: StateLook("?", "?", "NONE", "dim"),
}

RUN_STATUS_LABELS: dict[RunStatus, tuple[str, str]] = {
    RunStatus.IN_PROGRESS: ("ACTIVE", "bold green"),
    RunStatus.PAUSED: ("PAUSED", "bold yellow"),
    RunStatus.SCHEDULED: ("SCHED", ""),
    RunStatus.COMPLETED: ("DONE", "dim"),
    RunStatus.CANCELLED: ("CANCEL", "dim"),
}

SEVERITY_LOOKS: dict[Severity, tuple[str, str]] = {
    Severity.CRITICAL: ("CRIT", "bold white on red"),
    Severity.WARNING: ("WARN", "bold black on yellow"),
}


_MONO_STATE = {EquipmentState.BREAKDOWN: "bold reverse", EquipmentState.PRODUCTIVE: "bold"}


def state_text(state: EquipmentState | None, *, ascii_only: bool = False) -> tuple[str, str]:
    look = STATE_LOOKS[state]
    symbol = look.ascii_symbol if ascii_only else look.symbol
    style = Palette.pick(look.style, _MONO_STATE.get(state, "")) if state else look.style
    return f"{symbol} {look.label}", style


def pct(ratio: Decimal | None, places: int = 1) -> str:
    value = as_percent(ratio, places)
    return NONE if value is None else f"{value}%"


def count(value: int) -> str:
    return f"{value:,}"


def duration(delta: timedelta) -> str:
    """At most four characters (up to 999 days), coarser as it grows: 45s, 12m, 9h59, 23h, 3d."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 10:
        return f"{hours}h{minutes:02d}"
    if hours < 24:
        return f"{hours}h"
    return f"{hours // 24}d"


def since(moment: datetime | None, now: datetime) -> str:
    return NONE if moment is None else duration(now - moment)


def local_datetime(
    moment: datetime | None, tz: object, now: datetime, *, before_today: str = "%b %d %H:%M"
) -> str:
    """HH:MM today (plant-local), else `before_today` ('Mon DD HH:MM')."""
    if moment is None:
        return NONE
    local = moment.astimezone(tz)  # type: ignore[arg-type]
    if local.date() == now.astimezone(tz).date():  # type: ignore[arg-type]
        return local.strftime("%H:%M")
    return local.strftime(before_today)


def dot(ascii_only: bool) -> str:
    return " | " if ascii_only else " · "


def waiting(ascii_only: bool) -> str:
    return "waiting for data..." if ascii_only else "waiting for data…"


def clip_words(text: str, width: int, *, ascii_only: bool = False) -> str:
    """Fit `text` in `width` terminal cells (CJK and emoji take two), cutting at a word
    boundary and marking the cut."""
    if cell_len(text) <= width:
        return text
    mark = "..." if ascii_only else "…"
    room = max(0, width - cell_len(mark))
    cut, used = [], 0
    for ch in text:
        used += cell_len(ch)
        if used > room:
            break
        cut.append(ch)
    head = "".join(cut)
    if " " in head and text[len(head) : len(head) + 1] != " ":
        head = head[: head.rindex(" ")]
    return head.rstrip() + mark
