"""README's Simulator section states the bounds `simulate` enforces: keep them in step."""

from __future__ import annotations

from pathlib import Path

from floorwatch.sim import options as lim

README = Path(__file__).resolve().parents[2] / "README.md"


def _simulator_section() -> str:
    text = README.read_text()
    start = text.index("## Simulator")
    return " ".join(text[start : text.index("\n## ", start + 1)].split())


def test_readme_states_the_simulate_bounds() -> None:
    section = _simulator_section()
    for stated in (
        f"`--backfill-days` 0 to {lim.MAX_BACKFILL_DAYS}",
        f"`--until` from {lim.EARLIEST_UNTIL:%Y-%m-%d} to a year from now",
        f"`--speed` {lim.MIN_SPEED:g} to {lim.MAX_SPEED:g}",
        f"`--duration` 0 to {lim.MAX_DURATION_S:.0f}",
        f"`--tenants` at most {lim.MAX_TENANTS}",
        f"`--facilities` {lim.MAX_FACILITIES}",
        f"`--work-centers` {lim.MAX_WORK_CENTERS}",
        f"at most {lim.MAX_WORK_CENTER_DAYS:,} work-center days",
    ):
        assert stated in section, stated
    assert lim.LATEST_UNTIL_AHEAD.days in (365, 366)  # "a year from now"
