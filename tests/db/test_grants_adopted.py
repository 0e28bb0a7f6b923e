"""`floorwatch grant` on an adopted ERP database: the grants go to
floorwatch.floorwatch_login_tenants, and the administrator's tenant lookup reads the ERP's own
tenants (floorwatch's tenants view, filtered by the current tenant, shows an administrator none)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from adopted_support import ensure_view, erp_tenant
from cli_helpers import Result, assert_clean_failure, clean_env, floorwatch
from floorwatch.db import grants
from floorwatch.db.dsn import Target
from floorwatch.db.pool import connect
from floorwatch.errors import UserError
from logins import Logins


@dataclass
class Erp:
    dsn: str
    admin: asyncpg.Connection  # as the CLI connects: floorwatch first on the search_path
    logins: Logins
    monitor: str  # a login in floorwatch_reader
    beta: object  # BETA's id


@pytest.fixture
async def erp(adopted_dsn: str) -> AsyncIterator[Erp]:
    raw = await asyncpg.connect(adopted_dsn)
    await erp_tenant(raw, "ACME")
    beta = await erp_tenant(raw, "BETA")
    await ensure_view(
        raw,
        "tenants",
        "SELECT id, tenant_code, tenant_name FROM public.tenants"
        " WHERE id = floorwatch.floorwatch_current_tenant()",
    )
    logins = Logins(raw, adopted_dsn)
    monitor = await logins.create("floorwatch_reader", prefix="fw_adopted_mon")
    admin = await connect(Target(adopted_dsn, "flag"))
    try:
        yield Erp(adopted_dsn, admin, logins, monitor, beta)
    finally:
        await admin.close()
        await logins.close()
        await raw.close()


async def _granted(erp: Erp) -> list[tuple[str, object]]:
    rows = await erp.admin.fetch(
        "SELECT login, tenant_id FROM floorwatch.floorwatch_login_tenants ORDER BY 1, 2"
    )
    return [tuple(r) for r in rows]


async def test_grant_list_and_revoke_read_the_erps_tenants(erp: Erp) -> None:
    assert await erp.admin.fetchval("SELECT count(*) FROM tenants") == 0  # the view: none
    lines = await grants.grant_tenant(erp.admin, erp.monitor, "BETA")
    assert lines == [f"granted tenant 'BETA' to login {erp.monitor!r}"]
    assert await _granted(erp) == [(erp.monitor, erp.beta)]
    assert await grants.grant_tenant(erp.admin, erp.monitor, str(erp.beta)) == [
        f"login {erp.monitor!r} already had tenant 'BETA'"
    ]
    (listed,) = await grants.list_grants(erp.admin, None)
    assert (listed.login, listed.tenant_code, listed.tenant_id) == (erp.monitor, "BETA", erp.beta)

    with pytest.raises(
        UserError, match=r"no tenant 'NOPE' \(code or id\); tenants: 'ACME', 'BETA'"
    ):
        await grants.grant_tenant(erp.admin, erp.monitor, "NOPE")

    assert await grants.revoke_tenant(erp.admin, erp.monitor, "BETA") == [
        f"revoked tenant 'BETA' from login {erp.monitor!r}"
    ]
    assert await _granted(erp) == [] and await grants.list_grants(erp.admin, None) == []


async def test_a_grant_of_a_tenant_the_erp_deleted_is_still_listed(erp: Erp) -> None:
    await grants.grant_tenant(erp.admin, erp.monitor, "BETA")
    # no foreign key to the ERP's table: the grant stays (and admits nothing)
    await erp.logins.admin.execute("DELETE FROM public.tenants WHERE tenant_code = 'BETA'")
    (g,) = await grants.list_grants(erp.admin, erp.monitor)
    assert g.tenant_code is None
    assert f"(no tenant {erp.beta})" in grants.render_grant(g)


async def test_the_cli_grants_on_an_adopted_database(erp: Erp, tmp_path: Path) -> None:
    env = clean_env(tmp_path)

    def fw(*args: str) -> Result:
        return floorwatch("grant", "--dsn", erp.dsn, *args, env=env)

    r = await asyncio.to_thread(fw, "--login", erp.monitor, "--tenant", "ACME")
    assert r.code == 0 and r.out.strip() == f"granted tenant 'ACME' to login {erp.monitor!r}", r
    r = await asyncio.to_thread(fw, "--list")
    assert r.code == 0 and f"{erp.monitor!r}" in r.out and "'ACME'" in r.out, r
    r = await asyncio.to_thread(fw, "--revoke", "--login", erp.monitor, "--tenant", "ACME")
    assert r.code == 0 and r.out.strip() == f"revoked tenant 'ACME' from login {erp.monitor!r}"

    # the monitor's own login is no administrator
    r = await asyncio.to_thread(
        floorwatch,
        "grant", "--list", "--dsn", erp.logins.dsn_of(erp.monitor),
        env=env,
    )  # fmt: skip
    assert_clean_failure(r)
    assert "may not list tenant grants (no SELECT on floorwatch.floorwatch_login_tenants)" in r.err
    assert "the adopting login" in r.err
