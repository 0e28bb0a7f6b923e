"""What `floorwatch migrate` does on each kind of database (db/adopt_detect.py): floorwatch's own
schema is migrated; an ERP database is offered adoption, adopted (--adopt), unadopted
(--unadopt) or has its status columns widened (--fix-erp-status); an adopted one gets its
pending adoption steps, as any migration. Prints what it did; refusals are UserErrors."""

from __future__ import annotations

import asyncpg

from floorwatch import exit_codes
from floorwatch.db import adopt, adopt_detect, adopt_plan, erp_status, migrate, unadopt
from floorwatch.errors import UserError
from floorwatch.text import for_terminal

DRY_RUN_DONE = "nothing changed (dry run)"
NEXT_STEPS = (
    "next (README: Run it on your ERP database): floorwatch migrate --fix-erp-status, "
    "floorwatch grant --login L --tenant T, floorwatch shifts, floorwatch check"
)


def say(line: str) -> None:
    """Lines quote names from the database: nothing a terminal would act on gets through."""
    print(for_terminal(line))


def offer_line(display: str, schema: str) -> str:
    return (
        f"{display} holds the ERP's tables (schema {schema}) and floorwatch has not adopted it: "
        "`floorwatch migrate --adopt --dry-run` shows the plan, `floorwatch migrate --adopt` "
        "applies it (no row of the ERP's is changed); nothing was changed"
    )


async def run(conn: asyncpg.Connection, display: str, *, action: str, dry_run: bool) -> int:
    """action: "migrate", "status", "adopt", "unadopt" or "fix-erp-status"."""
    found = await adopt_detect.detect(conn)
    if action == "status":
        return await _status(conn, found)
    if action == "adopt":
        return await _adopt(conn, display, found, dry_run=dry_run)
    if action == "unadopt":
        return await _unadopt(conn, display, found, dry_run=dry_run)
    if action == "fix-erp-status":
        return await _fix_status(conn, found, dry_run=dry_run)
    if found.kind == "erp":
        assert found.schema is not None
        if missing := await adopt_detect.missing_columns(conn, found.schema):
            raise UserError(adopt_detect.columns_message(found.schema, missing))
        raise UserError(offer_line(display, found.schema))
    if found.kind == "partial":
        raise UserError(adopt_detect.partial_message(found))
    if found.kind == "adopted":  # pending adoption steps are applied like any migration
        return await _adopt(conn, display, found, dry_run=False)
    done = await migrate.migrate(conn)
    for m in done:
        say(f"applied V{m.version:03d} {m.description}")
    if not done:
        say(f"{display}: schema up to date")
    return exit_codes.OK


async def _status(conn: asyncpg.Connection, found: adopt_detect.Found) -> int:
    if found.kind not in ("erp", "adopted"):
        st = await migrate.status(conn)
        files = migrate.load_migrations()
        prefix = ""
    else:
        st = await migrate.status(conn, adopt.adopt_dir(), history=adopt.HISTORY)
        files = adopt.load_steps()
        prefix = "adopt/"
    applied = {a.version for a in st.applied}
    for m in files:
        state = "changed" if m in st.changed else ("applied" if m.version in applied else "pending")
        say(f"V{m.version:03d}  {state:<8} {prefix}{m.path.name}")
    if found.kind in ("erp", "adopted"):
        optional = erp_status.step()
        state = "applied" if optional.version in applied else "optional"
        say(
            f"V{optional.version:03d}  {state:<8} adopt/optional/{optional.path.name}"
            " (--fix-erp-status)"
        )
    return exit_codes.DEGRADED if st.pending or st.changed else exit_codes.OK


async def _up_to_date(conn: asyncpg.Connection, found: adopt_detect.Found) -> bool:
    if found.kind != "adopted" or found.schema is None:
        return False
    st = await migrate.status(conn, adopt.adopt_dir(), history=adopt.HISTORY)
    names = [i.name for i in adopt.step_indexes(adopt.load_steps())]
    return not (st.pending or st.changed or await adopt.invalid_indexes(conn, found.schema, names))


async def _adopt(
    conn: asyncpg.Connection, display: str, found: adopt_detect.Found, *, dry_run: bool
) -> int:
    if await _up_to_date(conn, found):  # no privilege asked for: any login may run it
        say(f"{display}: adopted, every adoption step applied; nothing to do")
        return exit_codes.OK
    if problem := await adopt_detect.adoption_problem(conn, found):
        raise UserError(problem)
    assert found.schema is not None
    if dry_run:
        for line in await adopt_plan.plan_lines(conn, found):
            say(line)
        say(f"{DRY_RUN_DONE}; apply with: floorwatch migrate --adopt")
        return exit_codes.OK
    names = [i.name for i in adopt.step_indexes(adopt.load_steps())]
    invalid = await adopt.invalid_indexes(conn, found.schema, names)
    done = await adopt.adopt(conn, found.schema)
    for name in invalid:
        say(f"rebuilt index {name} (it was INVALID: an interrupted CONCURRENTLY build)")
    for m in done:
        say(f"applied adoption step V{m.version:03d} {m.description}")
    say(
        f"{display}: adopted (the ERP's tables in schema {found.schema}, "
        f"floorwatch's in {adopt.SCHEMA})"
    )
    if found.kind != "adopted":
        say(NEXT_STEPS)
    return exit_codes.OK


async def _unadopt(
    conn: asyncpg.Connection, display: str, found: adopt_detect.Found, *, dry_run: bool
) -> int:
    plan = await unadopt.removal(conn, found)
    say(f"{'would remove' if dry_run else 'removing'} from {display}:")
    for line in unadopt.plan_lines(plan):
        say(line)
    if dry_run:
        say(f"{DRY_RUN_DONE}; apply with: floorwatch migrate --unadopt")
        return exit_codes.OK
    for line in await unadopt.unadopt(conn, plan):
        say(line)
    widened = " (but for the widened status columns)" if plan.widened else ""
    say(f"{display}: unadopted; the ERP's tables are as before adoption{widened}")
    return exit_codes.OK


async def _fix_status(conn: asyncpg.Connection, found: adopt_detect.Found, *, dry_run: bool) -> int:
    if found.kind == "native":
        raise UserError(
            "this database has floorwatch's own schema, whose statuses are text already: "
            "--fix-erp-status is for an adopted ERP database"
        )
    if found.kind != "adopted" or found.schema is None:
        raise UserError(
            "--fix-erp-status is a step of an adopted ERP database: adopt it first "
            "(floorwatch migrate --adopt --dry-run, then --adopt)"
        )
    for line in await erp_status.fix_erp_status(conn, found.schema, dry_run=dry_run):
        say(line)
    return exit_codes.OK
