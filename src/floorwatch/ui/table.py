"""Filling a DataTable from fresh data: cells that did not change are left alone.

Untouched, a table stays at its top row (the most urgent first) and scrolled to the top, however
its rows are re-ordered. Once the user moves the cursor (a navigation key, a click, the wheel)
the selected row is kept by its key; IDLE_SECONDS without that, the table goes back to its top.

Columns are fitted to the table's width (`fit_columns`): identifiers (codes) are as wide as the
longest one and never cut, optional columns give way on narrow tables, and one flexible column
(a name, a message) takes what is left.

Every cell reaches the table as `rich.text.Text` (a `str` would be parsed as markup), fitted to
its column: text longer than the column is cut with an ellipsis, and a figure that does not fit
is never cut into a plausible smaller number: it shows as an overflow mark (`####`).

A refresh repaints only the rows that changed (issue #13): `Table` keeps each rendered line by
its row's content version, position and cursor state, an `update_cell` repaints only its row,
and `fill` adds, removes and re-orders rows in place instead of clearing the table."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._two_way_dict import TwoWayDict
from textual.coordinate import Coordinate
from textual.css.scalar import Unit
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import visualize
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, DuplicateKey, RowKey

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
    """A DataTable that repaints only the rows that changed, and whose render caches hold only
    what the current data can use.

    DataTable keys every render cache on one table-wide update count that each update_cell,
    add_row or sort bumps, and each update_cell refreshes the whole widget: one changed cell
    re-rendered every visible line. Here each rendered line is kept per row, under the row's
    content version (bumped by update_cell and add_row), its position (the mouse meta in a
    line names its row index), whether the cursor or hover is on it, and the table-wide state
    that shapes every line (columns, widths, focus, cursor type). An update_cell refreshes
    only its row's region; unchanged rows are served from this cache.

    DataTable keeps up to 10,000 rendered cells and 1,000 rows and lines per table, and each
    update_cell makes every entry dead without evicting it: a monitor that updates a few cells
    every poll filled those caches with dead entries over minutes (RSS +25 MB over 15 min with
    the simulator live, see tests/ui/test_soak.py). Before a repaint after such a change,
    the dead entries are dropped; this costs nothing, as none of them could be hit."""

    LINES_PER_ROW = 16  # kept per row: cursor on/off, hover, a few scroll offsets

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._cached_update_count: int | None = None
        self.idle_seconds = IDLE_SECONDS
        self.touched_at: float | None = None  # the wall time the user last moved the cursor
        self._versions = itertools.count(1)
        self._row_versions: dict[RowKey, int] = {}
        self._columns_version = 0
        self._tall_rows = 0  # rows not one line high (their y is not their index)
        # row key -> ((version, index, frame), {(line in row, x1, x2, width, base style,
        # cursor here, hover here): strip})
        self._strips: dict[RowKey, tuple[tuple[object, ...], dict[tuple[object, ...], Strip]]]
        self._strips = {}
        self._frame: tuple[object, ...] = ()
        self._scrollbars_for: tuple[object, ...] = ()
        self.lines_rendered = 0  # lines rendered afresh (cache misses), for tests
        # fill's fitted cells: row key -> column key -> (given, width, figure, ascii, Text)
        self.fitted: dict[str, dict[str, tuple[Cell, int, bool, bool, Text]]] = {}
        # row key -> (the cells given, the columns fitted to, ascii, the fitted cells)
        self.fitted_rows: dict[str, tuple[object, object, bool, dict[str, Text]]] = {}

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

    # -- what a row's lines depend on ------------------------------------------------------

    def _bump(self, row_key: RowKey) -> None:
        self._row_versions[row_key] = next(self._versions)
        self._strips.pop(row_key, None)

    def add_column(self, *args: object, **kwargs: object) -> ColumnKey:
        self._columns_version += 1
        return super().add_column(*args, **kwargs)  # type: ignore[arg-type]

    def remove_column(self, column_key: ColumnKey | str) -> None:
        self._columns_version += 1
        super().remove_column(column_key)

    def add_row(self, *cells: Cell, height: int | None = 1, **kwargs: object) -> RowKey:
        key = super().add_row(*cells, height=height, **kwargs)  # type: ignore[arg-type]
        if height != 1:
            self._tall_rows += 1
        self._bump(key)
        return key

    def remove_row(self, row_key: RowKey | str) -> None:
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        row = self.rows.get(key)
        super().remove_row(key)
        if row is not None and (row.height != 1 or row.auto_height):
            self._tall_rows -= 1
        self._row_versions.pop(key, None)
        self._strips.pop(key, None)

    def clear(self, columns: bool = False) -> Table:
        super().clear(columns)
        if columns:
            self._columns_version += 1
        self._row_versions.clear()
        self._strips.clear()
        self._tall_rows = 0
        self.fitted.clear()
        self.fitted_rows.clear()
        return self

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Cell,
        *,
        update_width: bool = False,
    ) -> None:
        """As DataTable's, but only this cell's row is repainted."""
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        if update_width or key not in self._row_locations or column not in self._column_locations:
            super().update_cell(key, column, value, update_width=update_width)  # or raises
            self._bump(key)
            return
        self._data[key][column] = value
        self._update_count += 1  # DataTable's own caches (they serve misses of ours)
        self._bump(key)
        self._refresh_row_of(key)

    def _refresh_row_of(self, key: RowKey) -> None:
        index = self._row_locations.get(key)
        if index is None:
            return
        if self._tall_rows or self.fixed_rows:
            self.refresh()  # their y is not their index
            return
        y = index + (self.header_height if self.show_header else 0)
        width = max(self.size.width, self.virtual_size.width)
        self._refresh_region(Region(0, y, width, 1))

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # ScrollView compares the virtual size the layout passes with its own, which a
        # DataTable sets itself, so the two differ on every layout of the screen and every
        # layout repainted the scrollbars; here they are updated when what they show changed
        shown = (self.virtual_size, self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        same = size == self._size and container_size == self.container_size
        if same and shown == self._scrollbars_for:
            return False
        self._scrollbars_for = shown
        return super()._size_updated(size, virtual_size, container_size, layout)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # DataTable measures every cell of every new row for the auto-width columns and the
        # rows of auto height: with fixed widths and one-line rows there is nothing to learn
        if any(c.auto_width for c in self.columns.values()) or self._tall_rows:
            super()._update_dimensions(new_rows)
        else:
            super()._update_dimensions(())

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
        """Show exactly `rows` (key, cells in column order), in this order: rows whose key
        stays keep their cached lines unless their cells changed or they moved; rows gone are
        removed and new ones added, with no clear of the whole table. The cursor stays at its
        index (the caller moves it); a highlight event is posted when another row comes under
        it."""
        under_cursor = selected_key(self)
        wanted = [RowKey(key) for key, _ in rows]
        keep = set(wanted)
        if len(keep) != len(wanted):  # before any change: the table stays as it was
            seen: set[RowKey] = set()
            for key in wanted:
                if key in seen:
                    raise DuplicateKey(f"The row key {key.value!r} is given twice.")
                seen.add(key)
        gone = [k for k in self.rows if k not in keep]
        if gone:
            self._require_update_dimensions = True
        for key in gone:
            row = self.rows.pop(key)
            if row.height != 1 or row.auto_height:
                self._tall_rows -= 1
            del self._data[key]
            self._updated_cells.difference_update(
                {c for c in self._updated_cells if c.row_key == key}
            )
            self._new_rows.discard(key)
            self._row_versions.pop(key, None)
            self._strips.pop(key, None)
        stay = [key for key in wanted if key in self.rows]
        self._row_locations = TwoWayDict({key: i for i, key in enumerate(stay)})
        columns = [c.key for c in self.ordered_columns]
        for (key, cells), row_key in zip(rows, wanted, strict=True):
            if row_key in self.rows:
                shown = self._data[row_key]
                for column, value in zip(columns, cells, strict=False):
                    was = shown.get(column)
                    if was is not value and not _same(was, value):
                        shown[column] = value
                        self._bump(row_key)
            else:
                self.add_row(*cells, key=key)
        self._row_locations = TwoWayDict({key: i for i, key in enumerate(wanted)})
        self._update_count += 1
        if self._require_update_dimensions and not self._tall_rows and not self._updated_cells:
            # the new virtual size now, not on idle: one layout with the data, not a second
            self._require_update_dimensions = False
            new_rows, self._new_rows = set(self._new_rows), set()
            self._update_dimensions(new_rows)
        else:
            self._require_update_dimensions = True
            self.check_idle()
        self.cursor_coordinate = self.cursor_coordinate  # kept in range
        self.hover_coordinate = self.hover_coordinate
        self.refresh()  # a changed virtual size asks for the layout itself
        if selected_key(self) != under_cursor and self.show_cursor:
            self._highlight_cursor()

    # -- rendering ---------------------------------------------------------------------------

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
        self._pseudo_class_state = self.get_pseudo_class_state()
        self._frame = (
            self._columns_version,
            tuple(c.get_render_width(self) for c in self.ordered_columns),
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.fixed_rows,
            self.fixed_columns,
            self.show_header,
            self.header_height,
            self.show_row_labels,
            self._labelled_row_exists,
            self._row_label_column_width,
            self.cell_padding,
            self.zebra_stripes,
            self.cursor_foreground_priority,
            self.cursor_background_priority,
        )
        return super().render_lines(crop)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """DataTable's, without Rich's padding and line machinery for the usual cell: a
        one-line row's Text of one line that fits its column (fill makes every cell fit)."""
        if row_index < 0 or column_index < 0 or self._tall_rows:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cell = self._data.get(row_key, {}).get(column_key) if row_key is not None else None
        padding = self.cell_padding
        if (
            not isinstance(cell, Text)
            or cell.justify not in (None, "default", "left")
            or "\n" in cell.plain
            or "\t" in cell.plain
            or cell.cell_len > width - 2 * padding
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(key)
        if lines is not None:
            return lines
        is_fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            is_fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        console = self.app.console
        if cell.spans:  # the base style under the spans, as Rich's own rendering has it
            text = list(cell.render(console, end=""))
        else:
            text = [Segment(cell.plain, console.get_style(cell.style) if cell.style else None)]
        segments = [
            Segment(" " * padding),
            *text,
            Segment(" " * (width - padding - cell.cell_len)),
        ]
        lines = [
            list(
                Segment.apply_style(segments, style=style + component_style, post_style=post_style)
            )
        ]
        self._cell_render_cache[key] = lines
        return lines

    def _marker(self, at: Coordinate, row_index: int) -> object:
        """What of the cursor (or hover) at `at` shows on the row at `row_index`."""
        kind = self.cursor_type
        if kind == "row":
            return at.row == row_index
        if kind == "cell":
            return at.column if at.row == row_index else -1
        if kind == "column":
            return at.column
        return None

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        try:
            row_key, line_in_row = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        if row_key is self._header_row_key:
            index, version = -1, self._columns_version
        else:
            index = self._row_locations.get(row_key)
            version = self._row_versions.get(row_key)
            if index is None or version is None:  # not a row of ours: no caching
                self.lines_rendered += 1
                return super()._render_line(y, x1, x2, base_style)
        stamp = (version, index, self._frame)
        kept = self._strips.get(row_key)
        if kept is None or kept[0] != stamp:
            kept = (stamp, {})
            self._strips[row_key] = kept
        lines = kept[1]
        line_key = (
            line_in_row,
            x1,
            x2,
            self.size.width,
            base_style,
            self._marker(self.cursor_coordinate, index),
            self._marker(self.hover_coordinate, index) if self._show_hover_cursor else None,
        )
        strip = lines.get(line_key)
        if strip is None:
            if len(lines) >= self.LINES_PER_ROW:
                lines.clear()
            strip = super()._render_line(y, x1, x2, base_style)
            lines[line_key] = strip
            self.lines_rendered += 1
        return strip


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


def _same_raw(a: Cell, b: Cell) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, Text):
        return _same(a, b)  # type: ignore[arg-type]
    return a == b


def _fit_row(
    memo: dict[str, dict[str, tuple[Cell, int, bool, bool, Text]]],
    key: str,
    cells: dict[str, Cell],
    fitting: list[tuple[str, int, bool]],
    ascii_only: bool,
) -> dict[str, Text]:
    """The row's cells fitted to their columns; a cell given as before (same value, width)
    is the same Text object as before, so it is not compared or repainted again."""
    kept = memo.setdefault(key, {})
    out = {}
    for ckey, width, figure in fitting:
        raw = cells.get(ckey, "")
        was = kept.get(ckey)
        if (
            was is not None
            and was[1] == width
            and was[2] == figure
            and was[3] == ascii_only
            and _same_raw(was[0], raw)
        ):
            out[ckey] = was[4]
        else:
            fitted = fit_cell(raw, width, figure=figure, ascii_only=ascii_only)
            kept[ckey] = (raw, width, figure, ascii_only, fitted)
            out[ckey] = fitted
    return out


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
    fitting = [(c.key, widths.get(c.key) or c.width or c.max_width, c.figure) for c in columns]
    if isinstance(table, Table):
        memo, whole = table.fitted, table.fitted_rows
        fitted_rows = []
        for key, cells in rows:
            # a panel that kept a row's cells (made from unchanged inputs) gives the same
            # dict again: its fitted row is the one made before
            kept = whole.get(key)
            if (
                kept is not None
                and kept[0] is cells
                and kept[1] == fitting
                and kept[2] == ascii_only
            ):
                fitted_rows.append((key, kept[3]))
                continue
            out = _fit_row(memo, key, cells, fitting, ascii_only)
            whole[key] = (cells, fitting, ascii_only, out)
            fitted_rows.append((key, out))
        rows = fitted_rows
        if len(memo) > len(keys) or len(whole) > len(keys):
            for gone in memo.keys() - set(keys):
                del memo[gone]
            for gone in whole.keys() - set(keys):
                del whole[gone]
    else:
        rows = [
            (
                key,
                {
                    ckey: fit_cell(cells.get(ckey, ""), width, figure=figure, ascii_only=ascii_only)
                    for ckey, width, figure in fitting
                },
            )
            for key, cells in rows
        ]
    if isinstance(table, Table) and keys != current:
        table.set_rows([(key, [cells[c.key] for c in columns]) for key, cells in rows])
        if holds:
            if selected is not None and selected.value in keys:
                table.move_cursor(row=keys.index(selected.value), animate=False)
            else:  # as after a clear: the top
                to_top(table)
    elif keys == current:
        for key, cells in rows:
            for column in columns:
                value = cells[column.key]
                try:
                    shown = table.get_cell(key, column.key)
                    if shown is not value and not _same(shown, value):
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

    def show(self, text: Text, *, shrink: bool = False) -> None:
        """A refresh grows the line when the text needs more room, and leaves it as high
        as it is for a shorter text (blank below it): the table above does not jump with
        every poll, and no layout of the screen is paid for. `shrink` (the user moved
        to another row) fits it to the text."""
        if text != getattr(self, "_shown", None) or shrink:
            show_text(self, text, getattr(self, "_shown", None), shrink=shrink)
            self._shown = text


def show_text(widget: Static, text: Text, shown: Text | None, *, shrink: bool = True) -> None:
    """`widget.update(text)`, without a layout of the screen when `text` is as many lines
    high as the `shown` one at the widget's width (a layout repaints every widget on the
    screen); with `shrink` False, also when it is fewer lines than the widget has now."""
    width = widget.content_region.width
    auto_width = widget.styles.width is not None and widget.styles.width.is_auto
    if shown is None or width <= 0 or auto_width:
        widget.update(text)
        return
    styles = widget.styles
    after = _capped(widget, visualize(widget, text, markup=False).get_height(styles, width))
    high = widget.content_region.height
    if shrink:
        before = _capped(widget, visualize(widget, shown, markup=False).get_height(styles, width))
        widget.update(text, layout=before != after or after < high)
    else:
        widget.update(text, layout=after > high)


def _capped(widget: Static, lines: int) -> int:
    """`lines` of content, no more than the widget's max-height (in lines) lets it show."""
    limit = widget.styles.max_height
    if limit is None or limit.unit is not Unit.CELLS:
        return lines
    box = widget.styles.padding.height + widget.styles.border.spacing.height
    return min(lines, max(0, int(limit.value) - box))


def selected_key(table: DataTable[Cell]) -> str | None:
    if not table.row_count or table.cursor_row >= table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
