"""The `floorwatch` command line. Every failure a user can cause ends as one line on stderr and
exit code 2 (see exit_codes.py); nothing here prints a traceback."""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, NoReturn

from floorwatch import __version__, exit_codes, logs
from floorwatch.cli_support import Invocation, emit_json
from floorwatch.config import (
    MAX_KIOSK_S,
    MIN_KIOSK_S,
    load_config,
    parse_interval_flags,
)
from floorwatch.db import dsn as dsn_mod
from floorwatch.errors import UserError
from floorwatch.panels import panel_names
from floorwatch.sim import options as sim_limits
from floorwatch.text import for_terminal

DESCRIPTION = """\
Live terminal monitor of shop-floor production over PostgreSQL.

Without a subcommand it opens the monitor. The database is --dsn, else $FLOORWATCH_DSN, else
$DATABASE_URL, else the config file's dsn, else libpq's environment (PGHOST, PGPORT, PGUSER,
PGDATABASE, PGPASSWORD, ~/.pgpass) when PGHOST or PGDATABASE is set, else an embedded
PostgreSQL in the user's data directory with a simulated demo plant.
"""

EPILOG = """\
exit codes: 0 ok, 1 degraded (check) or a warning firing (alerts), 2 bad input or cannot
connect, 3 a critical alert firing (alerts), 130 interrupted.
config file: --config PATH, $FLOORWATCH_CONFIG, or the user config dir's floorwatch/config.toml.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        line = for_terminal(f"{self.prog}: error: {message} (see --help)")  # quotes argv
        self.exit(exit_codes.BAD_INPUT, line + "\n")


def _positive_float(text: str) -> float:
    value = _finite(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0: {text!r}")
    return value


def _directory(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give a directory")
    return Path(text)  # whether it exists and is writable: the config's check (one place)


def _kiosk_seconds(text: str) -> float:
    value = _finite(text)
    if not MIN_KIOSK_S <= value <= MAX_KIOSK_S:
        raise argparse.ArgumentTypeError(
            f"must be between {MIN_KIOSK_S:g} and {MAX_KIOSK_S:g} seconds: {text!r}"
        )
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT, e.g. 120x40: {text!r}")
    w, h = int(width), int(height)
    if not (40 <= w <= 400 and 12 <= h <= 200):
        raise argparse.ArgumentTypeError(f"size out of range (40x12 .. 400x200): {text!r}")
    return w, h


def _timestamp(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---- simulate's flags: each bounded, so a typo cannot ask for centuries of rows -------------


def _finite(text: str) -> float:
    """The one parse of a number flag: NaN and infinity are never a number of anything."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text[:40]!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text[:40]!r}")
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _float_in(low: float, high: float, *, low_allowed: bool) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = _finite(text)
        if value < low or (value == low and not low_allowed) or value > high:
            relation = "at least" if low_allowed else "more than"
            raise argparse.ArgumentTypeError(
                f"must be {relation} {_num(low)} and at most {_num(high)}: {text[:40]!r}"
            )
        return value

    return parse


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {low} to {high}: {text[:40]!r}")
        return value

    return parse


_AGE_UNITS = {"s": 1 / 60, "m": 1.0, "min": 1.0, "h": 60.0, "d": 1440.0}


def _stale_after(text: str) -> float:
    """`check --stale-after`: 90s, 15m, 2h, 1d or a bare number of minutes; in minutes."""
    number = text.strip().lower()
    unit = next((u for u in sorted(_AGE_UNITS, key=len, reverse=True) if number.endswith(u)), "")
    value = _finite(number[: len(number) - len(unit)] if unit else number)
    minutes = value * _AGE_UNITS.get(unit, 1.0)
    if not 0 < minutes <= 10080:
        raise argparse.ArgumentTypeError(
            f"must be more than 0 and at most 7 days (10080 minutes): {text[:40]!r}"
        )
    return minutes


def _sim_until(text: str) -> datetime:
    from floorwatch.sim.options import EARLIEST_UNTIL, latest_until

    value = _timestamp(text)
    latest = latest_until()
    try:
        inside = EARLIEST_UNTIL <= value <= latest
    except OverflowError:  # an offset pushes it past year 1 or 9999
        inside = False
    if not inside:
        raise argparse.ArgumentTypeError(
            f"must be from {EARLIEST_UNTIL:%Y-%m-%d} to a year from now "
            f"({latest:%Y-%m-%d}): {text[:40]!r}"
        )
    return value


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS  # absent flags stay absent, so the config file can supply them
    group = common.add_argument_group("database and scope")
    group.add_argument("--dsn", default=s, help="PostgreSQL URI or key=value string")
    group.add_argument("--config", type=Path, default=s, help="TOML config file")
    group.add_argument("--tenant", default=s, help="tenant code or id")
    group.add_argument("--facility", default=s, help="facility code or id")
    return common


def _monitor_options(parser: argparse.ArgumentParser) -> None:
    s = argparse.SUPPRESS
    group = parser.add_argument_group("monitor")
    group.add_argument(
        "--interval",
        action="append",
        default=s,
        metavar="PANEL=SECONDS",
        help=f"poll interval of a panel ({', '.join(panel_names())})",
    )
    group.add_argument("--bell", action="store_true", default=s, help="ring on a new alert")
    group.add_argument("--ascii", action="store_true", default=s, help="plain-ASCII drawing")
    group.add_argument(
        "--theme", default=s, help="Textual theme (default floorwatch); states take its colours"
    )
    group.add_argument(
        "--kiosk",
        type=_kiosk_seconds,
        default=s,
        metavar="SECONDS",
        help="unattended: every SECONDS show the next facility, or (one facility) "
        "the worst work center's drill-down and back",
    )
    group.add_argument(
        "--export-dir",
        type=_directory,
        default=s,
        metavar="DIR",
        help="where e (CSV export) and the palette's screenshot write (default: current directory)",
    )
    group.add_argument(
        "--wall",
        action="store_const",
        const="wall",
        dest="layout",
        default=s,
        help="the wall layout for a TV: big OEE and good count, an andon tile per work "
        'center, new alerts in bold (config: layout = "wall")',
    )
    group.add_argument(
        "--speed",
        type=_positive_float,
        default=s,
        help="demo only: simulated seconds per real second (default 60)",
    )


def _first_start(text: str) -> time:
    """`shifts --first-start`: a time of day, HH:MM (H:MM too)."""
    found = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", text.strip())
    if not found:
        raise argparse.ArgumentTypeError(f"not a time of day HH:MM: {text[:40]!r}")
    hours, minutes = found.groups()
    if int(hours) > 23 or int(minutes) > 59:
        raise argparse.ArgumentTypeError(f"not a time of day (00:00 to 23:59): {text[:40]!r}")
    return time(int(hours), int(minutes))


def _shift_hours(text: str) -> int:
    from floorwatch.db.shifts import SHIFT_HOURS

    choices = ", ".join(map(str, SHIFT_HOURS[:-1])) + f" or {SHIFT_HOURS[-1]}"
    if not re.fullmatch(r"[0-9]{1,2}", text.strip()) or int(text) not in SHIFT_HOURS:
        raise argparse.ArgumentTypeError(
            f"must be {choices} (shifts that fill a day): {text[:40]!r}"
        )
    return int(text)


def _shifts_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    shifts = sub.add_parser(
        "shifts",
        parents=[common],
        help="show or set each facility's shift pattern (run as admin)",
        description="Without --first-start/--hours: list each facility's shift pattern (the "
        "first shift's start, plant-local, and the shift length; the production day starts "
        "with the first shift) and whether it is set or assumed (an adopted ERP database has "
        "no shift pattern of its own). With them: set the pattern of --facility (and --tenant "
        "when the code is in several tenants); a flag not given keeps its value. Run it as the "
        "schema owner (adopted: the adopting login) or a superuser.",
    )
    shifts.add_argument(
        "--first-start", type=_first_start, default=None, metavar="HH:MM",
        help="when the first shift starts, plant-local",
    )  # fmt: skip
    shifts.add_argument(
        "--hours", type=_shift_hours, default=None, metavar="N",
        help="shift length in hours: 6, 8, 12 or 24",
    )  # fmt: skip
    shifts.add_argument("--json", action="store_true", help="machine-readable output")


def _report_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser(
        "report",
        parents=[common],
        help="the handover report of a shift (text, --json or --markdown)",
        description="Per work center and for the facility: target, actual, efficiency, good, "
        "scrap, rework, downtime, OEE with A / P / Q, the six losses in minutes and the downtime "
        "by reason (README: Numbers). Read-only, like the monitor.",
    )
    report.add_argument(
        "--shift", default="current", metavar="SHIFT",
        help="current (default), previous, or YYYY-MM-DD/N: shift N of that production day",
    )  # fmt: skip
    form = report.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="machine-readable output")
    form.add_argument("--markdown", action="store_true", help="Markdown tables (e-mail, print)")


ALERTS_DESCRIPTION = """\
The alerts firing now in one facility, as the monitor's alert log has them (acknowledgements
and mutes read from the monitor's local store): severity, status, work center, kind, since
(when it started firing), value, threshold and key; --json adds the message. Read-only.

With --watch: poll every [intervals] alerts seconds (or --interval) and print each change, an
alert that started firing, escalated or resolved (the first poll prints those firing then).
The config's [alerts] command runs for each alert that starts firing or escalates, here as in
the monitor, with the alert as JSON on its stdin (README: Alerts for scripts).
"""

ALERTS_EPILOG = """\
exit codes (without --watch): 0 nothing firing, 1 a warning firing, 3 a critical alert firing
(acknowledged alerts count; pending ones and those of muted work centers do not), 2 bad input
or cannot connect. --watch runs until SIGINT / SIGTERM and then exits 0.
"""


def _alerts_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    from floorwatch.panels import MAX_POLL_S, MIN_POLL_S

    alerts = sub.add_parser(
        "alerts",
        parents=[common],
        help="the firing alerts, for scripts (exit 0 none, 1 warnings, 3 criticals)",
        description=ALERTS_DESCRIPTION,
        epilog=ALERTS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    alerts.add_argument("--json", action="store_true", help="machine-readable output")
    alerts.add_argument(
        "--all",
        action="store_true",
        help="also list pending alerts and those of muted work centers (not with --watch)",
    )
    alerts.add_argument(
        "--watch",
        action="store_true",
        help="keep polling and print the changes (with --json: one JSON object per line)",
    )
    alerts.add_argument(
        "--interval",
        dest="watch_interval",
        type=_float_in(MIN_POLL_S, MAX_POLL_S, low_allowed=True),
        default=None,
        metavar="SECONDS",
        help="with --watch: seconds between polls (default: [intervals] alerts, 5)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = _Parser(
        prog="floorwatch",
        description=DESCRIPTION,
        epilog=EPILOG,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"floorwatch {__version__}")
    _monitor_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="monitor the embedded demo plant with the simulator running live",
        description="Start the embedded PostgreSQL, seed a demo plant on first use, run the "
        "simulator live in the background and open the monitor.",
    )
    demo.add_argument("--reset", action="store_true", help="wipe the demo data and seed anew")
    demo.add_argument(
        "--erp-schema",
        action="store_true",
        help="run the demo on the ERP's own tables: a second embedded database "
        "(floorwatch_erp) with the ERP's schema, adopted, the simulator writing through the "
        "ERP's columns (with --reset: recreate that database only)",
    )
    _monitor_options(demo)

    mig = sub.add_parser(
        "migrate",
        parents=[common],
        help="apply pending schema migrations (or adopt an ERP database)",
        description="Apply the versioned SQL migrations in order (safe to run concurrently). "
        "On a database holding the ERP's own tables it changes nothing and offers adoption: "
        "floorwatch's objects in their own schema `floorwatch`, the ERP's tables given only "
        "indexes built CONCURRENTLY (README: Run it on your ERP database). On an adopted "
        "database it applies the pending adoption steps.",
    )
    what = mig.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true", help="list applied and pending versions")
    what.add_argument(
        "--adopt", action="store_true", help="adopt the ERP's tables in place (see --dry-run)"
    )
    what.add_argument(
        "--fix-erp-status",
        action="store_true",
        help="adopted: widen equipment_status_log.status and previous_status to varchar(40) "
        "(a catalogue change, no rewrite), so every documented status fits",
    )
    what.add_argument(
        "--unadopt",
        action="store_true",
        help="remove everything adoption added (not --fix-erp-status's wider columns)",
    )
    mig.add_argument(
        "--dry-run",
        action="store_true",
        help="with --adopt, --unadopt or --fix-erp-status: print the plan, change nothing",
    )

    sim = sub.add_parser(
        "simulate",
        parents=[common],
        help="write a simulated print plant into the database",
        description="Write a believable print plant: backfill history, then run live.",
    )
    lim = sim_limits
    sim.add_argument("--seed", type=int, default=1, help="same seed, same rows (default 1)")
    sim.add_argument(
        "--speed",
        type=_float_in(lim.MIN_SPEED, lim.MAX_SPEED, low_allowed=True),
        default=60.0,
        help="simulated seconds per real second "
        f"(default 60, {_num(lim.MIN_SPEED)} to {_num(lim.MAX_SPEED)})",
    )
    sim.add_argument(
        "--backfill-days",
        type=_int_in(0, lim.MAX_BACKFILL_DAYS),
        default=7,
        help=f"days of history (default 7, at most {lim.MAX_BACKFILL_DAYS})",
    )
    sim.add_argument(
        "--duration",
        type=_float_in(0, lim.MAX_DURATION_S, low_allowed=True),
        default=0.0,
        help="seconds to run live after the backfill (0 = backfill only, the default; at most "
        f"{_num(lim.MAX_DURATION_S)}); when the tenant exists already, its plant is resumed live",
    )
    for flag, per, high in (
        ("--tenants", "", lim.MAX_TENANTS),
        ("--facilities", "per tenant", lim.MAX_FACILITIES),
        ("--work-centers", "per facility", lim.MAX_WORK_CENTERS),
    ):
        default = lim.SimOptions.model_fields[flag[2:].replace("-", "_")].default
        bounds = f"default {default}, at most {high}"
        sim.add_argument(
            flag,
            type=_int_in(1, high),
            default=default,
            help=f"{per} ({bounds})" if per else bounds,
        )
    sim.add_argument(
        "--until",
        type=_sim_until,
        default=None,
        help="end of the backfill, ISO (default: now; from 2000-01-01 to a year from now)",
    )

    chk = sub.add_parser(
        "check",
        parents=[common],
        help="health of the database for monitoring (exit 0 healthy, 1 degraded, 2 down)",
        description="Server and schema version, pending migrations, tables, indexes, row-level "
        "security, each panel query's latency and data freshness (the age of each facility's "
        "newest status change and run update). The embedded default is seeded on first use.",
    )
    chk.add_argument("--json", action="store_true", help="machine-readable output")
    chk.add_argument(
        "--stale-after",
        type=_stale_after,
        default=None,
        metavar="AGE",
        help="degraded when a facility's newest status change or run update is older than this: "
        "90s, 15m, 2h or minutes (default 15m; config [check] stale_after_minutes; at most 7 d)",
    )

    grant = sub.add_parser(
        "grant",
        parents=[common],
        help="let a login see a tenant (--revoke takes it away, --list shows the grants)",
        description="Record which tenants a login may see: the monitor's row-level security and "
        "its facility list admit only those (README: Security). Run it as the schema owner "
        "(the login that ran `floorwatch migrate`) or a superuser; --tenant takes a code or id.",
    )
    grant.add_argument("--login", default=None, help="the login role the monitor connects as")
    what = grant.add_mutually_exclusive_group()
    what.add_argument("--revoke", action="store_true", help="take the tenant away from the login")
    what.add_argument("--list", action="store_true", help="list the grants (of --login, if given)")

    _shifts_parser(sub, common)
    _report_parser(sub, common)
    _alerts_parser(sub, common)

    shot = sub.add_parser(
        "screenshot",
        parents=[common],
        help="render the screens headless into SVG files",
        description="Render the main screen, a drill-down, the help screen, the shift and "
        "losses screens, the wall layout and the disconnected state from a deterministic demo "
        "dataset (on a throwaway embedded server; no database is written to) into SVG files.",
    )
    shot.add_argument("--out", type=Path, required=True, help="output directory")
    shot.add_argument("--size", type=_size, default=(120, 40), help="WIDTHxHEIGHT (120x40)")

    bench = sub.add_parser(
        "bench",
        parents=[common],
        help="benchmark the panel queries at a named data scale",
        description="Load a plant at a named scale (into --dsn, else a fresh embedded server; "
        "as a superuser by bulk COPY of simulated data with older history cloned in SQL, "
        "otherwise through the simulator), then measure the round-trip floor, each panel "
        "query's p50/p95/p99 through the real data layer, a full refresh, the query plans, "
        "the headless monitor (render time, CPU share, peak RSS; --no-monitor skips it) and "
        "optionally the panel latency under N concurrent monitors.",
    )
    bench.add_argument("--scale", choices=["small", "erp", "10x"], default="small")
    bench.add_argument(
        "--keep", action="store_true", help="keep (and reuse) the loaded embedded data"
    )
    bench.add_argument("--monitors", type=_non_negative_int, default=0, help="concurrent monitors")
    bench.add_argument(
        "--load-seconds", type=_positive_float, default=30.0, help="how long to run the monitors"
    )
    bench.add_argument("--iterations", type=_positive_int, default=None, help="samples per panel")
    bench.add_argument(
        "--cpu-seconds",
        type=_positive_float,
        default=30.0,
        help="how long to measure the headless monitor's CPU share at default intervals",
    )
    bench.add_argument(
        "--no-monitor", action="store_true", help="skip the headless monitor measurements"
    )
    bench.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _invocation(args: argparse.Namespace) -> Invocation:
    flags: dict[str, Any] = {
        "tenant": getattr(args, "tenant", None),
        "facility": getattr(args, "facility", None),
        "bell": getattr(args, "bell", None),
        "ascii": getattr(args, "ascii", None),
        "theme": getattr(args, "theme", None),
        "kiosk_seconds": getattr(args, "kiosk", None),
        "export_dir": getattr(args, "export_dir", None),
        "layout": getattr(args, "layout", None),
    }
    if args.command in (None, "demo") and getattr(args, "speed", None) is not None:
        flags["speed"] = args.speed
    if getattr(args, "stale_after", None) is not None:
        flags["check"] = {"stale_after_minutes": args.stale_after}
    if getattr(args, "interval", None):
        flags["intervals"] = parse_interval_flags(args.interval)
    config, path = load_config(getattr(args, "config", None), flags)
    target = dsn_mod.resolve(getattr(args, "dsn", None), config.dsn)
    if args.command == "demo":
        target = dsn_mod.Target(None, "embedded")
    return Invocation(args=args, config=config, config_path=path, target=target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    dsn_hint = getattr(args, "dsn", None)
    logs.configure(dsn_hint)
    try:
        inv = _invocation(args)
        from floorwatch import commands

        handler = {
            None: commands.monitor,
            "demo": commands.monitor,
            "migrate": commands.migrate,
            "simulate": commands.simulate,
            "check": commands.check,
            "grant": commands.grant,
            "shifts": commands.shifts,
            "report": commands.report,
            "alerts": commands.alerts,
            "screenshot": commands.screenshot,
            "bench": commands.bench,
        }[args.command]
        return handler(inv)
    except UserError as exc:
        message = dsn_mod.scrub(str(exc), dsn_hint)
        status = "unreachable" if message.startswith("cannot connect") else "error"
        _json_failure(args, status, exc.exit_code, message)
        say(message)
        return exc.exit_code
    except KeyboardInterrupt:
        say("interrupted")
        return exit_codes.INTERRUPTED
    except BrokenPipeError:
        # the reader went away (`floorwatch check --json | head`): not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return exit_codes.OK
    except Exception as exc:  # the last line of defence: logged in full, one line shown
        _json_failure(args, "error", exit_codes.BAD_INPUT, f"internal error: {type(exc).__name__}")
        _internal_error(exc, dsn_hint)
        return exit_codes.BAD_INPUT


def _internal_error(exc: Exception, dsn_hint: str | None) -> None:
    """One line for an error nobody foresaw. Nothing in here may raise again (a second
    traceback from inside the handler is what issue 7 item 3 saw)."""
    import logging

    with contextlib.suppress(Exception):
        logging.getLogger("floorwatch").exception("unexpected error")
    try:
        text = str(exc)
        detail = dsn_mod.scrub(text.splitlines()[0] if text else "", dsn_hint)
        where = f" (details in {logs.log_path()})"
    except Exception:
        detail, where = "", ""
    say(f"internal error: {type(exc).__name__}: {detail}{where}")


def _json_failure(args: argparse.Namespace, status: str, code: int, message: str) -> None:
    """`check --json` always prints its JSON, also when it fails before a report exists (a
    DSN that cannot be parsed, a server that cannot be reached, a missing grant)."""
    if args.command == "check" and getattr(args, "json", False):
        with contextlib.suppress(OSError):
            emit_json({"status": status, "exit_code": code, "error": message})


def say(message: str) -> None:
    """The one line a failure gets on stderr. Messages quote names from the database and what
    the user typed, so they are cleaned of anything a terminal would act on (and of newlines:
    one line)."""
    print(f"floorwatch: {for_terminal(message)}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
