"""Filling a DataTable from fresh data: cells that did not change are left alone.

Untouched, a table stays at its top row (the most urgent first) and scrolled to the top, however
its rows are re-ordered. Once the user moves the cursor (a navigation key, a click, the wheel)
the selected row is kept by its key; IDLE_SECONDS without that, the table goes back to its top.

Columns are fitted to the table's width (`fit_columns`): identifiers (codes) are as wide as the
longest one and never cut, optional columns give way on narrow tables, and one flexible column
(a name, a message) takes what is left.

Every cell reaches the table as `rich.text.Text` (a `str` would be parsed as markup), fitted to
its column: text longer than the column is cut with an ellipsis, and a figure that does not fit
is never cut into a plausible smaller number: it shows as an overflow mark (`####`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowKey

Cell = str | Text

# DataTable's render caches (Textual 8.x), keyed on a table-wide update count that every
# update_cell, resize or sort bumps: entries of an older count are never read again.
_RENDER_CACHES = ("_cell_render_cache", "_row_render_cache", "_row_renderable_cache", "_line_cache")

# Seconds without a navigation key after which a table the user moved goes back to its top
# (on its next refresh): a wall display drifts back to what matters by itself.
IDLE_SECONDS = 60.0
NAVIGATION_KEYS = frozenset(
    ["up", "down", "pageup", "pagedown", "home", "end", "ctrl+home", "ctrl+end"]
)


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
        self.idle_seconds = IDLE_SECONDS
        self.touched_at: float | None = None  # the wall time the user last moved the cursor

    def _wall(self) -> float:
        wall = getattr(self.app, "wall", None)  # the monitor's clock (tests inject one)
        return wall() if callable(wall) else time.monotonic()

    def touch(self) -> None:
        self.touched_at = self._wall()

    def user_holds(self) -> bool:
        """Whether the user moved the cursor within the last `idle_seconds` (else the table
        belongs at its top; an expired touch is forgotten)."""
        if self.touched_at is None:
            return False
        if self._wall() - self.touched_at >= self.idle_seconds:
            self.touched_at = None
            return False
        return True

    def on_key(self, event: events.Key) -> None:
        if event.key in NAVIGATION_KEYS:
            self.touch()

    def on_click(self) -> None:
        self.touch()

    def on_mouse_scroll_down(self) -> None:
        self.touch()

    def on_mouse_scroll_up(self) -> None:
        self.touch()

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
    # shown when the table is at least this wide; in fit_columns also the order in which
    # optional columns give way when the codes need the room (highest first; 0: always shown)
    from_width: int = 0
    figure: bool = False  # a number: never cut, an overflow mark instead
    max_width: int = 24
    code: bool = False  # an identifier: as wide as the longest, never cut (no max_width)
    flex: bool = False  # takes the width the other columns leave (at least min_width)
    min_width: int = 6


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


Rows = Sequence[tuple[str, dict[str, Cell]]]
PADDING = 2  # DataTable's cell padding, one cell each side


def _widest(column: Column, rows: Rows) -> int:
    return max(
        [cell_len(column.label), *(_cell_len(cells.get(column.key, "")) for _, cells in rows)]
    )


def fit_columns(columns: Sequence[Column], rows: Rows, width: int) -> list[Column]:
    """The columns to show in `width` cells, each with its width. `rows` are all the rows the
    table may show (a filtered list measures its codes on the unfiltered rows, so the column
    does not jump as the filter changes). Codes are as wide as their longest cell; columns
    whose from_width the table is under are left out, and more optional ones (highest
    from_width first) while the rest does not fit; the flexible column takes what is left."""
    sized = []
    for c in columns:
        if c.code:
            sized.append(replace(c, width=_widest(c, rows)))
        elif c.width is None and not c.flex:
            sized.append(replace(c, width=min(c.max_width, _widest(c, rows))))
        else:
            sized.append(c)
    shown = [c for c in sized if width >= c.from_width]

    def used(cols: list[Column]) -> int:
        return sum((c.min_width if c.flex else c.width or 0) + PADDING for c in cols)

    while used(shown) > width:
        optional = [c for c in shown if c.from_width > 0]
        if not optional:
            break
        drop = max(optional, key=lambda c: c.from_width)
        shown = [c for c in shown if c is not drop]
    room = width - sum((c.width or 0) + PADDING for c in shown if not c.flex) - PADDING
    return [replace(c, width=max(c.min_width, room)) if c.flex else c for c in shown]


def _fit_auto_columns(
    table: DataTable[Cell], columns: Sequence[Column], rows: Sequence[tuple[str, dict[str, Cell]]]
) -> bool:
    """Give each auto-width column the width of its widest cell, explicitly (the table's own
    auto sizing runs later, on idle, and can miss rows replaced in between). Returns True when
    the columns were rebuilt (the table is then empty)."""
    wanted = [
        (
            c.key,
            c.width or (_widest(c, rows) if c.code else min(c.max_width, _widest(c, rows))),
        )
        for c in columns
    ]
    shown = [(key.value, col.width) for key, col in table.columns.items()]
    if shown == wanted:
        return False
    table.clear(columns=True)
    for column, (_, width) in zip(columns, wanted, strict=True):
        table.add_column(column.label, key=column.key, width=width)
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
    """Show `rows` (key, cells by column key) in order: at the top, or (while the user holds
    the table) with the selected row kept by its key."""
    keys = [key for key, _ in rows]
    current = [row.key.value for row in table.ordered_rows]
    holds = isinstance(table, Table) and table.user_holds()
    selected: RowKey | None = None
    if holds and table.row_count and table.cursor_row < table.row_count:
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    if _fit_auto_columns(table, columns, rows):
        current = []
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
    else:
        table.clear()  # the cursor and the scroll go to the top
        for key, cells in rows:
            table.add_row(*(cells[c.key] for c in columns), key=key)
        if selected is not None and selected.value in keys:
            table.move_cursor(row=keys.index(selected.value), animate=False)
    if not holds:
        to_top(table)


def to_top(table: DataTable[Cell]) -> None:
    """The cursor on the first row, scrolled to the top (a no-op when already there)."""
    if table.cursor_row != 0 and table.row_count:
        table.move_cursor(row=0, animate=False)
    if table.scroll_y or table.scroll_x:
        table.scroll_to(0, 0, animate=False, immediate=True)


class RowDetail(Static):
    """One line (wrapped when it must) under a table: the whole of its selected row, which the
    table's columns may cut or leave out on a narrow terminal."""

    DEFAULT_CLASSES = "row-detail"

    def show(self, text: Text) -> None:
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text)


def selected_key(table: DataTable[Cell]) -> str | None:
    if not table.row_count or table.cursor_row >= table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
