"""Where the database is, libpq-style, and how to name it without leaking a password.

Order: --dsn, FLOORWATCH_DSN, DATABASE_URL, the config file's dsn, libpq environment
(PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD, ~/.pgpass) when PGHOST or PGDATABASE is set,
else the embedded default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from floorwatch.errors import UserError

_SCHEMES = ("postgresql", "postgres")
_KEYWORD = re.compile(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)")


@dataclass(frozen=True)
class Target:
    """A database to connect to. dsn None with source 'libpq' means: asyncpg reads PG* env."""

    dsn: str | None
    source: str  # flag, FLOORWATCH_DSN, DATABASE_URL, config, libpq, embedded

    @property
    def embedded(self) -> bool:
        return self.source == "embedded"

    @property
    def display(self) -> str:
        if self.embedded and self.dsn:
            return "embedded/" + describe(self.dsn).rpartition("/")[2]
        return describe(self.dsn)


def resolve(flag_dsn: str | None, config_dsn: str | None) -> Target:
    for value, source in (
        (flag_dsn, "flag"),
        (os.environ.get("FLOORWATCH_DSN"), "FLOORWATCH_DSN"),
        (os.environ.get("DATABASE_URL"), "DATABASE_URL"),
        (config_dsn, "config"),
    ):
        if value:
            return Target(normalize(value, source), source)
    if os.environ.get("PGHOST") or os.environ.get("PGDATABASE"):
        return Target(None, "libpq")
    return Target(None, "embedded")


def normalize(dsn: str, source: str = "dsn") -> str:
    """Validate a DSN; keyword form (host=… dbname=…) becomes a URI. Errors never echo it."""
    dsn = dsn.strip()
    if "://" not in dsn:
        return _keywords_to_uri(dsn, source)
    parts = urlsplit(dsn)
    if parts.scheme not in _SCHEMES:
        raise UserError(
            f"{source}: not a PostgreSQL connection URI "
            f"(expected postgresql://…, got scheme {parts.scheme or 'none'!r})"
        )
    try:
        _ = parts.port
    except ValueError:
        raise UserError(f"{source}: the port in the connection URI is not a number") from None
    return dsn


def _keywords_to_uri(text: str, source: str) -> str:
    pairs = dict((k, v.strip("'")) for k, v in _KEYWORD.findall(text))
    leftover = _KEYWORD.sub("", text).strip()
    if not pairs or leftover:
        raise UserError(f"{source}: not a connection URI (postgresql://…) or key=value string")
    known = {
        "host",
        "hostaddr",
        "port",
        "user",
        "password",
        "dbname",
        "sslmode",
        "application_name",
        "connect_timeout",
        "passfile",
        "options",
    }
    unknown = sorted(set(pairs) - known)
    if unknown:
        raise UserError(f"{source}: unknown connection keyword {unknown[0]!r}")
    user = quote(pairs.pop("user", ""), safe="")
    password = pairs.pop("password", None)
    auth = user + (":" + quote(password, safe="") if password is not None else "")
    host = pairs.pop("host", "")
    port = pairs.pop("port", "")
    if port and not port.isdigit():
        raise UserError(f"{source}: port is not a number")
    dbname = quote(pairs.pop("dbname", ""), safe="")
    netloc = (auth + "@" if auth else "") + ("" if host.startswith("/") else host)
    netloc += f":{port}" if port and not host.startswith("/") else ""
    query = {k: v for k, v in pairs.items()}
    if host.startswith("/"):
        query["host"] = host
        if port:
            query["port"] = port
    qs = "&".join(f"{k}={quote(v, safe='/')}" for k, v in query.items())
    return f"postgresql://{netloc}/{dbname}" + (f"?{qs}" if qs else "")


def redact(dsn: str) -> str:
    """The DSN with any password replaced by ***."""
    parts = urlsplit(dsn)
    netloc = parts.netloc
    if "@" in netloc:
        auth, _, hostport = netloc.rpartition("@")
        if ":" in auth:
            auth = auth.split(":", 1)[0] + ":***"
        netloc = f"{auth}@{hostport}"
    query = re.sub(r"(?i)(password=)[^&]*", r"\1***", parts.query)
    return parts._replace(netloc=netloc, query=query).geturl()


def describe(dsn: str | None) -> str:
    """host/dbname for headers and reports (never user or password)."""
    if dsn is None:
        host = os.environ.get("PGHOST", "localhost")
        port = os.environ.get("PGPORT")
        database = os.environ.get("PGDATABASE") or os.environ.get("PGUSER") or "postgres"
        return f"{host}{':' + port if port else ''}/{database}"
    parts = urlsplit(dsn)
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host", ["local socket"])[0])
    if host.startswith("/"):
        host = "socket"
    port = f":{parts.port}" if parts.port else ""
    database = unquote(parts.path.lstrip("/")) or (parts.username or "postgres")
    return f"{host}{port}/{database}"


def secrets_of(dsn: str | None) -> list[str]:
    """Password strings that must never be shown (for scrubbing messages)."""
    found: list[str] = []
    if dsn:
        parts = urlsplit(dsn)
        if parts.password:
            found += [parts.password, unquote(parts.password)]
        found += [unquote(v) for v in re.findall(r"(?i)password=([^&]*)", parts.query)]
    if os.environ.get("PGPASSWORD"):
        found.append(os.environ["PGPASSWORD"])
    return [s for s in found if s]


def scrub(message: str, dsn: str | None) -> str:
    for secret in secrets_of(dsn):
        message = message.replace(secret, "***")
    if dsn:
        message = message.replace(dsn, redact(dsn))
    return message
