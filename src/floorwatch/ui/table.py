"""Filling a DataTable from fresh data: cells that did not change are left alone, and the
cursor stays on the same row (by key) across refreshes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
    width: int | None = None  # None: as wide as the widest cell
    from_width: int = 0  # shown when the table is at least this wide


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
        c.key: max([cell_len(c.label), *(_cell_len(cells.get(c.key, "")) for _, cells in rows)])
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


def fill(
    table: DataTable[Cell], columns: Sequence[Column], rows: Sequence[tuple[str, dict[str, Cell]]]
) -> None:
    """Show `rows` (key, cells by column key) in order."""
    keys = [key for key, _ in rows]
    current = [row.key.value for row in table.ordered_rows]
    selected: RowKey | None = None
    if table.row_count and table.cursor_row < table.row_count:
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    if _fit_auto_columns(table, columns, rows):
        current = []
    if keys == current:
        for key, cells in rows:
            for column in columns:
                value = cells.get(column.key, "")
                try:
                    if table.get_cell(key, column.key) != value:
                        table.update_cell(key, column.key, value)
                except CellDoesNotExist:
                    table.update_cell(key, column.key, value)
        return
    table.clear()
    for key, cells in rows:
        table.add_row(*(cells.get(c.key, "") for c in columns), key=key)
    if selected is not None and selected.value in keys:
        table.move_cursor(row=keys.index(selected.value), animate=False)


def selected_key(table: DataTable[Cell]) -> str | None:
    if not table.row_count or table.cursor_row >= table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def as_csv_rows(table: DataTable[Cell]) -> list[list[str]]:
    """Header and rows as plain text, for export."""
    header = [str(col.label) for col in table.columns.values()]
    body = [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row(row_key)]
        for row_key in (row.key for row in table.ordered_rows)
    ]
    return [header, *body]
