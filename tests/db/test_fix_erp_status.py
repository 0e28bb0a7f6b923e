"""`floorwatch migrate --fix-erp-status`: the ERP's status columns widened to varchar(40) with
no rewrite (the table's and its indexes' files unchanged), floorwatch's views over them kept,
recorded as an adoption step, and left as they are by --unadopt."""

from __future__ import annotations

import asyncpg
import pytest
from adopt_support import ERP_ROWS, execute, fetchval, refusal, row_sums, run_migrate

STATUS_COLUMNS = (
    "SELECT array_agg(format_type(atttypid, atttypmod) ORDER BY attname) FROM pg_attribute"
    " WHERE attrelid = 'public.equipment_status_log'::regclass"
    "   AND attname IN ('status', 'previous_status')"
)
# the table and every index on it, by name (an index's OID changes, its file must not)
FILES = (
    "SELECT array_agg(c.relname || '=' || c.relfilenode ORDER BY c.relname) FROM pg_class c"
    " WHERE c.oid = 'public.equipment_status_log'::regclass OR c.oid IN"
    "   (SELECT indexrelid FROM pg_index WHERE indrelid = 'public.equipment_status_log'::regclass)"
)
BREAKDOWN = (
    "INSERT INTO equipment_status_log (tenant_id, facility_id, work_center_id, status,"
    " previous_status, status_start)"
    " SELECT tenant_id, facility_id, work_center_id, 'NON_PRODUCTIVE_BREAKDOWN',"
    "        'NON_PRODUCTIVE_PLANNED_DOWNTIME', now()"
    " FROM equipment_status_log LIMIT 1"
)
# stands in for V002's views, which read the status columns (ALTER TYPE refuses while a view does)
PROBE_VIEW = """
CREATE VIEW floorwatch.status_probe WITH (security_barrier) AS
    SELECT id, upper(btrim(status)) AS status FROM public.equipment_status_log;
CREATE VIEW floorwatch.status_probe_count AS SELECT count(*) AS n FROM floorwatch.status_probe;
GRANT SELECT ON floorwatch.status_probe TO floorwatch_reader;
COMMENT ON VIEW floorwatch.status_probe IS 'it''s a probe';
CREATE FUNCTION floorwatch.status_probe_n() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
BEGIN ATOMIC
    SELECT n FROM floorwatch.status_probe_count;
END;
REVOKE ALL ON FUNCTION floorwatch.status_probe_n() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION floorwatch.status_probe_n() TO floorwatch_reader;
"""


async def view_facts(dsn: str) -> object:
    """Every view and function of schema floorwatch, by name: definition, options, privileges,
    comment (their OIDs change when they are created again; nothing else may)."""
    return await fetchval(
        dsn,
        "SELECT array_agg(fact ORDER BY fact) FROM ("
        " SELECT concat_ws(' | ', c.relname, pg_get_viewdef(c.oid), c.reloptions::text,"
        "                  c.relacl::text, obj_description(c.oid, 'pg_class')) AS fact"
        " FROM pg_class c WHERE c.relnamespace = 'floorwatch'::regnamespace AND c.relkind = 'v'"
        " UNION ALL"
        # a bound body deparsed and created again may gain column aliases: not compared
        " SELECT concat_ws(' | ', p.proname, pg_get_function_arguments(p.oid),"
        "                  pg_get_function_result(p.oid), p.prosecdef, p.provolatile,"
        "                  p.proconfig::text, p.prosqlbody IS NOT NULL, p.proacl::text,"
        "                  obj_description(p.oid, 'pg_proc'))"
        " FROM pg_proc p WHERE p.pronamespace = 'floorwatch'::regnamespace) facts",
    )


async def test_fix_erp_status_widens_without_a_rewrite_and_keeps_the_views(
    adopted_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await execute(adopted_dsn, ERP_ROWS)
    await execute(adopted_dsn, PROBE_VIEW)
    with pytest.raises(asyncpg.StringDataRightTruncationError):  # the ERP's VARCHAR(20)
        await execute(adopted_dsn, BREAKDOWN)
    files, views, rows = (
        await fetchval(adopted_dsn, FILES),
        await view_facts(adopted_dsn),
        await row_sums(adopted_dsn),
    )
    assert await run_migrate(adopted_dsn, "fix-erp-status", dry_run=True) == 0
    assert await fetchval(adopted_dsn, STATUS_COLUMNS) == [
        "character varying(20)",
        "character varying(20)",
    ]
    assert "nothing changed (dry run)" in capsys.readouterr().out

    assert await run_migrate(adopted_dsn, "fix-erp-status") == 0
    out = capsys.readouterr().out
    assert "re-creates floorwatch's views and functions that read them:" in out
    assert await fetchval(adopted_dsn, STATUS_COLUMNS) == [
        "character varying(40)",
        "character varying(40)",
    ]
    assert await fetchval(adopted_dsn, FILES) == files  # no file rewritten: no row, no index
    assert len(files) == 1 + 1 + 4 + 2  # the table, its key, the ERP's 4 indexes, V003's 2
    assert await row_sums(adopted_dsn) == rows
    assert await view_facts(adopted_dsn) == views  # options, comment and grant as they were
    await execute(adopted_dsn, BREAKDOWN)
    assert await fetchval(adopted_dsn, "SELECT floorwatch.status_probe_n()") == 3
    assert (
        await fetchval(
            adopted_dsn,
            "SELECT description FROM floorwatch.floorwatch_schema_history WHERE version = 901",
        )
        == "erp status width"
    )

    assert await run_migrate(adopted_dsn, "fix-erp-status") == 0  # a second time: nothing
    assert "was applied already" in capsys.readouterr().out


async def test_a_view_not_of_floorwatch_over_the_columns_stops_it(adopted_dsn: str) -> None:
    await execute(
        adopted_dsn, "CREATE VIEW public.erp_states AS SELECT status FROM equipment_status_log"
    )
    message = await refusal(adopted_dsn, "fix-erp-status")
    assert "public.erp_states" in message and "nothing was changed" in message
    assert await fetchval(adopted_dsn, STATUS_COLUMNS) == [
        "character varying(20)",
        "character varying(20)",
    ]


async def test_fix_erp_status_needs_an_adopted_database(erp_dsn: str) -> None:
    assert "adopt it first" in await refusal(erp_dsn, "fix-erp-status")


async def test_unadopt_leaves_the_widened_columns_and_says_so(
    adopted_dsn: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await run_migrate(adopted_dsn, "fix-erp-status")
    await run_migrate(adopted_dsn, "unadopt")
    out = capsys.readouterr().out
    assert "keep public.equipment_status_log.status and previous_status at varchar(40)" in out
    assert await fetchval(adopted_dsn, STATUS_COLUMNS) == [
        "character varying(40)",
        "character varying(40)",
    ]
    # adopted again, the wide columns are recognised and the step recorded without a change
    await run_migrate(adopted_dsn, "adopt")
    await run_migrate(adopted_dsn, "fix-erp-status")
    assert "holds every documented status already" in capsys.readouterr().out
