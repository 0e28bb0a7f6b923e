"""What each subcommand does, given the parsed invocation (cli.py parses, this acts)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import asyncpg

from floorwatch import exit_codes
from floorwatch.cli_support import Invocation, emit_json
from floorwatch.db import embedded
from floorwatch.db.bootstrap import (
    prepare_embedded,
    prepare_embedded_erp,
    require_reader_role,
    require_schema,
    start_embedded,
)
from floorwatch.db.dsn import Target
from floorwatch.db.mode import not_adopted_message, schema_mode
from floorwatch.db.pool import connect, create_pool
from floorwatch.db.queries import read_directory_as
from floorwatch.domain.models import Scope
from floorwatch.domain.scope import require_usable, select_scope, usable_scopes
from floorwatch.errors import UserError
from floorwatch.text import for_terminal

# The flags each of these commands passes on unchanged, as its options model names them.
SIMULATE_FLAGS = (
    "seed", "speed", "backfill_days", "duration", "tenants", "facilities", "work_centers", "until",
)  # fmt: skip
BENCH_FLAGS = ("scale", "keep", "monitors", "load_seconds", "iterations", "cpu_seconds")


def _flags(inv: Invocation, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(inv.args, name) for name in names}


def _seed_demo(dsn: str) -> object:
    from floorwatch.sim import seed_demo

    return seed_demo(dsn, on_progress=_progress)


def _progress(done: int, total: int, label: str) -> None:
    """A progress bar on stderr (only when it is a terminal)."""
    if not sys.stderr.isatty() or total <= 0:
        return
    width = 30
    filled = int(width * done / total)
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r{label:<24} [{bar}] {100 * done // total:3d}%", end=end, file=sys.stderr, flush=True)


def open_target(
    inv: Invocation, *, seed: bool, reset: bool = False, erp: bool = False
) -> tuple[Target, embedded.EmbeddedServer | None]:
    """The target to use; for the embedded default, started, migrated and (if asked) seeded;
    with `erp`, the embedded ERP-schema demo database instead (demo --erp-schema)."""
    if not inv.target.embedded:
        return inv.target, None
    data_dir = inv.config.data_dir or embedded.default_data_dir()
    server = start_embedded(data_dir)
    prepare = prepare_embedded_erp if erp else prepare_embedded
    with embedded.lock(data_dir):
        default = asyncio.run(prepare(server, seed=_seed_demo if seed else None, reset=reset))
    return default.target, server


async def _scopes(target: Target, reader_role: str | None) -> list[Scope]:
    from floorwatch.db.grants import no_grant_hint

    conn = await connect(target)
    try:
        await require_schema(target, conn)
        await require_reader_role(conn, reader_role)
        scopes = await read_directory_as(conn, reader_role)
        if not scopes and (hint := await no_grant_hint(conn)):
            raise UserError(hint)
        return scopes
    finally:
        await conn.close()


def _require_theme(name: str | None) -> None:
    """Checked before any work is done (the demo's first start seeds a plant)."""
    from textual.theme import BUILTIN_THEMES

    from floorwatch.ui.looks import FLOORWATCH_THEME

    themes = {FLOORWATCH_THEME.name, *BUILTIN_THEMES}
    if name and name not in themes:
        choices = ", ".join(sorted(themes))
        raise UserError(
            f"unknown theme {name!r} (--theme or theme in the config); one of: {choices}"
        )


def _require_terminal() -> None:
    """The monitor reads keys from stdin and draws on stderr (Textual's Linux driver writes to
    sys.__stderr__). With stdin at /dev/null Textual's input thread reads end-of-file forever
    (a core at 100 %), with stdin closed it fails at start: refuse, before a server or the
    simulator is started. stdout may be redirected: nothing is drawn there."""
    for name, stream in (("stdin", sys.stdin), ("stderr", sys.stderr)):
        try:
            is_terminal = stream is not None and stream.isatty()
        except (ValueError, OSError):  # a closed stream
            is_terminal = False
        if not is_terminal:
            raise UserError(
                f"the monitor needs a terminal, and {name} is not one "
                "(without a terminal use `floorwatch check` or `floorwatch screenshot`)"
            )


def monitor(inv: Invocation) -> int:
    _require_theme(inv.config.theme)
    _require_terminal()
    demo = inv.target.embedded
    erp = bool(inv.flag("erp_schema"))
    target, _server = open_target(inv, seed=True, reset=bool(inv.flag("reset")), erp=erp)
    scopes = asyncio.run(_scopes(target, inv.config.reader_role or None))
    scope = select_scope(scopes, inv.config.tenant, inv.config.facility)
    from floorwatch.app import run_monitor

    clock = None
    background = None
    if demo:
        from floorwatch.sim import live_demo

        assert target.dsn is not None
        clock, background = live_demo(target.dsn, scope, speed=inv.config.speed)
    # the picker and the kiosk switch only among facilities whose timezone loads
    choices = usable_scopes(scopes)
    return run_monitor(
        target,
        inv.config,
        scope,
        choices,
        demo=demo,
        demo_name="embedded ERP demo" if erp else "embedded demo",
        clock=clock,
        background=background,
    )


def migrate(inv: Invocation) -> int:
    from floorwatch import migrating

    action = next(
        (name for name in ("status", "adopt", "unadopt", "fix_erp_status") if inv.flag(name)),
        "migrate",
    ).replace("_", "-")
    dry_run = bool(inv.flag("dry_run"))
    if dry_run and action not in ("adopt", "unadopt", "fix-erp-status"):
        raise UserError("--dry-run goes with --adopt, --unadopt or --fix-erp-status")
    target, _server = open_target(inv, seed=False)

    async def go() -> int:
        conn = await connect(target)
        try:
            return await migrating.run(conn, target.display, action=action, dry_run=dry_run)
        except asyncpg.PostgresError as exc:  # e.g. a privilege this login lacks
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UserError(f"migrate failed on {target.display}: {first}") from None
        finally:
            await conn.close()

    return asyncio.run(go())


def simulate(inv: Invocation) -> int:
    from floorwatch.sim import SimOptions
    from floorwatch.sim import simulate as run_simulation
    from floorwatch.sim.options import scale_problem

    options = SimOptions(**_flags(inv, SIMULATE_FLAGS))
    problem = scale_problem(options)
    if problem:  # refused before any server is started or connected to
        raise UserError(problem)
    target, _server = open_target(inv, seed=False)
    asyncio.run(require_schema(target, erp_ok=True))  # it writes an ERP database as it is
    report = asyncio.run(run_simulation(target.dsn, options, on_progress=_progress))
    print(report)
    return exit_codes.OK


def check(inv: Invocation) -> int:
    """A failure is one line on stderr and, with --json, its JSON on stdout (cli.main)."""
    # the embedded default is seeded on first use, as the monitor's first start does
    target, server = open_target(inv, seed=True)
    return asyncio.run(_check(inv, target, server))


async def _check(inv: Invocation, target: Target, server: embedded.EmbeddedServer | None) -> int:
    from floorwatch.db.check import render_text, run_check

    reader_role = inv.config.reader_role or None
    pool = await create_pool(target, statement_timeout_ms=inv.config.statement_timeout_ms)
    try:
        async with pool.acquire() as conn:
            scopes: list[Scope] = []
            if (await schema_mode(conn)).kind == "erp":
                raise UserError(not_adopted_message(target.display))
            if await _has_schema(conn):
                # the monitor could not start without these: a clear error, not a report
                await require_reader_role(conn, reader_role)
                scopes = await read_directory_as(conn, reader_role)
        scope = _scope_for_check(scopes, inv)
        report = await run_check(
            target,
            pool,
            scope=scope,
            reader_role=reader_role,
            embedded_data_dir=str(server.data_dir) if server else None,
            facilities=_facilities_for_check(scopes, scope, inv),
            stale_after_minutes=inv.config.check.stale_after_minutes,
        )
    except asyncpg.PostgresError as exc:  # e.g. a privilege the checks need and do not expect
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"check failed on {target.display}: {first}") from None
    finally:
        await pool.close()
    if inv.flag("json"):
        emit_json(report.model_dump(mode="json"))
    else:
        for line in render_text(report).splitlines():  # names from the database and the DSN
            print(for_terminal(line))
    return report.exit_code


async def _has_schema(conn: object) -> bool:
    return bool(
        await conn.fetchval(  # type: ignore[attr-defined]
            "SELECT to_regprocedure('floorwatch_directory()') IS NOT NULL"
        )
    )


def _scope_for_check(scopes: list[Scope], inv: Invocation) -> Scope | None:
    if not scopes:
        return None
    if inv.config.tenant or inv.config.facility:
        return select_scope(scopes, inv.config.tenant, inv.config.facility)
    # unnamed: the first facility the monitor could show (or the refusal naming the first one)
    return next(iter(usable_scopes(scopes)), None) or require_usable(scopes[0])


def _facilities_for_check(scopes: list[Scope], scope: Scope | None, inv: Invocation) -> list[Scope]:
    """Freshness is reported for every facility the login sees, or the one named."""
    if scope is None:
        return []
    if inv.config.tenant or inv.config.facility:
        return [scope]
    return scopes


def grant(inv: Invocation) -> int:
    from floorwatch.db import grants

    login, tenant = inv.flag("login"), inv.flag("tenant")  # the flags only, never the config
    if inv.flag("list"):
        if tenant:
            raise UserError("grant --list lists by --login; it takes no --tenant")
    elif not login or not tenant:
        raise UserError("grant needs --login NAME and --tenant CODE (or --list)")
    target, _server = open_target(inv, seed=False)

    async def go() -> list[str]:
        conn = await connect(target)
        try:
            await require_schema(target, conn, reads=False)
            if inv.flag("list"):
                found = await grants.list_grants(conn, login)
                return [grants.render_grant(g) for g in found] or ["no tenant grants"]
            if inv.flag("revoke"):
                return await grants.revoke_tenant(conn, login, tenant)
            return await grants.grant_tenant(conn, login, tenant)
        finally:
            await conn.close()

    for line in asyncio.run(go()):
        print(line)
    return exit_codes.OK


def shifts(inv: Invocation) -> int:
    from floorwatch.db import shifts as patterns

    tenant, facility = inv.flag("tenant"), inv.flag("facility")  # the flags, never the config
    first_start, hours = inv.flag("first_start"), inv.flag("hours")
    setting = first_start is not None or hours is not None
    if setting and not facility:
        raise UserError("shifts --first-start/--hours set one facility's pattern: give --facility")
    target, _server = open_target(inv, seed=False)

    async def go() -> tuple[list[str], list[patterns.ShiftPattern]]:
        conn = await connect(target)
        try:
            mode = await require_schema(target, conn, reads=False)
            adopted, erp = mode.kind == "adopted", mode.erp_schema
            found = patterns.select(
                await patterns.list_patterns(conn, adopted=adopted, erp_schema=erp),
                tenant,
                facility,
            )
            if not setting:
                return [patterns.render_pattern(p) for p in found] or ["no facility"], found
            lines = await patterns.set_pattern(conn, found[0], first_start, hours, adopted=adopted)
            now = await patterns.list_patterns(conn, adopted=adopted, erp_schema=erp)
            return lines, [p for p in now if p.facility_id == found[0].facility_id]
        finally:
            await conn.close()

    lines, found = asyncio.run(go())
    if inv.flag("json"):
        emit_json({"facilities": [p.as_json() for p in found]})
    else:
        for line in lines:
            print(for_terminal(line))
    return exit_codes.OK


def report(inv: Invocation) -> int:
    """The handover report of one shift (floorwatch/report.py); read-only."""
    from datetime import UTC, datetime

    from floorwatch import report as handover
    from floorwatch.db.plant import PlantData
    from floorwatch.db.pool import open_database
    from floorwatch.domain.shift_report import ShiftReport
    from floorwatch.domain.shift_window import parse_shift

    target, _server = open_target(inv, seed=True)
    reader_role = inv.config.reader_role or None
    scope = select_scope(
        asyncio.run(_scopes(target, reader_role)), inv.config.tenant, inv.config.facility
    )
    now = datetime.now(UTC)
    try:
        window = parse_shift(inv.flag("shift") or "current", now, scope)
    except ValueError as exc:
        raise UserError(str(exc)) from None

    async def go() -> ShiftReport:
        db = await open_database(
            target,
            reader_role=reader_role,
            statement_timeout_ms=inv.config.statement_timeout_ms,
            pooler=inv.config.pooler,
        )
        try:
            data = PlantData(db, scope, losses=inv.config.losses)
            return await data.shift_report(window, now)
        finally:
            await db.close()

    figures = asyncio.run(go())
    small = inv.config.losses.small_stop_minutes
    if inv.flag("json"):
        emit_json(handover.report_json(figures, scope, small))
        return exit_codes.OK
    render = handover.report_markdown if inv.flag("markdown") else handover.report_text
    for line in render(figures, scope).splitlines():  # names and reasons from the database
        print(for_terminal(line))
    return exit_codes.OK


def alerts(inv: Invocation) -> int:
    """The firing alerts for scripts, once or --watch (floorwatch/alert_watch.py); read-only."""
    from floorwatch import alert_watch

    watching, show_all = bool(inv.flag("watch")), bool(inv.flag("all"))
    if show_all and watching:
        raise UserError("--all goes with the list; --watch prints the changes of every alert")
    if inv.flag("watch_interval") is not None and not watching:
        raise UserError("--interval goes with --watch")
    target, _server = open_target(inv, seed=True)
    scope = select_scope(
        asyncio.run(_scopes(target, inv.config.reader_role or None)),
        inv.config.tenant,
        inv.config.facility,
    )
    as_json = bool(inv.flag("json"))
    if watching:
        interval = inv.flag("watch_interval") or inv.config.intervals.seconds("alerts")
        return alert_watch.watch(target, inv.config, scope, as_json=as_json, interval=interval)
    return alert_watch.once(target, inv.config, scope, as_json=as_json, show_all=show_all)


def screenshot(inv: Invocation) -> int:
    from floorwatch.screenshots import write_screenshots

    out: Path = inv.args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create {out}: {exc.strerror}") from None
    # Always a throwaway embedded server: the showcase data is written, never into a plant database.
    written = write_screenshots(out, inv.args.size)
    for path in written:
        print(path)
    return exit_codes.OK


def bench(inv: Invocation) -> int:
    import tempfile
    import time

    import platformdirs

    from floorwatch.bench.report import render_table
    from floorwatch.bench.runner import BenchOptions, run_bench, tune_server

    a = inv.args
    options = BenchOptions(
        **_flags(inv, BENCH_FLAGS),
        reader_role=inv.config.reader_role or None,
        monitor_side=not a.no_monitor,
    )
    last = [0.0]

    def progress(done: int, total: int, label: str) -> None:
        if sys.stderr.isatty():
            _progress(done, total, label)
        elif time.monotonic() - last[0] > 10 or done >= total:  # a log line now and then
            last[0] = time.monotonic()
            print(f"bench: {label} {done}/{total}", file=sys.stderr, flush=True)

    server = None
    if inv.target.embedded:
        if a.keep:
            data_dir = Path(platformdirs.user_cache_dir("floorwatch")) / f"bench-{a.scale}"
        else:
            data_dir = Path(tempfile.mkdtemp(prefix=f"floorwatch-bench-{a.scale}-"))
        server = start_embedded(data_dir)
        if asyncio.run(tune_server(server.admin_dsn(), monitors=a.monitors)):
            server.stop()  # settings that need a restart
            server = start_embedded(data_dir)
        asyncio.run(embedded.ensure_database(server.admin_dsn(), embedded.DEFAULT_DATABASE))
        target = Target(server.dsn(), "embedded")
    else:
        target = inv.target
    try:
        report = asyncio.run(run_bench(target, options, on_progress=progress))
    finally:
        if server is not None:
            server.stop()  # --keep keeps the data, not a running server
            if not a.keep:
                embedded.wipe(server.data_dir)
    if a.json:
        emit_json(report.model_dump(mode="json"))
    else:
        print(render_table(report))
    return exit_codes.OK
