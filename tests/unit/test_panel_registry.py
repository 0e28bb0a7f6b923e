"""The panel registry is the one list of panels: config, CLI and the data layer derive from it,
and a wrong entry or an unknown interval fails before any screen is drawn."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from floorwatch import panels as registry
from floorwatch.cli import build_parser
from floorwatch.config import STILL, Config, Intervals, load_config, parse_interval_flags
from floorwatch.db.plant import panel_calls
from floorwatch.errors import UserError
from floorwatch.panels import DRILL_DOWNS, PANELS, SUMMARY, VIEWS, drill_down, panel, panel_names

NAMES = panel_names()


async def _nothing(*_: object) -> None:
    return None


def test_config_cli_and_data_layer_list_the_registry_panels() -> None:
    assert len(set(NAMES)) == len(NAMES) == len(PANELS)
    assert tuple(Intervals.model_fields) == NAMES
    assert {name: Config().intervals.seconds(name) for name in NAMES} == {
        p.name: p.default_seconds for p in PANELS
    }
    assert STILL.model_dump() == dict.fromkeys(NAMES, 3600.0)
    views = tuple(v.name for v in VIEWS)  # the bench and `check` time the views' fetches too
    assert tuple(panel_calls(object(), datetime.now(UTC))) == NAMES + views  # type: ignore[arg-type]
    help_text = " ".join(build_parser().format_help().split())
    assert f"poll interval of a panel ({', '.join(NAMES)})" in help_text


def test_each_drill_down_runs_at_a_registry_panels_interval() -> None:
    intervals = Intervals()
    assert DRILL_DOWNS and all(d.follows in PANELS for d in DRILL_DOWNS)
    assert VIEWS and all(v.follows in PANELS for v in VIEWS)
    names = [d.name for d in DRILL_DOWNS]
    assert len(set(names)) == len(names) and not set(names) & set(NAMES)  # no borrowed names
    for d in DRILL_DOWNS:
        assert intervals.seconds(d.interval_key) == d.follows.default_seconds


NO_TABLES: frozenset[str] = frozenset()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: panel("summary", 30, _nothing, NO_TABLES), "'summary' is not a new identifier"),
        (lambda: panel("extra", 0.5, _nothing, NO_TABLES), "extra default of 0.5 s out of bounds"),
        (
            lambda: panel("extra", 7200, _nothing, NO_TABLES),
            "extra default of 7200 s out of bounds",
        ),
        (lambda: panel("two words", 5, _nothing, NO_TABLES), "'two words' is not a new identifier"),
        (
            lambda: drill_down(
                "orphan",
                type(SUMMARY)("shift_panel", 5, _nothing, NO_TABLES),
                _nothing,
                NO_TABLES,
            ),
            "orphan follows shift_panel, which is not a panel",
        ),
    ],
)
def test_a_wrong_registry_entry_fails_where_it_is_defined(make, message: str) -> None:  # type: ignore[no-untyped-def]
    before = (list(registry._panels), list(registry._drill_downs))
    with pytest.raises(ValueError, match=message):
        make()
    assert before == (registry._panels, registry._drill_downs)  # nothing half-registered


def test_an_unknown_interval_fails_at_config_time_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[intervals]\nrunz = 5\n", encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_config(path)
    assert str(raised.value) == f"config file {path}: intervals.runz: unknown key"
    with pytest.raises(UserError) as raised:
        parse_interval_flags(["runz=5"])
    assert str(raised.value) == (
        f"--interval takes PANEL=SECONDS with PANEL one of {', '.join(NAMES)}: 'runz=5'"
    )
    with pytest.raises(ValidationError):
        Intervals.injected(runz=0.5)  # tests that build the app meet the same list
