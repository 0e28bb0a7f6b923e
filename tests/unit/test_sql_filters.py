"""db/sql_filters.py: optional filter lines left out, the parameters renumbered."""

import re

import pytest

from floorwatch.db.queries import filtered_sql, sql
from floorwatch.db.sql_filters import narrowed

TEXT = """-- $1 tenant, $2 work center, $3 statuses, $4 limit
SELECT * FROM runs
WHERE tenant_id = $1
  AND work_center_id = $2  -- filter: $2
  AND status = ANY ($3::text[])  -- filter: $3
ORDER BY id LIMIT $4
"""


def test_every_filter_kept_only_comments_go() -> None:
    assert narrowed(TEXT, ()) == (
        "SELECT * FROM runs\nWHERE tenant_id = $1\n  AND work_center_id = $2\n"
        "  AND status = ANY ($3::text[])\nORDER BY id LIMIT $4"
    )


def test_a_dropped_filter_leaves_and_later_parameters_move_up() -> None:
    assert narrowed(TEXT, {2}) == (
        "SELECT * FROM runs\nWHERE tenant_id = $1\n  AND status = ANY ($2::text[])\n"
        "ORDER BY id LIMIT $3"
    )
    assert narrowed(TEXT, {2, 3}) == (
        "SELECT * FROM runs\nWHERE tenant_id = $1\nORDER BY id LIMIT $2"
    )


def test_a_dropped_parameter_used_elsewhere_is_refused() -> None:
    with pytest.raises(ValueError, match=r"\[2\]"):
        narrowed(TEXT + "-- trailing\nUNION SELECT $2\n", {2})


def test_the_run_list_without_filters_has_no_or_null_tests() -> None:
    # the run list's statement as the main screen sends it: no work center, no statuses
    text = filtered_sql("run_summaries", frozenset({5, 6}))
    assert not re.search(r"work_center_id = \$\d", text) and "ANY (" not in text
    assert "LIMIT $5" in text and "$6" not in text and "$7" not in text
    # with both filters it is the file's own statement, comments aside
    assert "LIMIT $7" in filtered_sql("run_summaries", frozenset())
    assert sql("run_summaries").count("-- filter: $5") == 2
