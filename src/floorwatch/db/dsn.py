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
from urllib.parse import SplitResult, parse_qs, parse_qsl, quote, unquote, urlencode, urlsplit

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
    for value in parse_qs(parsed.parts.query).get("target_session_attrs", []):
        _require_session_attrs(value, source)
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


# libpq keywords asyncpg understands (host and port may be lists, as libpq takes them)
_KNOWN_KEYWORDS = frozenset(
    {
        "host", "hostaddr", "port", "user", "password", "dbname", "sslmode", "sslcert",
        "sslkey", "sslrootcert", "sslcrl", "sslpassword", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "application_name", "passfile", "options",
        "target_session_attrs", "krbsrvname", "gsslib",
    }
)  # fmt: skip
TARGET_SESSION_ATTRS = ("any", "primary", "standby", "prefer-standby", "read-write", "read-only")


def _unquote_value(value: str) -> str:
    """A libpq value: 'single quoted' with \\ and \' escapes, or a bare word."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _require_session_attrs(value: str | None, source: str) -> None:
    if value is not None and value not in TARGET_SESSION_ATTRS:
        raise UserError(
            f"{source}: target_session_attrs must be one of {', '.join(TARGET_SESSION_ATTRS)}"
        )


def _host_list(pairs: dict[str, str], source: str) -> tuple[list[str], list[str]]:
    """host=h1,h2 (or hostaddr=…) and port=5432 or port=5432,5433, as libpq pairs them."""
    if "host" in pairs and "hostaddr" in pairs:
        raise UserError(f"{source}: give host or hostaddr, not both")
    text = pairs.pop("host", None) or pairs.pop("hostaddr", None) or ""
    hosts = text.split(",") if text else []
    ports = pairs.pop("port", "")
    port_list = ports.split(",") if ports else []
    if len(hosts) > 1 and "" in hosts:
        raise UserError(f"{source}: an empty host in a list of hosts")
    for port in port_list:
        if not port.isascii() or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise UserError(f"{source}: port is not a number between 1 and 65535")
    if len(port_list) > 1 and len(port_list) != max(len(hosts), 1):
        raise UserError(f"{source}: {len(port_list)} ports for {max(len(hosts), 1)} host(s)")
    if len(port_list) == 1 and len(hosts) > 1:
        port_list *= len(hosts)  # one port for every host, as libpq does
    return hosts, port_list


def _keywords_to_uri(text: str, source: str) -> str:
    pairs = {k: _unquote_value(v) for k, v in _KEYWORD.findall(text)}
    leftover = _KEYWORD.sub("", text).strip()
    if not pairs or leftover:
        raise UserError(f"{source}: not a connection URI (postgresql://…) or key=value string")
    if "connect_timeout" in pairs:  # asyncpg would send it to the server as a setting
        raise UserError(f"{source}: connect_timeout is not supported (each host gets 10 s)")
    unknown = sorted(set(pairs) - _KNOWN_KEYWORDS)
    if unknown:
        raise UserError(f"{source}: unknown connection keyword {unknown[0]!r}")
    _require_session_attrs(pairs.get("target_session_attrs"), source)
    user = quote(pairs.pop("user", ""), safe="")
    password = pairs.pop("password", None)
    auth = user + (":" + quote(password, safe="") if password is not None else "")
    hosts, ports = _host_list(pairs, source)
    dbname = quote(pairs.pop("dbname", ""), safe="")
    query = dict(pairs)
    if any(h.startswith("/") for h in hosts):  # sockets: asyncpg takes host lists in the query
        query["host"] = ",".join(hosts)
        if ports:
            query["port"] = ",".join(ports)
        netloc = auth + "@" if auth else ""
    else:
        shown = [f"[{h}]" if ":" in h else h for h in hosts] or [""]
        if ports:  # as many as the hosts by now (or one, and no host: the default one)
            shown = [f"{h}:{p}" for h, p in zip(shown, ports, strict=True)]
        netloc = (auth + "@" if auth else "") + ",".join(shown)
    qs = "&".join(f"{k}={quote(v, safe='/,')}" for k, v in query.items())
    return f"postgresql://{netloc}/{dbname}" + (f"?{qs}" if qs else "")


def per_host(uri: str) -> tuple[list[str], str | None]:
    """One URI per host of a multi-host URI (netloc `h1:1,h2:2` or query `host=/a,h2`), each
    without target_session_attrs, and that value (None: not given). So each host is tried on
    its own, as libpq does: its own ~/.pgpass entry, its own timeout. A single-host URI comes
    back whole."""
    parsed = _parse(uri)
    parts = parsed.parts
    query = parse_qsl(parts.query, keep_blank_values=True)
    attrs = next((v for k, v in query if k == "target_session_attrs"), None)
    rest = [(k, v) for k, v in query if k != "target_session_attrs"]
    auth, at, _ = parts.netloc.rpartition("@")

    def uri_of(netloc: str, q: list[tuple[str, str]]) -> str:
        encoded = urlencode(q, safe="/,:", quote_via=quote)
        return parts._replace(netloc=netloc, query=encoded).geturl()

    if len(parsed.hosts) > 1:
        netlocs = [
            auth + at + (f"[{h}]" if ":" in h else h) + (f":{p}" if p else "")
            for h, p in parsed.hosts
        ]
        return [uri_of(n, rest) for n in netlocs], attrs
    listed = dict(rest).get("host", "")
    if "," not in listed:
        return [uri], attrs
    names = listed.split(",")
    ports = dict(rest).get("port", "").split(",")
    ports = ports * len(names) if len(ports) == 1 else ports
    others = [(k, v) for k, v in rest if k not in ("host", "port")]
    return [
        uri_of(parts.netloc, [*others, ("host", n), *([("port", p)] if p else [])])
        for n, p in zip(names, ports, strict=False)
    ], attrs


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
    hosts: list[tuple[str, int | str | None]] = list(parsed.hosts)
    if hosts == [("", None)] and "host" in query:  # host=/a,h2&port=1,2: lists in the query
        names = query["host"][0].split(",")
        ports = query.get("port", [""])[0].split(",")
        ports = ports * len(names) if len(ports) == 1 else ports
        hosts = [(n, p or None) for n, p in zip(names, ports, strict=False)]
    shown = []
    for name, port in hosts:
        host = name or "local socket"
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
