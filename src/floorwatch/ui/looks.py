"""Looks: the colours of equipment states, OEE bands, run statuses, alert severities and the
connection. Each is a component class (its name in format.py) styled in app.tcss from the
theme variables below, so `--theme`, NO_COLOR (the `App:nocolor` rules in app.tcss) and
16-colour terminals (the ansi-dark / ansi-light themes) all take the one path of the
stylesheet; nothing in Python picks a colour."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from rich.style import Style
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from floorwatch.ui.format import LOOKS

# The app's default theme: Textual's dark theme with the terminal's own ANSI colours for the
# looks, as floorwatch has always shown them (a 16-colour terminal shows its palette's).
FLOORWATCH_THEME = replace(
    BUILTIN_THEMES["textual-dark"],
    name="floorwatch",
    variables={
        "fw-good": "ansi_green",
        "fw-warning": "ansi_yellow",
        "fw-bad": "ansi_red",
        "fw-waiting": "ansi_magenta",
        "fw-planned": "ansi_blue",
        "fw-on-bad": "ansi_white",
        "fw-on-warning": "ansi_black",
    },
)

# In any other theme the looks take that theme's own colours.
_FROM_THEME = {
    "fw-good": "success",
    "fw-warning": "warning",
    "fw-bad": "error",
    "fw-waiting": "accent",
    "fw-planned": "primary",
}
_TEXT_ON = {"fw-on-bad": "error", "fw-on-warning": "warning"}


def with_look_variables(variables: dict[str, str]) -> dict[str, str]:
    """A theme's CSS variables with the looks' ones it does not set itself."""
    out = dict(variables)
    if variables["success"].startswith("ansi_"):
        # a theme of the terminal's 16 colours (ansi-dark, ansi-light): its own green, yellow
        # and red, and floorwatch's ANSI colours where its accent or contrast would not do
        for name in ("fw-waiting", *_TEXT_ON):
            out.setdefault(name, FLOORWATCH_THEME.variables[name])
    for name, semantic in _FROM_THEME.items():
        out.setdefault(name, variables[semantic])
    for name, background in _TEXT_ON.items():
        out.setdefault(name, Color.parse(variables[background]).get_contrast_text(1.0).hex)
    return out


class Looks:
    """Mixin (after the widget's own base, so the widget keeps its CSS) for a widget that
    styles what it draws with the looks: `self.look(name)` is the look's Rich style in the
    current theme; when the theme changes, `restyle` draws again."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Textual gathers component classes along the first base only: declare them here
        cls.COMPONENT_CLASSES = {*cls.__dict__.get("COMPONENT_CLASSES", ()), *LOOKS}  # type: ignore[attr-defined]

    def look(self, name: str | None) -> Style:
        widget = cast(Widget, self)
        return widget.get_component_rich_style(name, partial=True) if name else Style()

    def on_mount(self) -> None:
        widget = cast(Widget, self)
        widget.app.theme_changed_signal.subscribe(widget, self._theme_changed)

    def _theme_changed(self, _theme: Any) -> None:
        self.restyle()

    def restyle(self) -> None:
        """Draw again what was drawn with the looks (override)."""
        cast(Widget, self).refresh()
