"""Choosing the tenant and facility to show, by code or id."""

from __future__ import annotations

from floorwatch.domain.models import Scope
from floorwatch.domain.plant_time import is_loadable_zone
from floorwatch.errors import UserError

_SHOWN_MAX = 60  # characters of a database text quoted in a message


def _shown(text: str) -> str:
    """Database text quoted for a one-line message and cut (a code may be 10,000 characters
    long); the CLI cleans the whole line of control characters (cli.say)."""
    return repr(text) if len(text) <= _SHOWN_MAX else repr(text[:_SHOWN_MAX]) + "..."


def usable(scope: Scope) -> bool:
    """A facility the monitor can show: its timezone loads in Python's zoneinfo."""
    return is_loadable_zone(scope.timezone)


def usable_scopes(scopes: list[Scope]) -> list[Scope]:
    """The facilities that can be switched to (picker, kiosk): one with a timezone zoneinfo
    cannot load is left out, so it can neither crash the monitor nor stop it for the others."""
    return [s for s in scopes if usable(s)]


def require_usable(scope: Scope) -> Scope:
    """`scope`, or a UserError naming the facility when its timezone is not loadable."""
    if not usable(scope):
        raise UserError(
            f"facility {_shown(scope.facility_code)} of tenant {_shown(scope.tenant_code)} "
            f"has timezone {_shown(scope.timezone)}, which is not an IANA zone name "
            "(set facilities.timezone to one, e.g. 'Europe/Berlin')"
        )
    return scope


def _matches(value: str, code: str, ident: object) -> bool:
    return value.casefold() == code.casefold() or value.lower() == str(ident)


def _choices(scopes: list[Scope]) -> str:
    return ", ".join(f"{_cut(s.tenant_code)}/{_cut(s.facility_code)}" for s in scopes)


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX] + "..."


def select_scope(scopes: list[Scope], tenant: str | None, facility: str | None) -> Scope:
    """The one facility named (or the only one there is); UserError listing the choices else,
    or naming the facility when its timezone cannot be used (see require_usable)."""
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
    return require_usable(candidates[0])
