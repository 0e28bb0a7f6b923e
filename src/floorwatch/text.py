"""Text typed by people in an ERP, made safe to show: the one way database text (and anything
else a user typed) reaches the screen or stderr.

`clean` replaces every control and invisible formatting character with a visible placeholder
(ESC, C0/C1 controls, DEL, bidi overrides and isolates, zero-width spaces, lone surrogates), so
no escape sequence reaches a terminal, no row is reordered by a bidi control and nothing
invisible changes how a code compares by eye. Line breaks and tabs become a space. The result is
NFC-normalized, so a letter with a combining accent is one cell wide as the terminal draws it.
Markup is a separate matter: the UI never hands a `str` to a widget that parses markup (it
builds `rich.text.Text`), so `[/]` or `[@click=…]` in a name is shown as typed.
"""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDER = "\ufffd"  # the Unicode replacement character: visibly "something was here"
ASCII_PLACEHOLDER = "?"

_SPACES = "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"

# Unicode categories Cc, Cf, Cs, Zl and Zp (Python 3.11's tables), less ZWNJ/ZWJ (U+200C/D,
# which join emoji and shape Indic and Persian text) and the tag characters of flag emoji.
# tests/unit/test_text.py checks this list against unicodedata.
_UNSAFE = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001"
    "\ud800-\udfff"
    "]"
)


def clean(text: str, *, placeholder: str = PLACEHOLDER) -> str:
    """`text` with nothing in it that a terminal would act on or that would not show."""
    if text.isascii():
        if text.isprintable():
            return text
    elif _UNSAFE.search(text) is None:
        return unicodedata.normalize("NFC", text)  # a quick check when already normalized
    cleaned = _UNSAFE.sub(lambda m: " " if m.group() in _SPACES else placeholder, text)
    return unicodedata.normalize("NFC", cleaned)


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean(text)


def for_terminal(message: str) -> str:
    """One line for stderr: cleaned, with the ASCII placeholder when stderr cannot take UTF-8."""
    import sys

    encoding = (getattr(sys.stderr, "encoding", None) or "ascii").lower().replace("-", "")
    placeholder = PLACEHOLDER if encoding in ("utf8", "utf16", "utf32") else ASCII_PLACEHOLDER
    return clean(message, placeholder=placeholder)
