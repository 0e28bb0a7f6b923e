"""Where the database is, libpq-style, and how to name it without leaking a password.

Order: --dsn, FLOORWATCH_DSN, DATABASE_URL, the config file's dsn, libpq environment
(PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD, ~/.pgpass) when PGHOST or PGDATABASE is set,
else the embedded default. A source that is set but empty is bad input, never "not set".

Every URI is parsed in one place (`_parse`), which raises only `_Malformed` with a message of
its own (never the URI's text). `redact`, `describe`, `secrets_of` and `scrub` never raise: they
run inside error handlers, where a second exception would become a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, quote, unquote, urlsplit

from floorwatch.errors import UserError

_SCHEMES = ("postgresql", "postgres")
_KEYWORD = re.compile(r"(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)")
_QUERY_PASSWORD = re.compile(r"(?i)(password=)[^&]*")
# the variables a DSN may come from (besides --dsn), in order
ENV_SOURCES = ("FLOORWATCH_DSN", "DATABASE_URL")


class _Malformed(ValueError):
    """A URI that cannot be parsed; the message says why and never quotes the URI."""


@dataclass(frozen=True)
class _Uri:
    parts: SplitResult
    hosts: tuple[tuple[str, int | None], ...]  # one per host of a multi-host URI


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


_LABELS = {"flag": "--dsn", "config": "dsn in the config file"}


def resolve(flag_dsn: str | None, config_dsn: str | None) -> Target:
    for value, source in (
        (flag_dsn, "flag"),
        (os.environ.get("FLOORWATCH_DSN"), "FLOORWATCH_DSN"),
        (os.environ.get("DATABASE_URL"), "DATABASE_URL"),
        (config_dsn, "config"),
    ):
        if value is None:
            continue
        if not value.strip():  # `--dsn "$UNSET"`: never fall through to another database
            raise UserError(f"{_LABELS.get(source, source)} is empty: give a connection URI")
        return Target(normalize(value, _LABELS.get(source, source)), source)
    if os.environ.get("PGHOST") or os.environ.get("PGDATABASE"):
        return Target(None, "libpq")
    return Target(None, "embedded")


def normalize(dsn: str, source: str = "dsn") -> str:
    """Validate a DSN; keyword form (host=… dbname=…) becomes a URI. Errors never echo it."""
    dsn = dsn.strip()
    if not dsn:
        raise UserError(f"{source} is empty: give a connection URI")
    uri = dsn if "://" in dsn else _keywords_to_uri(dsn, source)
    try:
        parsed = _parse(uri)
    except _Malformed as exc:
        raise UserError(f"{source}: not a valid connection URI ({exc})") from None
    if parsed.parts.scheme not in _SCHEMES:
        raise UserError(
            f"{source}: not a PostgreSQL connection URI "
            f"(expected postgresql://…, got scheme {parsed.parts.scheme or 'none'!r})"
        )
    return uri


def _parse(dsn: str) -> _Uri:
    try:
        parts = urlsplit(dsn)
    except ValueError as exc:
        if "IPv6" in str(exc):
            raise _Malformed("unbalanced [ ] around an IPv6 host") from None
        raise _Malformed("it cannot be parsed") from None
    hostport = parts.netloc.rpartition("@")[2]
    pieces = hostport.split(",")
    hosts = tuple(_host_port(piece, multi=len(pieces) > 1) for piece in pieces)
    return _Uri(parts, hosts)


def _host_port(piece: str, *, multi: bool) -> tuple[str, int | None]:
    """`host`, `host:port`, `[v6]` or `[v6]:port` (one entry of a multi-host netloc)."""
    if piece.startswith("["):
        close = piece.find("]")
        if close < 0:
            raise _Malformed("an unclosed [ ] around an IPv6 host")
        host, rest = piece[1:close], piece[close + 1 :]
        if rest and not rest.startswith(":"):
            raise _Malformed("text after an IPv6 host's closing ]")
        port = rest[1:]
    else:
        if "[" in piece or "]" in piece:
            raise _Malformed("a [ or ] outside an IPv6 host")
        host, _, port = piece.partition(":")
    if multi and not host:
        raise _Malformed("an empty host in a list of hosts")
    if not port:
        return host, None
    if not port.isascii() or not port.isdigit():
        raise _Malformed("the port is not a number")
    if not 1 <= int(port) <= 65535:
        raise _Malformed("the port is not between 1 and 65535")
    return host, int(port)


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


def _raw_auth(dsn: str) -> tuple[str, str, str] | None:
    """(before, user:password, after) split without urlsplit, for text it cannot parse: the
    authority is everything up to the *last* @, so a password with / ? # or [ stays whole."""
    scheme, sep, rest = dsn.partition("://")
    if not sep or "@" not in rest:
        return None
    auth, _, tail = rest.rpartition("@")
    return scheme + sep, auth, tail


def redact(dsn: str) -> str:
    """The DSN with any password replaced by ***."""
    try:
        netloc = _parse(dsn).parts.netloc
    except _Malformed:
        split = _raw_auth(dsn)
        if split is None:
            return _QUERY_PASSWORD.sub(r"\1***", dsn)
        head, auth, tail = split
    else:  # urlsplit's netloc is the text right after "scheme://"
        head, _, rest = dsn.partition("://")
        head += "://"
        auth, at, hostport = netloc.rpartition("@")
        if not at:
            return _QUERY_PASSWORD.sub(r"\1***", dsn)
        tail = hostport + rest[len(netloc) :]
    if ":" in auth:
        auth = auth.split(":", 1)[0] + ":***"
    return head + auth + "@" + _QUERY_PASSWORD.sub(r"\1***", tail)


def describe(dsn: str | None) -> str:
    """host/dbname for headers and reports (never user or password)."""
    if dsn is None:
        host = os.environ.get("PGHOST", "localhost")
        port = os.environ.get("PGPORT")
        database = os.environ.get("PGDATABASE") or os.environ.get("PGUSER") or "postgres"
        return f"{host}{':' + port if port else ''}/{database}"
    try:
        parsed = _parse(dsn)
    except _Malformed:
        return "(unparseable connection URI)"
    parts = parsed.parts
    query = parse_qs(parts.query)
    shown = []
    for name, port in parsed.hosts:
        host = name or query.get("host", ["local socket"])[0]
        if host.startswith("/"):
            host = "socket"
        elif ":" in host:
            host = f"[{host}]"
        shown.append(host + (f":{port}" if port else ""))
    username = parts.netloc.rpartition("@")[0].partition(":")[0]
    database = unquote(parts.path.lstrip("/")) or unquote(username) or "postgres"
    return f"{','.join(shown)}/{database}"


def secrets_of(dsn: str | None) -> list[str]:
    """Password strings that must never be shown (for scrubbing messages): those of `dsn`, of
    the DSN variables in the environment and PGPASSWORD."""
    found: list[str] = []
    for candidate in (dsn, *(os.environ.get(var) for var in ENV_SOURCES)):
        if candidate:
            found += _passwords(candidate)
    if os.environ.get("PGPASSWORD"):
        found.append(os.environ["PGPASSWORD"])
    # longest first, so a password is replaced whole before any part of it
    return sorted({s for s in found if s}, key=len, reverse=True)


def _passwords(dsn: str) -> list[str]:
    found: list[str] = []
    split = _raw_auth(dsn)
    if split is not None and ":" in split[1]:
        raw = split[1].split(":", 1)[1]
        found += [raw, unquote(raw)]
    try:
        password = _parse(dsn).parts.password
    except (_Malformed, ValueError):
        password = None
    if password:
        found += [password, unquote(password)]
    found += [unquote(v) for v in re.findall(r"(?i)password=([^&\s]*)", dsn)]
    return found


def scrub(message: str, dsn: str | None) -> str:
    """`message` without any password or raw DSN; never raises."""
    try:
        if dsn:
            message = message.replace(dsn, redact(dsn))
        for secret in secrets_of(dsn):
            message = message.replace(secret, "***")
        return message
    except Exception:  # a scrubber that fails must fail closed
        return "(message withheld: it could not be checked for secrets)"
