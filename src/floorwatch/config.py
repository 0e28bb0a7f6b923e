"""Typed configuration: built-in defaults < TOML file < environment < command-line flags.

The file lives at ``--config PATH``, else ``$FLOORWATCH_CONFIG``, else
``<user config dir>/floorwatch/config.toml`` (absent is fine). A wrong key or value is one line
naming the key and the file.
"""

from __future__ import annotations

import math
import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal, Self

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
)
from pydantic_core import PydanticCustomError

from floorwatch.domain.alerts import AlertRules
from floorwatch.domain.losses import LossRules
from floorwatch.errors import UserError
from floorwatch.panels import MAX_POLL_S, MIN_POLL_S, PANELS, panel_names

# User-facing bounds (the intervals' are the registry's). A kiosk page turned faster than every
# 5 s cannot be read (and a zero-delay timer would starve the event loop).
MIN_KIOSK_S = 5.0
MAX_KIOSK_S = 86400.0
# statement_timeout: PostgreSQL takes at most INT_MAX ms; a monitor's query never needs an hour
MIN_STATEMENT_TIMEOUT_MS = 100
MAX_STATEMENT_TIMEOUT_MS = 3_600_000
# a config file is a few hundred bytes; anything this large is the wrong file (--config /dev/zero)
MAX_CONFIG_BYTES = 1024 * 1024

_INJECTED = "floorwatch.injected_intervals"


class _Strict(BaseModel):
    # strict: "5000", "yes" and true are refused, not coerced (a TOML integer still fills a
    # float field: `runs = 2`); NaN and infinities are refused everywhere
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _poll(default: float) -> Any:
    return Field(default=default, gt=0, le=MAX_POLL_S)


class _IntervalRules(_Strict):
    """Seconds between polls of each panel, at least MIN_POLL_S when they come from the user.
    The fields are the registry's panels (`Intervals` below)."""

    @field_validator("*")
    @classmethod
    def _at_least_a_second(cls, value: float, info: ValidationInfo) -> float:
        if value < MIN_POLL_S and not (info.context or {}).get(_INJECTED):
            raise PydanticCustomError(
                "poll_floor", "must be at least {floor} second", {"floor": _number(MIN_POLL_S)}
            )
        return value

    @classmethod
    def injected(cls, **seconds: float) -> Self:
        """Intervals below the user-facing floor, for code that builds the app itself (tests
        that count polls). Types, finiteness and the upper bound are still checked; nothing a
        user types (config file, --interval) comes through here."""
        return cls.model_validate(seconds, context={_INJECTED: True})

    def seconds(self, key: str) -> float:
        """The interval of the registry's panel `key` (a drill-down's `interval_key`)."""
        return float(getattr(self, key))


# one float field per panel of the registry, defaulting to its default_seconds
Intervals = create_model(
    "Intervals",
    __base__=_IntervalRules,
    __module__=__name__,
    **{p.name: (float, _poll(p.default_seconds)) for p in PANELS},
)

# Every panel polled once an hour: a screen drawn from its first polls that then stays still
# (screenshots, snapshot tests, the benchmark's render measurement).
STILL = Intervals(**dict.fromkeys(panel_names(), MAX_POLL_S))


# the alert command (#12 item 6): how long it may run before it is killed
MIN_COMMAND_TIMEOUT_S = 1.0
MAX_COMMAND_TIMEOUT_S = 600.0


class AlertSettings(AlertRules):
    """The `[alerts]` table: the rules' thresholds (domain/alerts.AlertRules, pure numbers the
    domain reads) plus the optional command run when an alert starts firing or escalates
    (floorwatch/alert_action.py). The command is an argv list, never a shell line."""

    command: tuple[str, ...] | None = None
    command_timeout_seconds: float = Field(
        default=10, ge=MIN_COMMAND_TIMEOUT_S, le=MAX_COMMAND_TIMEOUT_S
    )

    @field_validator("command", mode="before")
    @classmethod
    def _argv(cls, value: object) -> object:
        """A TOML array of strings, the program first. The message never quotes the value (a
        webhook's token may be in it)."""
        if value is None or isinstance(value, tuple):
            return value
        if not isinstance(value, list):
            raise PydanticCustomError(
                "command_type",
                'must be an array of strings, the program first (["notify-send", "alert"]; '
                "no shell), not {kind}",
                {"kind": "a string" if isinstance(value, str) else _kind(value)},
            )
        if not value:
            raise PydanticCustomError("command_empty", "must name a program: an empty array")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise PydanticCustomError(
                    "command_item",
                    "element {n} must be a quoted string, not {kind}",
                    {"n": i + 1, "kind": _kind(item)},
                )
        if not value[0].strip():
            raise PydanticCustomError("command_program", "its first element (the program) is empty")
        if any("\x00" in item for item in value):
            raise PydanticCustomError("command_nul", "holds a NUL character")
        return tuple(value)


class CheckRules(_Strict):
    """`floorwatch check`: data older than this (newest status change or run update) is stale."""

    stale_after_minutes: float = Field(default=15, gt=0, le=10080)


class PushSettings(_Strict):
    """`[push]`: refresh on the database's change notices (db/changes.py) as well as on timers.
    While push is on, every interval is `stretch` times longer (a change is fetched when it is
    made, so the timers only catch what the clock alone changes: ages, durations, pace);
    notices are gathered for `debounce_ms` before the panels that read the changed tables
    fetch. `enabled = false` polls only (behind a transaction-mode pooler, where LISTEN
    cannot work)."""

    enabled: bool = True
    stretch: float = Field(default=3, ge=1, le=20)
    debounce_ms: int = Field(default=200, ge=0, le=10_000)
    retry_seconds: float = Field(default=30, ge=1, le=3600)


class Config(_Strict):
    dsn: str | None = None
    tenant: str | None = None
    facility: str | None = None
    reader_role: str = "floorwatch_reader"
    # what sits between the monitor and the server: "transaction" for a transaction-mode pooler
    # (PgBouncer pool_mode=transaction), where session settings do not hold (db/pool.py POOLERS)
    pooler: Literal["none", "session", "transaction"] = "none"
    statement_timeout_ms: int = Field(
        default=5000, ge=MIN_STATEMENT_TIMEOUT_MS, le=MAX_STATEMENT_TIMEOUT_MS
    )
    intervals: Intervals = Intervals()
    alerts: AlertSettings = AlertSettings()
    losses: LossRules = LossRules()
    check: CheckRules = CheckRules()
    push: PushSettings = PushSettings()
    bell: bool = False
    ascii: bool = False
    theme: str | None = None
    kiosk_seconds: float | None = Field(default=None, ge=MIN_KIOSK_S, le=MAX_KIOSK_S)
    layout: Literal["normal", "wall"] = "normal"  # "wall": the TV layout (--wall)
    speed: float = Field(default=60, gt=0, le=86400)
    data_dir: Path | None = Field(default=None, strict=False)  # a TOML string is a path
    # where `e` (CSV export) and the palette's screenshot write; None: the current directory
    export_dir: Path | None = Field(default=None, strict=False)

    @field_validator("alerts", mode="before")
    @classmethod
    def _thresholds_only(cls, value: object) -> object:
        """Code that builds a Config may give the rules' thresholds alone (AlertRules)."""
        if isinstance(value, AlertRules) and not isinstance(value, AlertSettings):
            return AlertSettings.model_validate(value.model_dump())
        return value

    @field_validator("export_dir", mode="before")
    @classmethod
    def _export_dir_not_blank(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("export_dir_empty", "is empty: give a directory")
        return value

    @field_validator("export_dir")
    @classmethod
    def _export_dir_writable(cls, value: Path | None) -> Path | None:
        """Checked at startup, so a bad directory is one line then, not a failed export later."""
        if value is None:
            return None
        path = value.expanduser()
        if not path.is_dir():
            raise PydanticCustomError("export_dir", "is not an existing directory")
        if not os.access(path, os.W_OK | os.X_OK):
            raise PydanticCustomError("export_dir", "is a directory this user cannot write to")
        return path

    @field_validator("dsn")
    @classmethod
    def _dsn_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise PydanticCustomError("dsn_empty", "is empty: give a connection URI")
        return value


def default_config_path() -> Path:
    env = os.environ.get("FLOORWATCH_CONFIG")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("floorwatch")) / "config.toml"


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        return "a string (write numbers and true/false without quotes)"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _problem(error: ValidationError) -> tuple[str, str]:
    """(key, what is wrong) for the first error, in words that never quote a string value
    (the dsn key may hold a password)."""
    first = error.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    kind, ctx, given = first["type"], first.get("ctx") or {}, first.get("input")
    bounds = {
        "greater_than": "must be greater than {gt}",
        "greater_than_equal": "must be at least {ge}",
        "less_than": "must be less than {lt}",
        "less_than_equal": "must be at most {le}",
    }
    types = {
        "int_type": "must be a whole number",
        "float_type": "must be a number",
        "bool_type": "must be true or false",
        "string_type": "must be a quoted string",
        "model_type": "must be a table",
        "dict_type": "must be a table",
        "path_type": "must be a quoted string (a path)",
    }
    if kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "finite_number" or (isinstance(given, float) and not math.isfinite(given)):
        message = "not a finite number"
    elif kind == "literal_error":  # the choices are ours, never the user's string
        message = f"must be {ctx.get('expected', 'one of the listed choices')}"
    elif kind in bounds:
        message = bounds[kind].format(**{k: _number(v) for k, v in ctx.items()})
    elif kind in types:
        message = f"{types[kind]}, not {_kind(given)}"
    else:
        message = first["msg"]
    return key, message


def _describe(error: ValidationError) -> str:
    key, message = _problem(error)
    return f"{key}: {message}"


def read_file(path: Path, *, required: bool) -> dict[str, Any]:
    """The TOML table in `path`: a regular file of at most MAX_CONFIG_BYTES of UTF-8."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if required:
            raise UserError(f"config file not found: {path}") from None
        return {}
    except OSError as exc:
        raise UserError(f"config file {path}: cannot read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):  # a directory, /dev/zero, a FIFO that never ends …
        raise UserError(f"config file {path}: not a regular file")
    if info.st_size > MAX_CONFIG_BYTES:
        raise UserError(f"config file {path}: too large ({info.st_size} bytes; at most 1 MiB)")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)  # it may have grown since the stat
    except OSError as exc:
        raise UserError(f"config file {path}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise UserError(f"config file {path}: too large (at most 1 MiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"config file {path}: not UTF-8 text (bad byte on line {line})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"config file {path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise UserError(f"config file {path}: not valid TOML: nested too deeply") from None


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
    """`--interval runs=2 --interval alerts=1` → {"runs": 2.0, "alerts": 1.0}, each within the
    bounds of the config file's [intervals]."""
    parsed: dict[str, float] = {}
    for item in values:
        name, sep, seconds = item.partition("=")
        if not sep or name not in panel_names():
            raise UserError(
                f"--interval takes PANEL=SECONDS with PANEL one of {', '.join(panel_names())}: "
                f"{item!r}"
            )
        try:
            parsed[name] = float(seconds)
        except ValueError:
            raise UserError(f"--interval {name}: not a number of seconds: {seconds!r}") from None
        try:
            Intervals.model_validate({name: parsed[name]})
        except ValidationError as exc:
            raise UserError(f"--interval {name}: {_problem(exc)[1]}") from None
    return parsed
