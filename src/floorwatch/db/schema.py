"""The plant tables of the floorwatch schema (migrations/V001), named once for every layer
that lists them: the schema check, the simulator's writer, the benchmark and the tests."""

from __future__ import annotations

# Parents before children (foreign keys): the order to write them in.
PLANT_TABLES = (
    "tenants",
    "facilities",
    "users",
    "work_centers",
    "production_orders",
    "production_runs",
    "oee_calculations",
    "equipment_status_log",
)

# The tables that grow with a plant's history: no panel query may scan them sequentially.
BIG_TABLES = ("production_runs", "oee_calculations", "equipment_status_log")
