"""Issue 7, items 9 and 10: every `simulate` flag is bounded and refused at argument parsing
(one line, exit 2, no traceback), before any connection is tried."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import assert_clean_failure, clean_env, floorwatch

# nothing listens there: a refusal that came later than parsing would say "cannot connect"
NOWHERE = "postgresql://u@127.0.0.1:1/plant"

CASES = [
    ("--until", "9999-12-31", "must be from 2000-01-01 to a year from now"),
    ("--until", "0001-01-01", "must be from 2000-01-01 to a year from now"),
    ("--until", "9999-12-31T23:00:00-05:00", "must be from 2000-01-01"),  # overflows in UTC
    ("--until", "0001-01-01T00:00:00+05:00", "must be from 2000-01-01"),
    ("--until", "1999-12-31T23:59:59", "must be from 2000-01-01"),
    ("--until", "not-a-date", "not an ISO timestamp"),
    ("--backfill-days", "99999999999", "must be 0 to 3660"),
    ("--backfill-days", "100000", "must be 0 to 3660"),
    ("--backfill-days", "3661", "must be 0 to 3660"),
    ("--backfill-days", "-1", "must be 0 to 3660"),
    ("--backfill-days", "1e5", "not a whole number"),
    ("--backfill-days", "9" * 5000, "not a whole number"),  # past int()'s digit limit
    ("--speed", "nan", "not a finite number"),
    ("--speed", "inf", "not a finite number"),
    ("--speed", "0", "must be at least 0.01 and at most 3600"),
    ("--speed", "-5", "must be at least 0.01 and at most 3600"),
    ("--speed", "3600.5", "must be at least 0.01 and at most 3600"),
    ("--speed", "1e-300", "must be at least 0.01"),
    ("--duration", "nan", "not a finite number"),
    ("--duration", "-inf", "not a finite number"),
    ("--duration", "-1", "must be at least 0 and at most 2592000"),
    ("--duration", "2592001", "must be at least 0 and at most 2592000"),
    ("--tenants", "0", "must be 1 to 50"),
    ("--tenants", "51", "must be 1 to 50"),
    ("--facilities", "21", "must be 1 to 20"),
    ("--work-centers", "501", "must be 1 to 500"),
    ("--work-centers", "100000", "must be 1 to 500"),
]


@pytest.mark.parametrize(("flag", "value", "message"), CASES)
def test_simulate_refuses_out_of_bounds_at_parsing(
    tmp_path: Path, flag: str, value: str, message: str
) -> None:
    r = floorwatch("simulate", "--dsn", NOWHERE, f"{flag}={value}", env=clean_env(tmp_path))
    assert_clean_failure(r)
    assert f"argument {flag}: {message}" in r.err, r.err
    assert "internal error" not in r.err and "cannot connect" not in r.err


@pytest.mark.parametrize(
    "args",
    [
        ("--backfill-days", "3660", "--speed", "3600", "--duration", "2592000"),
        ("--until", "2000-01-01", "--speed", "0.01"),
        ("--tenants", "50", "--facilities", "20", "--work-centers", "500", "--backfill-days", "0"),
    ],
)
def test_bounds_in_range_pass_parsing(tmp_path: Path, args: tuple[str, ...]) -> None:
    """The extreme accepted values get past parsing (and then fail only to connect)."""
    r = floorwatch("simulate", "--dsn", NOWHERE, *args, env=clean_env(tmp_path))
    assert_clean_failure(r)
    assert "cannot connect" in r.err, r.err


def test_too_much_history_in_all_is_refused_before_connecting(tmp_path: Path) -> None:
    r = floorwatch(
        "simulate", "--dsn", NOWHERE, "--work-centers", "500", "--backfill-days", "3660",
        env=clean_env(tmp_path),
    )  # fmt: skip
    assert_clean_failure(r)
    assert "1,830,000 work-center days" in r.err and "more than 200,000" in r.err, r.err
