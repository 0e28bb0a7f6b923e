"""README's promises: the two commands at the top, and .ci/run running exactly the test one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ci_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    marker = lines.index("# --- test command (keep identical to README.md) ---")
    return lines[marker + 1].strip()


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    readme = (ROOT / "README.md").read_text()
    head = "\n".join(readme.splitlines()[:30])
    assert _ci_command() in head


def test_readme_starts_with_the_demo_command() -> None:
    head = "\n".join((ROOT / "README.md").read_text().splitlines()[:30])
    assert "floorwatch demo" in head
