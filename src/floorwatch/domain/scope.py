"""Choosing the tenant and facility to show, by code or id."""

from __future__ import annotations

from floorwatch.domain.models import Scope
from floorwatch.errors import UserError


def _matches(value: str, code: str, ident: object) -> bool:
    return value.casefold() == code.casefold() or value.lower() == str(ident)


def _choices(scopes: list[Scope]) -> str:
    return ", ".join(f"{s.tenant_code}/{s.facility_code}" for s in scopes)


def select_scope(scopes: list[Scope], tenant: str | None, facility: str | None) -> Scope:
    """The one facility named (or the only one there is); UserError listing the choices else."""
    if not scopes:
        raise UserError(
            "the database has no facilities yet (run `floorwatch simulate` to add a demo plant)"
        )
    candidates = scopes
    if tenant:
        candidates = [s for s in candidates if _matches(tenant, s.tenant_code, s.tenant_id)]
        if not candidates:
            tenants = sorted({s.tenant_code for s in scopes})
            raise UserError(f"unknown tenant {tenant!r}; choose one of: {', '.join(tenants)}")
    if facility:
        named = [s for s in candidates if _matches(facility, s.facility_code, s.facility_id)]
        if not named:
            raise UserError(f"unknown facility {facility!r}; choose one of: {_choices(candidates)}")
        candidates = named
    if len(candidates) > 1:
        tenants = {s.tenant_id for s in candidates}
        flag = "--tenant and --facility" if len(tenants) > 1 else "--facility"
        raise UserError(f"several facilities; pick one with {flag}: {_choices(candidates)}")
    return candidates[0]
