"""Typed configuration: built-in defaults < TOML file < environment < command-line flags.

The file lives at ``--config PATH``, else ``$FLOORWATCH_CONFIG``, else
``<user config dir>/floorwatch/config.toml`` (absent is fine). A wrong key or value is one line
naming the key and the file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from floorwatch.domain.alerts import AlertRules
from floorwatch.errors import UserError

PANELS = ("summary", "work_centers", "utilization", "runs", "trends", "alerts")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Intervals(_Strict):
    """Seconds between polls of each panel (the ERP dashboard's defaults)."""

    summary: float = Field(default=30, gt=0, le=3600)
    work_centers: float = Field(default=30, gt=0, le=3600)
    utilization: float = Field(default=10, gt=0, le=3600)
    runs: float = Field(default=5, gt=0, le=3600)
    trends: float = Field(default=60, gt=0, le=3600)
    alerts: float = Field(default=5, gt=0, le=3600)


# Every panel polled once an hour: a screen drawn from its first polls that then stays still
# (screenshots, snapshot tests, the benchmark's render measurement).
STILL = Intervals(
    summary=3600, work_centers=3600, utilization=3600, runs=3600, trends=3600, alerts=3600
)


class Config(_Strict):
    dsn: str | None = None
    tenant: str | None = None
    facility: str | None = None
    reader_role: str = "floorwatch_reader"
    statement_timeout_ms: int = Field(default=5000, ge=100)
    intervals: Intervals = Intervals()
    alerts: AlertRules = AlertRules()
    bell: bool = False
    ascii: bool = False
    theme: str | None = None
    kiosk_seconds: float | None = Field(default=None, gt=0)
    speed: float = Field(default=60, gt=0, le=86400)
    data_dir: Path | None = None


def default_config_path() -> Path:
    env = os.environ.get("FLOORWATCH_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("floorwatch")) / "config.toml"


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    kind = first["type"]
    message = "unknown key" if kind == "extra_forbidden" else first["msg"]
    return f"{key}: {message}"


def read_file(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise UserError(f"config file not found: {path}")
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"config file {path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UserError(f"config file {path}: cannot read: {exc.strerror}") from None


def _from_environment() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, var in (("tenant", "FLOORWATCH_TENANT"), ("facility", "FLOORWATCH_FACILITY")):
        if os.environ.get(var):
            values[key] = os.environ[var]
    if os.environ.get("FLOORWATCH_DATA_DIR"):
        values["data_dir"] = os.environ["FLOORWATCH_DATA_DIR"]
    return values


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(
    config_path: Path | None = None, flags: dict[str, Any] | None = None
) -> tuple[Config, Path]:
    """Build the configuration; returns it with the file path it looked at."""
    path = config_path or default_config_path()
    from_file = read_file(path, required=config_path is not None)
    try:
        Config.model_validate(from_file)
    except ValidationError as exc:
        raise UserError(f"config file {path}: {_describe(exc)}") from None
    layered = _merge(from_file, _from_environment())
    layered = _merge(layered, {k: v for k, v in (flags or {}).items() if v is not None})
    try:
        return Config.model_validate(layered), path
    except ValidationError as exc:
        raise UserError(f"invalid setting {_describe(exc)}") from None


def parse_interval_flags(values: list[str]) -> dict[str, float]:
    """`--interval runs=2 --interval alerts=1` → {"runs": 2.0, "alerts": 1.0}."""
    parsed: dict[str, float] = {}
    for item in values:
        name, sep, seconds = item.partition("=")
        if not sep or name not in PANELS:
            raise UserError(
                f"--interval takes PANEL=SECONDS with PANEL one of {', '.join(PANELS)}: {item!r}"
            )
        try:
            parsed[name] = float(seconds)
        except ValueError:
            raise UserError(f"--interval {name}: not a number of seconds: {seconds!r}") from None
    return parsed
