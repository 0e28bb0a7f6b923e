"""CLI messages quote names from the database and what the user typed: cleaned, one line, no
escape sequence reaches the terminal (a facility code carrying OSC 52 once set the clipboard)."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from floorwatch.text import PLACEHOLDER


def _no_escapes(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in text)


def test_choices_from_the_database_are_cleaned(hostile: tuple[str, list], tmp_path: Path) -> None:
    dsn, _ = hostile
    r = floorwatch("check", "--dsn", dsn, "--facility", "NOPE", env=clean_env(tmp_path))
    assert_clean_failure(r)
    assert "unknown facility" in r.err
    assert "[/]MARS" in r.err and PLACEHOLDER in r.err  # shown, with the escape made visible
    _no_escapes(r.both)


def test_what_the_user_typed_is_cleaned(hostile: tuple[str, list], tmp_path: Path) -> None:
    dsn, _ = hostile
    env = clean_env(tmp_path)
    r = floorwatch("check", "--dsn", dsn, "--tenant", "\x1b]52;c;QQ==\x07x\ny", env=env)
    assert_clean_failure(r)
    assert "unknown tenant" in r.err
    _no_escapes(r.both)
    r = floorwatch("screenshot", "--out", str(tmp_path), "--size", "\x1b[2J80x24", env=env)
    assert_clean_failure(r)
    _no_escapes(r.both)
