"""Filling a DataTable from fresh data: cells that did not change are left alone, and the
cursor stays on the same row (by key) across refreshes.

Every cell reaches the table as `rich.text.Text` (a `str` would be parsed as markup), fitted to
its column: text longer than the column is cut with an ellipsis, and a figure that does not fit
is never cut into a plausible smaller number: it shows as an overflow mark (`####`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowKey

Cell = str | Text

# DataTable's render caches (Textual 8.x), keyed on a table-wide update count that every
# update_cell, resize or sort bumps: entries of an older count are never read again.
_RENDER_CACHES = ("_cell_render_cache", "_row_render_cache", "_row_renderable_cache", "_line_cache")


class Table(DataTable[Cell]):
    """A DataTable whose render caches hold only what the current data can use.

    DataTable keeps up to 10,000 rendered cells and 1,000 rows and lines per table, and each
    update_cell makes every entry dead without evicting it: a monitor that updates a few cells
    every poll filled those caches with dead entries over minutes (RSS +25 MB over 15 min with
    the simulator live, see tests/ui/test_soak.py). Before a repaint after such a change,
    the dead entries are dropped; this costs nothing, as none of them could be hit."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._cached_update_count: int | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        # private attributes of DataTable: should a Textual upgrade rename them, this does
        # nothing rather than break the monitor (tests/ui/test_table.py then fails)
        count = getattr(self, "_update_count", None)
        if count != self._cached_update_count:
            self._cached_update_count = count
            for name in _RENDER_CACHES:
                cache = getattr(self, name, None)
                if cache is not None:
                    cache.clear()
        return super().render_lines(crop)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None  # None: as wide as the widest cell, up to max_width
    from_width: int = 0  # shown when the table is at least this wide
    figure: bool = False  # a number: never cut, an overflow mark instead
    max_width: int = 24


# each table's rows as given to fill, before fitting: what an export writes
_FULL_ROWS: WeakKeyDictionary[DataTable[Any], dict[str, dict[str, Cell]]] = WeakKeyDictionary()

OVERFLOW = "#"  # a figure too wide for its column: "####", as a spreadsheet shows it


def fit_cell(value: Cell, width: int, *, figure: bool, ascii_only: bool) -> Text:
    """The cell as Text no wider than `width` cells."""
    text = value if isinstance(value, Text) else Text(value)
    if text.cell_len <= width:
        return text
    if figure:
        return Text(OVERFLOW * width, style="bold")
    if ascii_only:
        cut = text.copy()
        cut.truncate(max(0, width - 3), overflow="crop")
        cut.append("...")
        cut.truncate(width)
        return cut
    cut = text.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


def columns_for(columns: Sequence[Column], width: int) -> list[Column]:
    return [c for c in columns if width >= c.from_width]


def set_columns(table: DataTable[Cell], columns: Sequence[Column], width: int) -> list[Column]:
    """Show the columns that fit `width` (narrow terminals drop the optional ones)."""
    shown = columns_for(columns, width)
    table.clear(columns=True)
    for column in shown:
        table.add_column(column.label, key=column.key, width=column.width)
    return shown


def _cell_len(value: Cell) -> int:
    return value.cell_len if isinstance(value, Text) else cell_len(value)


def _fit_auto_columns(
    table: DataTable[Cell], columns: Sequence[Column], rows: Sequence[tuple[str, dict[str, Cell]]]
) -> bool:
    """Give each auto-width column the width of its widest cell, explicitly (the table's own
    auto sizing runs later, on idle, and can miss rows replaced in between). Returns True when
    the columns were rebuilt (the table is then empty)."""
    needed = {
        c.key: min(
            c.max_width,
            max([cell_len(c.label), *(_cell_len(cells.get(c.key, "")) for _, cells in rows)]),
        )
        for c in columns
        if c.width is None
    }
    shown = {key.value: col.width for key, col in table.columns.items()}
    if all(shown.get(key) == width for key, width in needed.items()):
        return False
    table.clear(columns=True)
    for column in columns:
        table.add_column(column.label, key=column.key, width=column.width or needed[column.key])
    return True


def _same(shown: object, value: Text) -> bool:
    """Text's own == ignores the base style (an OEE turning red at the same figure)."""
    return isinstance(shown, Text) and shown == value and shown.style == value.style


def fill(
    table: DataTable[Cell],
    columns: Sequence[Column],
    rows: Sequence[tuple[str, dict[str, Cell]]],
    *,
    ascii_only: bool = False,
) -> None:
    """Show `rows` (key, cells by column key) in order."""
    keys = [key for key, _ in rows]
    current = [row.key.value for row in table.ordered_rows]
    selected: RowKey | None = None
    if table.row_count and table.cursor_row < table.row_count:
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    if _fit_auto_columns(table, columns, rows):
        current = []
    _FULL_ROWS[table] = dict(rows)
    widths = {key.value: col.width for key, col in table.columns.items()}
    rows = [
        (
            key,
            {
                c.key: fit_cell(
                    cells.get(c.key, ""),
                    widths.get(c.key) or c.width or c.max_width,
                    figure=c.figure,
                    ascii_only=ascii_only,
                )
                for c in columns
            },
        )
        for key, cells in rows
    ]
    if keys == current:
        for key, cells in rows:
            for column in columns:
                value = cells[column.key]
                try:
                    if not _same(table.get_cell(key, column.key), value):
                        table.update_cell(key, column.key, value)
                except CellDoesNotExist:
                    table.update_cell(key, column.key, value)
        return
    table.clear()
    for key, cells in rows:
        table.add_row(*(cells[c.key] for c in columns), key=key)
    if selected is not None and selected.value in keys:
        table.move_cursor(row=keys.index(selected.value), animate=False)


def selected_key(table: DataTable[Cell]) -> str | None:
    if not table.row_count or table.cursor_row >= table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def as_csv_rows(table: DataTable[Cell]) -> list[list[str]]:
    """Header and rows as plain text, for export: the whole values, not the cells as cut to
    fit the screen. A value a spreadsheet would run as a formula (=, +, -, @ first) gets a
    leading apostrophe, so a name typed as `=HYPERLINK(…)` stays text."""
    full = _FULL_ROWS.get(table, {})
    keys = [key.value for key, col in table.columns.items()]
    header = [str(col.label) for col in table.columns.values()]
    body = []
    for row in table.ordered_rows:
        shown = table.get_row(row.key)
        cells = full.get(row.key.value or "")
        values = [cells.get(k, v) if cells else v for k, v in zip(keys, shown, strict=True)]
        body.append([_csv_safe(v.plain if isinstance(v, Text) else str(v)) for v in values])
    return [header, *body]


_NUMBER = re.compile(r"-|-?[\d.,]+%?")


def _csv_safe(value: str) -> str:
    if value[:1] in ("=", "+", "-", "@") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
