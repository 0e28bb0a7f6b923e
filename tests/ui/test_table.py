"""Table: the monitor's DataTable keeps only render-cache entries the current data can use."""

from __future__ import annotations

from textual.app import App, ComposeResult

from floorwatch.ui.table import Table

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
