from __future__ import annotations

from pathlib import Path

import pytest

from floorwatch.config import load_config, parse_interval_flags
from floorwatch.db import dsn
from floorwatch.errors import UserError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FLOORWATCH_CONFIG", str(tmp_path / "absent.toml"))
    for var in (
        "FLOORWATCH_DSN",
        "DATABASE_URL",
        "PGHOST",
        "PGDATABASE",
        "PGPORT",
        "PGUSER",
        "PGPASSWORD",
        "FLOORWATCH_TENANT",
        "FLOORWATCH_FACILITY",
        "FLOORWATCH_DATA_DIR",
    ):
        monkeypatch.delenv(var, raising=False)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_defaults_are_the_erp_intervals(tmp_path: Path) -> None:
    config, path = load_config(None, {})
    assert path == tmp_path / "absent.toml"  # absent default file is fine
    i = config.intervals
    assert (i.summary, i.work_centers, i.utilization, i.runs, i.trends, i.alerts) == (
        30,
        30,
        10,
        5,
        60,
        5,
    )


def test_precedence_flags_over_env_over_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, 'tenant = "FILE"\nfacility = "F1"\n[intervals]\nruns = 7\nalerts = 9\n')
    config, _ = load_config(path, {})
    assert (config.tenant, config.facility, config.intervals.runs) == ("FILE", "F1", 7)
    monkeypatch.setenv("FLOORWATCH_TENANT", "ENV")
    config, _ = load_config(path, {})
    assert config.tenant == "ENV" and config.facility == "F1"
    config, _ = load_config(path, {"tenant": "FLAG", "intervals": {"runs": 2}})
    assert config.tenant == "FLAG"
    assert config.intervals.runs == 2 and config.intervals.alerts == 9  # merged, not replaced


def test_unknown_key_names_key_and_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "[alerts]\nscrap_warnig_pct = 3\n")
    with pytest.raises(UserError) as err:
        load_config(path, {})
    assert str(path) in str(err.value) and "alerts.scrap_warnig_pct: unknown key" in str(err.value)


def test_interval_flags() -> None:
    assert parse_interval_flags(["runs=2", "alerts=0.5"]) == {"runs": 2.0, "alerts": 0.5}
    with pytest.raises(UserError):
        parse_interval_flags(["bogus=2"])
    with pytest.raises(UserError):
        parse_interval_flags(["runs"])


def test_dsn_resolution_order(monkeypatch: pytest.MonkeyPatch) -> None:
    assert dsn.resolve(None, None).source == "embedded"
    monkeypatch.setenv("PGDATABASE", "plant")
    assert dsn.resolve(None, None) == dsn.Target(None, "libpq")
    assert dsn.resolve(None, "postgresql://cfg/db").source == "config"
    monkeypatch.setenv("DATABASE_URL", "postgresql://url/db")
    assert dsn.resolve(None, "postgresql://cfg/db").source == "DATABASE_URL"
    monkeypatch.setenv("FLOORWATCH_DSN", "postgresql://fw/db")
    assert dsn.resolve(None, None).source == "FLOORWATCH_DSN"
    assert dsn.resolve("postgresql://flag/db", None) == dsn.Target("postgresql://flag/db", "flag")


def test_redact_and_describe_never_show_password() -> None:
    uri = "postgresql://alice:hunter2@db.example:6432/plant?sslmode=require&password=x9"
    assert dsn.redact(uri) == (
        "postgresql://alice:***@db.example:6432/plant?sslmode=require&password=***"
    )
    assert dsn.describe(uri) == "db.example:6432/plant"
    assert "hunter2" not in dsn.scrub(f"failed: {uri} hunter2", uri)


def test_keyword_dsn_becomes_uri() -> None:
    uri = dsn.normalize("host=db port=5433 dbname=plant user=mon password='p w'")
    assert uri == "postgresql://mon:p%20w@db:5433/plant"
    sock = dsn.normalize("host=/var/run/postgresql dbname=plant")
    assert sock == "postgresql:///plant?host=/var/run/postgresql"


@pytest.mark.parametrize(
    "bad", ["mysql://x/y", "nonsense", "host=db bogus=1", "postgresql://h:port/d"]
)
def test_bad_dsns_are_user_errors(bad: str) -> None:
    with pytest.raises(UserError):
        dsn.normalize(bad)
