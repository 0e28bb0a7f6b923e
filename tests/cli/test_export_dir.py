"""export_dir (config key, --export-dir): a directory that is missing, a file, unwritable or
blank is one line on stderr and exit 2 at startup, before any server is started."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_helpers import assert_clean_failure, clean_env, floorwatch
from floorwatch.config import load_config

QUICK = 30.0


@pytest.mark.parametrize("kind", ["missing", "a file", "blank"])
def test_a_bad_export_dir_flag_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    env = clean_env(tmp_path)
    target = {"missing": str(tmp_path / "nowhere"), "a file": str(tmp_path / "f"), "blank": " "}
    (tmp_path / "f").write_text("x")
    r = floorwatch("--export-dir", target[kind], "check", env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert "export_dir: is not an existing directory" in r.err or "--export-dir" in r.err
    assert not (tmp_path / "data").exists()


def test_a_bad_export_dir_in_the_config_file_names_key_and_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'export_dir = "{tmp_path / "nowhere"}"\n')
    env = clean_env(tmp_path, FLOORWATCH_CONFIG=str(config))
    r = floorwatch("check", env=env, timeout=QUICK)
    assert_clean_failure(r)
    assert f"config file {config}: export_dir: is not an existing directory" in r.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_export_dir_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(Exception, match="cannot write to"):
        load_config(None, {"export_dir": str(locked)})


def test_export_dir_expands_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FLOORWATCH_CONFIG", str(tmp_path / "none.toml"))
    config, _ = load_config(None, {"export_dir": "~"})
    assert config.export_dir == tmp_path
