"""The wall's andon board: one tile per work center (code, state word, time in state, OEE
today), coloured by its state, in a grid whose column count follows the screen and the number
of work centers. Fed by the registry's utilization (state) and work-center (OEE) polls."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Digits, Static

from floorwatch.domain.models import EquipmentState, WorkCenterSummary, WorkCenterUtilization
from floorwatch.panels import UTILIZATION, WORK_CENTERS
from floorwatch.ui.format import NONE, STATE_LOOKS, pct, since, waiting, work_center_state_text
from floorwatch.ui.panel import Panel

TEXT_LINES = 3  # code, state and time in state, OEE
TEXT_WIDTH = 13  # "◌ NO MAT 9h59"
DIGITS_LINES = 3  # the OEE in big digits, in a roomy tile


@dataclass(frozen=True)
class TileFit:
    """How tiles are drawn: with a border and a gutter between rows, or (compact, on a small
    screen) without either."""

    border: int  # cells of border on each side
    gutter_rows: int
    gutter_columns: int = 1

    @property
    def min_height(self) -> int:
        return TEXT_LINES + 2 * self.border

    def min_width(self, widest_code: int) -> int:
        return max(TEXT_WIDTH, widest_code) + 2 * self.border


FRAMED = TileFit(border=1, gutter_rows=1)
COMPACT = TileFit(border=0, gutter_rows=0)
STATE_CLASSES = frozenset(look.look for look in STATE_LOOKS.values())


@dataclass(frozen=True)
class TileData:
    key: str  # the work center id
    code: str
    state: EquipmentState | None
    state_for: str
    oee: str
    active: bool = True


def tile_data(
    utilization: list[WorkCenterUtilization],
    summaries: dict[uuid.UUID, WorkCenterSummary],
    now: datetime,
) -> list[TileData]:
    """The tiles in code order, as the grid orders its rows."""
    tiles = []
    for u in sorted(utilization, key=lambda u: u.work_center_code):
        wc = summaries.get(u.work_center_id)
        oee = pct(wc.oee_today.oee, 0) if wc else NONE
        tiles.append(
            TileData(
                key=str(u.work_center_id),
                code=u.work_center_code,
                state=u.state,
                state_for=since(u.state_since, now),
                oee=oee,
                active=u.is_active,
            )
        )
    return tiles


def tile_columns(count: int, width: int, height: int, min_width: int, fit: TileFit) -> int:
    """How many tiles across: the count that makes the tiles largest, tiles being about twice
    as wide as high to look square (a cell is about twice as high as wide), preferring counts
    whose tiles are at least `min_width` x fit.min_height; never narrower than `min_width`
    (so a code is never cut) unless even one column is."""
    if count <= 0:
        return 1
    best: tuple[bool, float, int] | None = None
    chosen = 1
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        w = (width - (cols - 1) * fit.gutter_columns) / cols
        h = (height - (rows - 1) * fit.gutter_rows) / rows
        if w < min_width:
            break  # more columns are only narrower
        score = (h >= fit.min_height, min(w / 2, h), -cols)
        if best is None or score > best:
            best, chosen = score, cols
    return chosen


def rows_fit(count: int, cols: int, height: int, fit: TileFit) -> bool:
    rows = math.ceil(count / cols)
    return rows * fit.min_height + (rows - 1) * fit.gutter_rows <= height


def tile_text(tile: TileData, *, ascii_only: bool, roomy: bool) -> Text:
    """Code (whole: identifiers are never cut), state word and time in state, OEE (in big
    digits below instead when the tile is roomy). Plain text: the tile's colour is its CSS."""
    label, _ = work_center_state_text(tile.state, active=tile.active, ascii_only=ascii_only)
    text = Text(tile.code, style="bold", no_wrap=True, overflow="crop")
    text.append(f"\n{label} {tile.state_for}")
    text.append("\nOEE today" if roomy else f"\nOEE {tile.oee}")
    return text


def _look(tile: TileData) -> str:
    return work_center_state_text(tile.state, active=tile.active)[1]


class AndonTile(Vertical):
    DEFAULT_CLASSES = "andon"

    def __init__(self, tile: TileData, *, ascii_only: bool, roomy: bool) -> None:
        super().__init__(classes=f"andon {_look(tile)}")
        self.tile = tile
        self.drawn = (tile_text(tile, ascii_only=ascii_only, roomy=roomy), tile.oee)

    def compose(self) -> ComposeResult:
        text, oee = self.drawn
        yield Static(text, classes="andon-text")
        yield Digits(oee, classes="andon-oee")

    def show(self, tile: TileData, *, ascii_only: bool, roomy: bool) -> None:
        self.tile = tile
        drawn = (tile_text(tile, ascii_only=ascii_only, roomy=roomy), tile.oee)
        look = _look(tile)
        for name in STATE_CLASSES:
            self.set_class(name == look, name)
        if drawn == self.drawn:
            return
        # a tile not yet composed draws self.drawn when it is; one composed (mounted or not
        # yet) is updated now: either way the answer that came meanwhile is not lost
        self.drawn = drawn
        for text in self.query(".andon-text").results(Static):
            text.update(drawn[0])
        for digits in self.query(".andon-oee").results(Digits):
            digits.update(drawn[1])


class AndonBoard(Panel):
    def __init__(self) -> None:
        super().__init__("Work centers", id="wall-andon")
        self.utilization: list[WorkCenterUtilization] = []
        self.summaries: dict[uuid.UUID, WorkCenterSummary] = {}
        self.roomy = False
        self.polled = False  # the state poll has answered since the facility was chosen

    def compose(self) -> ComposeResult:
        yield Static(waiting(self.monitor.ascii), id="andon-waiting")
        yield Grid(id="andon-grid")

    def on_mount(self) -> None:
        self.add_poll(UTILIZATION, self._show_state)
        self.add_poll(WORK_CENTERS, self._show_oee)

    def on_resize(self) -> None:
        self.render_tiles()

    def _show_state(self, rows: list[WorkCenterUtilization]) -> None:
        self.utilization, self.polled = rows, True
        self.render_tiles()

    def _show_oee(self, rows: list[WorkCenterSummary]) -> None:
        self.summaries = {wc.work_center_id: wc for wc in rows}
        self.render_tiles()

    def tiles(self) -> list[AndonTile]:
        return list(self.query(AndonTile))

    def render_tiles(self) -> None:
        monitor = self.monitor
        tiles = tile_data(self.utilization, self.summaries, monitor.now())
        note = self.query_one("#andon-waiting", Static)
        note.display = not tiles
        if not tiles:
            note.update(
                "no work centers in this facility" if self.polled else waiting(monitor.ascii)
            )
        grid = self.query_one("#andon-grid", Grid)
        self._lay_out(tiles)
        shown = {t.tile.key: t for t in self.tiles()}
        if [t.key for t in tiles] == list(shown):
            for tile in tiles:
                shown[tile.key].show(tile, ascii_only=monitor.ascii, roomy=self.roomy)
            return
        # the work centers changed (first poll, another facility): new tiles (without ids,
        # so the new ones may mount while the old ones are still being removed)
        grid.remove_children()
        grid.mount_all(AndonTile(t, ascii_only=monitor.ascii, roomy=self.roomy) for t in tiles)

    def _lay_out(self, tiles: list[TileData]) -> None:
        """Framed tiles when they fit the board, else compact ones; roomy ones show the OEE
        in big digits."""
        width, height = self.content_size.width, self.content_size.height
        widest = max((cell_len(t.code) for t in tiles), default=0)
        fit = FRAMED
        cols = tile_columns(len(tiles), width, height, fit.min_width(widest), fit)
        if not rows_fit(len(tiles), cols, height, fit):
            fit = COMPACT
            cols = tile_columns(len(tiles), width, height, fit.min_width(widest), fit)
        rows = max(1, math.ceil(len(tiles) / cols))
        grid = self.query_one("#andon-grid", Grid)
        grid.styles.grid_size_columns = cols
        grid.styles.grid_size_rows = rows
        # Textual's horizontal gutter is the one between rows
        grid.styles.grid_gutter_horizontal = fit.gutter_rows
        grid.styles.grid_gutter_vertical = fit.gutter_columns
        self.set_class(fit is COMPACT, "-compact")
        tile_height = (height - (rows - 1) * fit.gutter_rows) // rows
        # big digits are box-drawing characters: not for --ascii terminals
        roomy = tile_height >= fit.min_height + DIGITS_LINES + 1
        self.roomy = roomy and not self.monitor.ascii
        self.set_class(self.roomy, "-roomy")

    def clear_data(self) -> None:
        self.utilization, self.summaries, self.polled = [], {}, False
        self.render_tiles()
