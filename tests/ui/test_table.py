"""Table: the monitor's DataTable keeps only render-cache entries the current data can use."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from floorwatch.ui.table import Cell, Column, Table, fill, selected_key

ROWS, COLUMNS = 12, 6


class _OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield Table(id="t")


def _cached(table: Table) -> dict[str, int]:
    return {
        name: len(getattr(table, name))
        for name in ("_cell_render_cache", "_row_render_cache", "_line_cache")
    }


async def test_updating_cells_poll_after_poll_does_not_pile_up_dead_render_caches() -> None:
    app = _OneTable()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(Table)
        for c in range(COLUMNS):
            table.add_column(f"c{c}", key=f"c{c}")
        for r in range(ROWS):
            table.add_row(*(f"{r}.{c}" for c in range(COLUMNS)), key=f"r{r}")
        await pilot.pause()
        shown = _cached(table)
        assert shown["_cell_render_cache"] >= ROWS * COLUMNS  # the caches are in use
        for poll in range(40):  # one changed cell per "poll", each followed by a repaint
            table.update_cell(f"r{poll % ROWS}", "c1", f"changed {poll}")
            await pilot.pause()
        # every update_cell makes all entries dead; a plain DataTable keeps them (here 40
        # times the visible cells, up to 10,000 cells and 1,000 rows and lines per table)
        after = _cached(table)
        for name, count in after.items():
            assert count <= 2 * max(shown[name], 1), (name, count, shown)
        assert table.get_cell("r3", "c1") == "changed 39"


class _Counting(Table):
    """A Table that records which of its lines were rendered afresh (not from its cache)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.fresh: list[int] = []

    def _render_line(self, y, x1, x2, base_style):  # type: ignore[no-untyped-def]
        before = self.lines_rendered
        strip = super()._render_line(y, x1, x2, base_style)
        if self.lines_rendered != before:
            self.fresh.append(y)
        return strip


class _CountingApp(App[None]):
    def compose(self) -> ComposeResult:
        yield _Counting(id="t", cursor_type="row")


def _rows(changed: dict[int, str] | None = None) -> list[tuple[str, dict[str, Cell]]]:
    changed = changed or {}
    return [
        (f"r{r}", {f"c{c}": changed.get(r, f"{r}.{c}") if c == 1 else f"{r}.{c}" for c in range(3)})
        for r in range(ROWS)
    ]


async def test_one_changed_cell_re_renders_only_its_row_and_an_unchanged_refresh_nothing() -> None:
    app = _CountingApp()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(_Counting)
        columns = [Column(f"c{c}", f"c{c}", 8) for c in range(3)]
        fill(table, columns, _rows())
        await pilot.pause()
        assert sorted(table.fresh) == list(range(ROWS + 1))  # the header and every row
        table.fresh.clear()
        fill(table, columns, _rows())  # the same data again
        await pilot.pause()
        assert table.fresh == []
        fill(table, columns, _rows({5: "new"}))  # one cell of row 5 (line 6: under the header)
        await pilot.pause()
        assert table.fresh == [6]
        assert table.get_cell("r5", "c1") == Text("new")
        table.fresh.clear()
        # rows re-ordered: the two that swapped places re-render, the others keep their lines
        swapped = _rows({5: "new"})
        swapped[2], swapped[3] = swapped[3], swapped[2]
        fill(table, columns, swapped)
        await pilot.pause()
        assert sorted(table.fresh) == [3, 4]
        assert [r.key.value for r in table.ordered_rows][1:5] == ["r1", "r3", "r2", "r4"]
        table.fresh.clear()
        # a row gone and a new one at the end: the rows after the gone one move up a line
        fewer = [row for row in swapped if row[0] != "r9"] + [("r99", {"c0": "x"})]
        fill(table, columns, fewer)
        await pilot.pause()
        assert sorted(table.fresh) == [10, 11, 12]  # r10, r11 moved up; r99 is new
        assert table.row_count == ROWS
        assert table.get_cell("r99", "c1") == Text("")


async def test_a_kept_row_follows_its_key_when_rows_are_added_above_it() -> None:
    app = _CountingApp()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(_Counting)
        columns = [Column(f"c{c}", f"c{c}", 8) for c in range(3)]
        fill(table, columns, _rows())
        await pilot.pause()
        await pilot.press("down", "down", "down")  # the user moves to r3
        assert selected_key(table) == "r3"
        fill(table, columns, [("new", {"c0": "n"}), *_rows()])
        await pilot.pause()
        assert selected_key(table) == "r3"
        assert table.cursor_row == 4
        table.touched_at = None  # the user let go: back to the top on the next refresh
        fill(table, columns, _rows())
        await pilot.pause()
        assert (table.cursor_row, table.scroll_y) == (0, 0)


async def test_a_fitting_text_cell_renders_as_datatable_renders_it() -> None:
    """The fast path for one-line cells draws exactly what DataTable's own rendering draws:
    each character with the same style (base styles, spans, cursor row, padding, fill)."""
    app = _CountingApp()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(_Counting)
        cells = [
            Text("plain"),
            Text("based", style="bold red"),
            Text.assemble("R-1 ", ("late", "italic #ff0000"), style="underline"),
            Text(""),
        ]
        for c in range(len(cells)):
            table.add_column(f"c{c}", key=f"c{c}", width=9)
        table.add_row(*cells, key="a")
        table.add_row(*reversed(cells), key="b")
        await pilot.pause()

        def drawn(lines: list[list[object]]) -> list[tuple[str, object]]:
            return [(ch, seg.style) for line in lines for seg in line for ch in seg.text]  # type: ignore[attr-defined]

        base = table.rich_style
        compared = 0
        for row in range(2):
            for column in range(len(cells)):
                for cursor in (False, True):
                    fast = table._render_cell(row, column, base, 11, cursor=cursor)
                    table._cell_render_cache.clear()
                    own = DataTable._render_cell(table, row, column, base, 11, cursor=cursor)
                    table._cell_render_cache.clear()
                    assert drawn(fast) == drawn(own), (row, column, cursor)
                    compared += 1
        assert compared == 16
