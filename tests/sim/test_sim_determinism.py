"""Same seed and options → byte-identical rows; another seed → another plant."""

from __future__ import annotations

from sim_support import UNTIL, dump, migrated_database

from floorwatch.sim import SimOptions, simulate

SMALL = SimOptions(seed=5, backfill_days=2, facilities=2, work_centers=4, until=UNTIL)


async def test_same_seed_same_rows(admin_dsn: str) -> None:
    first, second = await migrated_database(admin_dsn), await migrated_database(admin_dsn)
    await simulate(first, SMALL)
    report = await simulate(second, SMALL)
    a, b = await dump(first), await dump(second)
    assert a == b
    assert report.rows["production_runs"] == len(a["production_runs"]) > 0
    assert len(a["facilities"]) == 2 and len(a["work_centers"]) == 8


async def test_another_seed_another_plant(admin_dsn: str) -> None:
    first, second = await migrated_database(admin_dsn), await migrated_database(admin_dsn)
    await simulate(first, SMALL)
    await simulate(second, SMALL.model_copy(update={"seed": 6}))
    a, b = await dump(first), await dump(second)
    assert a["production_runs"] != b["production_runs"]
    assert {r[0] for r in a["tenants"]} != {r[0] for r in b["tenants"]}
    codes = {r[1] for r in b["tenants"]}
    assert codes == {"NORD6"}


async def test_two_seeds_share_a_database(admin_dsn: str) -> None:
    dsn = await migrated_database(admin_dsn)
    await simulate(dsn, SMALL)
    await simulate(dsn, SMALL.model_copy(update={"seed": 6}))
    rows = await dump(dsn)
    assert {r[1] for r in rows["tenants"]} == {"NORD5", "NORD6"}
