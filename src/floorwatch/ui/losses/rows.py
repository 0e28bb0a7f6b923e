"""The rows of the losses tables (README: Numbers): each of the six losses, the fully
productive time and the planned time, in minutes and as a share of the planned time, for the
shift, today and the last 7 days; and the downtime Pareto of one window."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from floorwatch.db.plant import LOSS_WINDOW_LABELS
from floorwatch.domain.losses import LOSS_WORDS, LossKind, reason_label
from floorwatch.domain.shift_report import ShiftFigures
from floorwatch.ui.format import NONE, pct
from floorwatch.ui.table import Cell, Column

LOSS_COLUMNS = [
    Column("loss", "Loss", max_width=21),
    *(
        column
        for i, label in enumerate(w.capitalize() for w in LOSS_WINDOW_LABELS)
        for column in (
            Column(f"min{i}", label, figure=True, max_width=12),
            Column(f"share{i}", "%", 6, figure=True, from_width=66),
        )
    ),
]
PARETO_COLUMNS = [
    Column("reason", "Reason", code=True),
    Column("description", "Description", flex=True, min_width=8),
    Column("minutes", "Min", figure=True, max_width=10),
    Column("stops", "Stops", figure=True, max_width=8),
    Column("share", "Share", 6, figure=True),
    Column("cumulative", "Cum", 6, figure=True),
]
PARETO_ROWS = 30


def minutes(value: Decimal | None) -> str:
    """Whole minutes, half up as the report rounds (a negative slow-cycle loss, faster than
    rated, keeps its sign)."""
    if value is None:
        return NONE
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def _share(value: Decimal, planned: Decimal) -> str:
    return pct(value / planned) if planned else NONE


def _value(f: ShiftFigures, key: str) -> Decimal:
    if key == "fully_productive":
        return f.losses.fully_productive
    if key == "planned":
        return f.times.planned
    return f.losses.of(LossKind(key))


def loss_rows(windows: list[ShiftFigures | None]) -> list[tuple[str, dict[str, Cell]]]:
    """One row per loss kind, then fully productive and planned time; a window without
    figures (the work center has none there) shows `-`."""
    lines: list[tuple[str, str]] = [(k.value, LOSS_WORDS[k]) for k in LossKind]
    lines += [("fully_productive", "fully productive"), ("planned", "planned time")]
    rows = []
    for key, label in lines:
        cells: dict[str, Cell] = {"loss": label}
        for i, f in enumerate(windows):
            if f is None:
                cells[f"min{i}"] = cells[f"share{i}"] = NONE
                continue
            value = _value(f, key)
            cells[f"min{i}"] = minutes(value)
            cells[f"share{i}"] = _share(value, f.times.planned)
        rows.append((key, cells))
    return rows


def pareto_rows(f: ShiftFigures | None) -> list[tuple[str, dict[str, Cell]]]:
    if f is None:
        return []
    return [
        (
            f"{i}",
            {
                "reason": reason_label(e),
                "description": e.description or "",
                "minutes": minutes(e.minutes),
                "stops": NONE if e.count is None else f"{e.count:,}",
                "share": pct(e.share),
                "cumulative": pct(e.cumulative),
            },
        )
        for i, e in enumerate(f.pareto[:PARETO_ROWS])
    ]
