"""bench/plans.whole_index_scans on plan nodes as EXPLAIN (FORMAT JSON) gives them: the 10x
generic plan that skip-scanned the work-center index for `status_start < $4` alone is flagged;
the same index used with its first column, and other indexes, are not."""

from floorwatch.bench.plans import whole_index_scans

LEADING = {
    "equipment_status_log_work_center_idx": "work_center_id",
    "equipment_status_log_facility_end_idx": "tenant_id",
    "equipment_status_log_pkey": "id",
}


def node(index: str, condition: str | None) -> dict[str, object]:
    found: dict[str, object] = {"Node Type": "Bitmap Index Scan", "Index Name": index}
    if condition is not None:
        found["Index Cond"] = condition
    return found


def test_a_bound_without_the_first_column_is_a_whole_index_walk() -> None:
    # the BitmapAnd of the 10x generic plan of alert_down_facts (161 ms against 1.7)
    nodes = [
        {"Node Type": "BitmapAnd"},
        node("equipment_status_log_facility_end_idx", "((tenant_id = $1) AND (status_end > $3))"),
        node("equipment_status_log_work_center_idx", "(status_start < $4)"),
    ]
    assert whole_index_scans(nodes, LEADING) == ["equipment_status_log_work_center_idx"]


def test_the_first_column_in_the_condition_is_a_lookup() -> None:
    nodes = [
        node(
            "equipment_status_log_work_center_idx",
            '((work_center_id = "*SELECT* 1_2".work_center_id) AND (status_start < $4))',
        ),
        node("equipment_status_log_pkey", "(id = l.id)"),
        node("some_other_table_idx", "(x < $1)"),  # not a big table's index
    ]
    assert whole_index_scans(nodes, LEADING) == []


def test_a_column_named_inside_another_is_not_the_first_column() -> None:
    # `id` is not in `tenant_id = $1`; an index scan with no condition at all walks it whole
    nodes = [node("equipment_status_log_pkey", "(tenant_id = $1)")]
    assert whole_index_scans(nodes, LEADING) == ["equipment_status_log_pkey"]
    assert whole_index_scans([node("equipment_status_log_pkey", None)], LEADING) == [
        "equipment_status_log_pkey"
    ]
