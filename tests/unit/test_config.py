from __future__ import annotations

from pathlib import Path

import pytest

from floorwatch.config import (
    MAX_CONFIG_BYTES,
    Config,
    Intervals,
    load_config,
    parse_interval_flags,
)
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
    assert parse_interval_flags(["runs=2", "alerts=1"]) == {"runs": 2.0, "alerts": 1.0}
    with pytest.raises(UserError):
        parse_interval_flags(["bogus=2"])
    with pytest.raises(UserError):
        parse_interval_flags(["runs"])


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("runs=0.5", "--interval runs: must be at least 1 second"),
        ("alerts=1e-9", "--interval alerts: must be at least 1 second"),
        ("trends=0", "--interval trends: must be greater than 0"),
        ("summary=nan", "--interval summary: not a finite number"),
        ("summary=inf", "--interval summary: not a finite number"),
        ("runs=3601", "--interval runs: must be at most 3600"),
    ],
)
def test_interval_flags_are_bounded(flag: str, message: str) -> None:
    with pytest.raises(UserError) as err:
        parse_interval_flags([flag])
    assert str(err.value) == message


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
    "bad",
    [
        "mysql://x/y",
        "nonsense",
        "host=db bogus=1",
        "postgresql://h:port/d",
        "postgresql://u:pw@[::1/db",
        "postgresql://u:pw@]::1/db",
        "postgresql://u@h1:5432,h2:x/db",
        "postgresql://u@h1:5432,,h2/db",
        "postgresql://u@h:99999/db",
        "host=[::1 dbname=x",
    ],
)
def test_bad_dsns_are_user_errors(bad: str) -> None:
    with pytest.raises(UserError):
        dsn.normalize(bad)


# --- DSN parsing never raises past a UserError, and never shows the password ---

UNPARSEABLE = "postgresql://u:pw-S3cret@[::1/db"


def test_unparseable_uri_is_a_user_error_without_the_password() -> None:
    with pytest.raises(UserError) as err:
        dsn.normalize(UNPARSEABLE, "--dsn")
    assert str(err.value) == (
        "--dsn: not a valid connection URI (unbalanced [ ] around an IPv6 host)"
    )


def test_scrub_redact_describe_survive_an_unparseable_uri() -> None:
    message = f"failed for {UNPARSEABLE} with pw-S3cret"
    scrubbed = dsn.scrub(message, UNPARSEABLE)
    assert "pw-S3cret" not in scrubbed and "postgresql://u:***@" in scrubbed
    assert "pw-S3cret" not in dsn.redact(UNPARSEABLE)
    assert dsn.describe(UNPARSEABLE) == "(unparseable connection URI)"
    assert dsn.secrets_of(UNPARSEABLE) == ["pw-S3cret"]


def test_scrub_hides_a_password_of_an_environment_dsn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOORWATCH_DSN", "postgresql://u:env-Pa55@[::1/db")
    assert dsn.scrub("oops env-Pa55", None) == "oops ***"


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("postgresql://u@h1:5432,h2:5433/db", "h1:5432,h2:5433/db"),
        ("postgresql://u@h1:5432,h2/db", "h1:5432,h2/db"),
        ("postgresql://u@h1,h2:5433/db?target_session_attrs=primary", "h1,h2:5433/db"),
        ("postgresql://u@[::1]:5432,[::2]:5433/db", "[::1]:5432,[::2]:5433/db"),
    ],
)
def test_multi_host_uris_are_accepted(uri: str, shown: str) -> None:
    assert dsn.normalize(uri) == uri
    assert dsn.describe(uri) == shown


def test_redact_keeps_a_socket_uri_intact() -> None:
    uri = "postgresql:///plant?host=/run/pg&password=x9"
    assert dsn.redact(uri) == "postgresql:///plant?host=/run/pg&password=***"


@pytest.mark.parametrize("value", ["", "   "])
@pytest.mark.parametrize(
    ("source", "label"),
    [("flag", "--dsn"), ("FLOORWATCH_DSN", "FLOORWATCH_DSN"), ("DATABASE_URL", "DATABASE_URL")],
)
def test_an_empty_dsn_that_is_set_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str, source: str, label: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://lower/db")  # never the fallback
    if source != "flag":
        monkeypatch.setenv(source, value)
    with pytest.raises(UserError) as err:
        dsn.resolve(value if source == "flag" else None, "postgresql://cfg/db")
    assert str(err.value) == f"{label} is empty: give a connection URI"


def test_an_empty_config_dsn_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, 'dsn = "  "\n')
    with pytest.raises(UserError) as err:
        load_config(path, {})
    assert str(err.value) == f"config file {path}: dsn: is empty: give a connection URI"


# --- strict types and bounds the server accepts ---


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("statement_timeout_ms = 99999999999", "statement_timeout_ms: must be at most 3600000"),
        ("statement_timeout_ms = 50", "statement_timeout_ms: must be at least 100"),
        ('statement_timeout_ms = "5000"', "statement_timeout_ms: must be a whole number, not a"),
        ("statement_timeout_ms = true", "statement_timeout_ms: must be a whole number, not true"),
        ("statement_timeout_ms = 5000.0", "statement_timeout_ms: must be a whole number, not a"),
        ('bell = "yes"', "bell: must be true or false, not a string"),
        ("bell = 1", "bell: must be true or false, not an integer"),
        ("ascii = 0", "ascii: must be true or false, not an integer"),
        ("speed = true", "speed: must be a number, not true"),
        ("speed = nan", "speed: not a finite number"),
        ("kiosk_seconds = inf", "kiosk_seconds: not a finite number"),
        ("kiosk_seconds = 1", "kiosk_seconds: must be at least 5"),
        ("kiosk_seconds = 1e-300", "kiosk_seconds: must be at least 5"),
        ("tenant = 21", "tenant: must be a quoted string, not an integer"),
        ("intervals = 5", "intervals: must be a table, not an integer"),
        ("[intervals]\nruns = nan", "intervals.runs: not a finite number"),
        ("[intervals]\nruns = -inf", "intervals.runs: not a finite number"),
        ("[intervals]\nruns = 1e-9", "intervals.runs: must be at least 1 second"),
        ("[intervals]\nruns = 0.5", "intervals.runs: must be at least 1 second"),
        ('[intervals]\nruns = "5"', "intervals.runs: must be a number, not a string"),
        ("[intervals]\nalerts = 3601", "intervals.alerts: must be at most 3600"),
        ('[alerts]\nscrap_min_pieces = "100"', "alerts.scrap_min_pieces: must be a whole"),
        ("[alerts]\nscrap_min_pieces = 1e12", "alerts.scrap_min_pieces: must be a whole"),
        ("[alerts]\nscrap_min_pieces = 99999999999", "alerts.scrap_min_pieces: must be at most"),
        ("[alerts]\nscrap_warning_pct = true", "alerts.scrap_warning_pct: must be a number"),
        ("[alerts]\nscrap_warning_pct = nan", "alerts.scrap_warning_pct: not a finite number"),
        ("[alerts]\nwait_warning_minutes = inf", "alerts.wait_warning_minutes: not a finite"),
    ],
)
def test_strict_values_are_refused_naming_key_and_file(
    tmp_path: Path, toml: str, message: str
) -> None:
    path = _write(tmp_path, toml + "\n")
    with pytest.raises(UserError) as err:
        load_config(path, {})
    assert str(err.value).startswith(f"config file {path}: {message}"), str(err.value)


def test_integers_fill_number_fields_and_bounds_admit_the_edges(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "statement_timeout_ms = 3600000\nkiosk_seconds = 5\nspeed = 1\nbell = true\n"
        'data_dir = "/srv/fw"\n[intervals]\nruns = 2\nalerts = 1\n'
        "[alerts]\nscrap_warning_pct = 3\nscrap_min_pieces = 10\n",
    )
    config, _ = load_config(path, {})
    assert config.statement_timeout_ms == 3_600_000
    assert config.kiosk_seconds == 5.0 and config.speed == 1.0 and config.bell is True
    assert config.intervals.runs == 2.0 and isinstance(config.intervals.runs, float)
    assert config.intervals.alerts == 1.0
    assert config.alerts.scrap_warning_pct == 3.0 and config.alerts.scrap_min_pieces == 10
    assert config.data_dir == Path("/srv/fw")


def test_flags_are_held_to_the_same_bounds(tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        load_config(None, {"speed": float("nan")})
    assert str(err.value) == "invalid setting speed: not a finite number"


def test_injected_intervals_skip_only_the_user_floor() -> None:
    fast = Intervals.injected(runs=0.2, alerts=0.2)
    assert (fast.runs, fast.alerts, fast.summary) == (0.2, 0.2, 30)
    assert Config(intervals=fast).intervals.runs == 0.2  # an app built directly may poll fast
    for bad in ({"runs": 0}, {"runs": float("nan")}, {"runs": "1"}, {"runz": 1}):
        with pytest.raises(ValueError):
            Intervals.injected(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Intervals(runs=0.2)  # the user-facing constructor keeps the floor


# --- the file itself ---


def test_a_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'# ok\ntenant = "K\xf6ln"\n')
    with pytest.raises(UserError) as err:
        load_config(path, {})
    assert str(err.value) == f"config file {path}: not UTF-8 text (bad byte on line 2)"


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "."])
def test_a_config_that_is_not_a_regular_file(special: str) -> None:
    with pytest.raises(UserError) as err:
        load_config(Path(special), {})
    assert str(err.value) == f"config file {special}: not a regular file"


def test_a_config_file_over_a_mebibyte(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text("# " + "x" * MAX_CONFIG_BYTES + "\n")
    with pytest.raises(UserError) as err:
        load_config(path, {})
    assert "too large" in str(err.value) and str(path) in str(err.value)


def test_a_deeply_nested_config(tmp_path: Path) -> None:
    path = _write(tmp_path, "x = " + "[" * 100_000)
    with pytest.raises(UserError) as err:
        load_config(path, {})
    assert str(err.value).startswith(f"config file {path}: not valid TOML")


def test_the_readme_example_config_loads(tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    example = re.search(r"```toml\n(.*?)```", readme, re.S)
    assert example is not None
    config, _ = load_config(_write(tmp_path, example.group(1)), {})
    assert config.statement_timeout_ms == 5000 and config.intervals.runs == 5
