"""The one cleaning of text typed by people: what a terminal could act on never survives."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from floorwatch.text import PLACEHOLDER, clean

KEPT = {"\u200c", "\u200d", *map(chr, range(0xE0020, 0xE0080))}  # ZWNJ, ZWJ, flag tags


def test_every_control_and_format_character_is_replaced() -> None:
    unsafe = [
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs", "Zl", "Zp") and chr(cp) not in KEPT
    ]
    assert len(unsafe) > 200
    survivors = [hex(ord(ch)) for ch in unsafe if clean(f"a{ch}b") == f"a{ch}b"]
    assert survivors == []


def test_escape_sequences_lose_their_escape() -> None:
    assert clean("A\x1b[2JB") == f"A{PLACEHOLDER}[2JB"
    assert clean("\x1b]52;c;cHduZWQ=\x07") == f"{PLACEHOLDER}]52;c;cHduZWQ={PLACEHOLDER}"
    assert clean("x\x9b31m") == f"x{PLACEHOLDER}31m"  # C1 CSI
    assert clean("evil\u202edcba") == f"evil{PLACEHOLDER}dcba"  # right-to-left override


def test_line_breaks_and_tabs_become_spaces() -> None:
    assert clean("Roll\nchange\tnow\r") == "Roll change now "
    assert clean("a\u2028b") == "a b"


def test_printable_text_is_untouched() -> None:
    for text in ["DIG-02", "[/]Mars base", "[@click=app.quit]x", "印刷機 3号", "שלום", "👨‍👩‍👧 ❤️"]:
        assert clean(text) == text


def test_combining_marks_are_composed_to_one_cell() -> None:
    assert clean("Cafe\u0301") == "Café"
    assert cell_len(clean("Cafe\u0301")) == 4


def test_the_placeholder_is_asked_for() -> None:
    assert clean("a\x00b", placeholder="?") == "a?b"


@given(st.text())
def test_clean_output_is_printable_and_stable(text: str) -> None:
    out = clean(text)
    assert clean(out) == out
    assert not any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in out), out
    assert "\x1b" not in out
