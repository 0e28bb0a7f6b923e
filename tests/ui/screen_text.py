"""The text on screen, line by line, read from the app's own SVG screenshot."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from textual.app import App

_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[\w-]*line-(\d+)\)">([^<]*)</text>'
)
CELL_WIDTH = 12.2  # Rich's SVG export: one terminal cell, in SVG units


def screen_lines(app: App[object]) -> list[str]:
    lines: dict[int, dict[int, str]] = defaultdict(dict)
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        column = round(float(x) / CELL_WIDTH)
        for i, ch in enumerate(html.unescape(text).replace("\xa0", " ")):
            lines[int(line)][column + i] = ch
    width, height = app.size
    return ["".join(lines[n].get(c, " ") for c in range(width)) for n in range(height)]
