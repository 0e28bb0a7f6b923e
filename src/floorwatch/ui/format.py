"""How figures and states read on screen: percentages, durations, state labels with a symbol
(so a state reads without colour) and the name of its look (so it reads at a distance; the
colours are the theme's, see looks.py and app.tcss)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from rich.cells import cell_len
from rich.style import Style

from floorwatch.domain.alert_log import AlertStatus
from floorwatch.domain.finish import Finish, FinishState
from floorwatch.domain.models import EquipmentState, RunStatus, Severity
from floorwatch.domain.oee import as_percent, oee_band
from floorwatch.domain.pace import pace_band

NONE = "-"
# A new alert's marks blink by the terminal's own blink attribute: a wall monitor flashes for
# hours without spending CPU on it (a terminal that does not blink shows them reversed).
NEW_MARK = "bold reverse blink"


Look = Callable[[str | None], Style]
"""A look's Rich style by its name (None: no look), as the drawing widget's theme has it
(looks.Looks.look); `by_name` stands in where nothing is drawn."""


def by_name(name: str | None) -> Style:
    return name or ""  # type: ignore[return-value]  # a name for tests to read, never drawn


@dataclass(frozen=True)
class StateLook:
    symbol: str
    ascii_symbol: str
    label: str
    look: str  # a component class styled in app.tcss


STATE_LOOKS: dict[EquipmentState | None, StateLook] = {
    EquipmentState.PRODUCTIVE: StateLook("▶", ">", "RUN", "state--running"),
    EquipmentState.SETUP: StateLook("◆", "*", "SETUP", "state--setup"),
    EquipmentState.BREAKDOWN: StateLook("✖", "X", "DOWN", "state--down"),
    EquipmentState.NO_OPERATOR: StateLook("◌", "o", "NO OP", "state--no-operator"),
    EquipmentState.NO_MATERIAL: StateLook("◌", "o", "NO MAT", "state--no-material"),
    EquipmentState.PLANNED_DOWNTIME: StateLook("■", "#", "PLAN", "state--planned"),
    None: StateLook("?", "?", "NONE", "state--none"),
}

RUN_STATUS_LABELS: dict[RunStatus, tuple[str, str]] = {
    RunStatus.IN_PROGRESS: ("ACTIVE", "run--active"),
    RunStatus.PAUSED: ("PAUSED", "run--paused"),
    RunStatus.SCHEDULED: ("SCHED", "run--scheduled"),
    RunStatus.COMPLETED: ("DONE", "run--done"),
    RunStatus.CANCELLED: ("CANCEL", "run--cancelled"),
}

SEVERITY_LOOKS: dict[Severity, tuple[str, str]] = {
    Severity.CRITICAL: ("CRIT", "severity--critical"),
    Severity.WARNING: ("WARN", "severity--warning"),
}


@dataclass(frozen=True)
class AlertStatusLook:
    symbol: str
    ascii_symbol: str
    label: str  # a wide alert log's State column
    short: str  # a narrow one's (3 characters)
    look: str


# an alert's place in its lifecycle (domain.alert_log.AlertStatus): word, symbol and look, so it
# reads without colour; a firing alert nobody acknowledged also blinks (NEW_MARK)
ALERT_STATUS_LOOKS: dict[AlertStatus, AlertStatusLook] = {
    AlertStatus.FIRING: AlertStatusLook("●", "*", "firing", "NEW", "alert--firing"),
    AlertStatus.ACKNOWLEDGED: AlertStatusLook("✓", "v", "acked", "ack", "alert--acknowledged"),
    AlertStatus.PENDING: AlertStatusLook("◔", ".", "pending", "pnd", "alert--pending"),
    AlertStatus.MUTED: AlertStatusLook("◌", "-", "muted", "mut", "alert--muted"),
    AlertStatus.RESOLVED: AlertStatusLook("○", "o", "ok", "ok", "alert--resolved"),
}

# OEE against its target (domain.oee.OeeBand): at or above, below, critically below
BAND_LOOKS = ("band--good", "band--warning", "band--critical")

CONNECTION_LOOKS = ("connection--connecting", "connection--connected", "connection--lost")
BADGE_LOOK = "badge"  # DEMO, PAUSED in the status line
FINISH_LATE_LOOK = "finish--late"  # a run expected to finish after its scheduled end

LOOKS = frozenset(
    [look.look for look in STATE_LOOKS.values()]
    + [look for _, look in RUN_STATUS_LABELS.values()]
    + [look for _, look in SEVERITY_LOOKS.values()]
    + [look.look for look in ALERT_STATUS_LOOKS.values()]
    + [*BAND_LOOKS, *CONNECTION_LOOKS, BADGE_LOOK, FINISH_LATE_LOOK]
)


def state_text(state: EquipmentState | None, *, ascii_only: bool = False) -> tuple[str, str]:
    """(symbol and label, look) of a state."""
    look = STATE_LOOKS[state]
    symbol = look.ascii_symbol if ascii_only else look.symbol
    return f"{symbol} {look.label}", look.look


INACTIVE_LABEL = "OFF"  # out of service (is_active false), whatever its status log says


def work_center_state_text(
    state: EquipmentState | None, *, active: bool, ascii_only: bool = False
) -> tuple[str, str]:
    """(symbol and label, look) of a work center: an inactive one (out of service) is OFF,
    whatever its status log says (README: Numbers)."""
    if not active:
        return f"- {INACTIVE_LABEL}", STATE_LOOKS[None].look
    return state_text(state, ascii_only=ascii_only)


def band_look(band: int | None) -> str | None:
    return None if band is None else BAND_LOOKS[band]


def oee_look(
    oee: Decimal | None, target_pct: Decimal | None, critical_gap_pct: float
) -> str | None:
    """The look of an OEE figure against its target (None: no figure or no target)."""
    return band_look(oee_band(oee, target_pct, critical_gap_pct))


def pace_look(
    efficiency: Decimal | None, target_pct: Decimal | None, critical_gap_pct: float
) -> str | None:
    """The look of a shift's efficiency: on track at or above the OEE target, behind below."""
    return band_look(pace_band(efficiency, target_pct, critical_gap_pct))


LATE = "late"  # the word itself, so it reads without colour (NO_COLOR, ASCII)


def finish_text(finish: Finish | None, tz: object, now: datetime) -> tuple[str, str | None]:
    """(text, look) of a run's time to finish, at most six characters: `late`, `~14:20` (the
    expected plant-local time, within a day), `~3d` (days from now), `>10y`, `done`, or `-`
    (no rate yet, no count)."""
    if finish is None:
        return NONE, None
    if finish.late:
        return LATE, FINISH_LATE_LOOK
    if finish.state is FinishState.DONE:
        return "done", None
    if finish.state is FinishState.FAR:
        return ">10y", None
    if finish.expected_at is None:
        return NONE, None
    ahead = finish.expected_at - now
    if ahead < timedelta(days=1):
        return "~" + finish.expected_at.astimezone(tz).strftime("%H:%M"), None  # type: ignore[arg-type]
    return f"~{round(ahead / timedelta(days=1))}d", None


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


def downtime(minutes: Decimal) -> str:
    """Stop minutes as a duration, `0m` without any (a shift's downtime is counted in minutes)."""
    return duration(timedelta(minutes=float(minutes))) if minutes > 0 else "0m"


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


def duration_long(delta: timedelta) -> str:
    """Two units where the coarser one is not enough (an outage's length): 45s, 1m 20s,
    1h 05m, 2d 03h."""
    seconds = max(0, int(delta.total_seconds()))
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    days, hrs = divmod(hours, 24)
    if days:
        return f"{days}d {hrs:02d}h"
    if hours:
        return f"{hours}h {mins:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"
