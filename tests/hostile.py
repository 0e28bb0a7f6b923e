"""A plant whose every text column holds what a hostile or unlucky ERP user could type: Textual
markup, click actions, ANSI/OSC escape sequences, control characters, bidi overrides, RTL, CJK,
emoji, combining marks and 10,000-character strings.

The showcase plant is loaded first (so every panel has data), then each text column of each
table is rewritten row by row from HOSTILE (with the row number appended, so unique keys stay
unique)."""

from __future__ import annotations

import asyncpg

from floorwatch.domain.models import Scope
from floorwatch.showcase import load_showcase, showcase_scopes

# Escape sequences that would do something if they reached a terminal, each with a marker so
# it cannot be mistaken for one the TUI writes itself; none may appear in floorwatch's output.
ESCAPES = {
    "clear screen": "\x1b[2JBlank",
    "cursor home": "\x1b[HHome",
    "clipboard (OSC 52)": "\x1b]52;c;SE9TVElMRQ==\x07",
    "hyperlink (OSC 8)": "\x1b]8;;http://evil.example/\x1b\\",
    "C1 CSI": "\x9b31m",
}

HOSTILE = [
    "[/]",
    "[@click=app.quit]QuitMe",
    "[@click=app.screenshot('pwned.svg','.')]ShotMe",
    "[bold red]X[/]",
    "[link=http://evil.example/]L[/link]",
    f"{ESCAPES['clear screen']}{ESCAPES['cursor home']}",
    f"{ESCAPES['clipboard (OSC 52)']}Clip",
    f"{ESCAPES['hyperlink (OSC 8)']}Link",
    f"C1 {ESCAPES['C1 CSI']}red",
    "Bell\x07Back\x08Del\x7fTab\tLF\nEnd",
    "\u202eevil\u202c override",
    "שלום עולם",
    "印刷機 第3号",
    "👨‍👩‍👧 ❤️ 🏭",
    "Cafe\u0301 mixte",
    "W" * 10_000,
]

# (table, text columns) that people type into; status columns are CHECKed enums, timezone has
# its own validation.
TEXT_COLUMNS = {
    "tenants": ["tenant_code", "tenant_name"],
    "facilities": ["facility_code", "facility_name"],
    "users": ["display_name"],
    "work_centers": ["work_center_code", "work_center_name", "work_center_type"],
    "production_orders": ["production_order_number"],
    "production_runs": ["production_run_number", "operator_name"],
    "oee_calculations": ["shift"],
    "equipment_status_log": ["reason_code", "reason_description"],
}


async def make_hostile(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        for table, columns in TEXT_COLUMNS.items():
            for offset, column in enumerate(columns):
                await conn.execute(
                    f"""
                    UPDATE {table} t
                    SET {column} = ($1::text[])[1 + (s.n + $2) % cardinality($1::text[])]
                                   || ' #' || s.n
                    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM {table}) s
                    WHERE t.id = s.id
                    """,
                    HOSTILE,
                    offset,
                )
    finally:
        await conn.close()


async def add_hostile_facility(dsn: str, scope: Scope) -> None:
    """A second, empty facility of the same tenant with a hostile code and name (the picker)."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "INSERT INTO facilities (id, tenant_id, facility_code, facility_name, timezone)"
            " VALUES (gen_random_uuid(), $1, $2, $3, 'UTC')",
            scope.tenant_id,
            f"[/]MARS{ESCAPES['clipboard (OSC 52)']}",
            f"[/]Mars base [@click=app.quit]{ESCAPES['clear screen']}",
        )
    finally:
        await conn.close()


async def make_huge_figures(dsn: str) -> None:
    """Figures no real plant has but a typo can make: a run that made 2,147,483,647 pieces of
    one planned (progress 214,748,364,700 %), and today's OEE rows of one work center with an
    ideal cycle of a million seconds (OEE in the billions of percent)."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "UPDATE production_runs SET quantity_planned = 1, quantity_good = 2147483647"
            " WHERE id = (SELECT id FROM production_runs WHERE status = 'IN_PROGRESS'"
            " ORDER BY id LIMIT 1)"
        )
        await conn.execute(
            "UPDATE oee_calculations SET ideal_cycle_time_seconds = 1000000"
            " WHERE work_center_id = (SELECT work_center_id FROM production_runs"
            " WHERE status = 'IN_PROGRESS' ORDER BY id OFFSET 1 LIMIT 1)"
        )
    finally:
        await conn.close()


async def load_hostile(dsn: str) -> list[Scope]:
    """The hostile plant in `dsn` (an empty database); its scopes, the showcase facility first."""
    scope = await load_showcase(dsn)
    await make_hostile(dsn)
    await make_huge_figures(dsn)
    await add_hostile_facility(dsn, scope)
    scopes = await showcase_scopes(dsn)
    return sorted(scopes, key=lambda s: s.facility_id != scope.facility_id)
