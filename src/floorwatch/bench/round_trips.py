"""Round trips counted on a real socket: a TCP proxy on 127.0.0.1 in front of the server.

Each client connection through the proxy gets its own connection to the server (a TCP host or
a Unix socket, as the DSN says). A round trip is a burst of bytes from the client followed by
bytes back from the server: the first server bytes after client bytes count one, however many
reads either side takes. Server bytes nobody asked for (a NOTIFY, a parameter status) count
nothing. The embedded server listens on a Unix socket only; the proxy is what puts a socket the
bytes can be counted on between asyncpg and it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

DEFAULT_PORT = 5432


@dataclass(frozen=True)
class Upstream:
    host: str  # a name or address, or a directory holding the server's Unix socket
    port: int

    @property
    def unix_socket(self) -> str | None:
        return f"{self.host}/.s.PGSQL.{self.port}" if self.host.startswith("/") else None


def upstream_of(dsn: str | None) -> Upstream | None:
    """Where a single-host postgresql:// URI connects (None: a form the proxy does not take,
    such as several hosts or the libpq environment)."""
    if not dsn or "://" not in dsn:
        return None
    parts = urlsplit(dsn)
    hostport = parts.netloc.rpartition("@")[2]
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "," in hostport or "," in query.get("host", "") or "," in query.get("port", ""):
        return None
    host = unquote(query.get("host") or parts.hostname or "") or "localhost"
    port_text = query.get("port") or (str(parts.port) if parts.port else "")
    return Upstream(host, int(port_text) if port_text else DEFAULT_PORT)


def proxied_dsn(dsn: str, port: int) -> str:
    """`dsn` pointed at the proxy on 127.0.0.1:`port` (user, password, database and the
    other options kept)."""
    parts = urlsplit(dsn)
    auth, at, _ = parts.netloc.rpartition("@")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if k not in ("host", "port")]
    return parts._replace(
        netloc=f"{auth}{at}127.0.0.1:{port}", query=urlencode(query, quote_via=quote)
    ).geturl()


class _Pair:
    """One client connection and its server connection: the round trips between them."""

    def __init__(self) -> None:
        self.round_trips = 0
        self._asked = False  # the client sent bytes the server has not answered yet

    def from_client(self) -> None:
        self._asked = True

    def from_server(self) -> None:
        if self._asked:
            self.round_trips += 1
            self._asked = False


class RoundTripProxy:
    """`async with RoundTripProxy(upstream) as proxy:` connect to `proxy.dsn(dsn)`; read
    `proxy.round_trips` (all connections, so far) before and after what you count."""

    def __init__(self, upstream: Upstream) -> None:
        self.upstream = upstream
        self.port = 0
        self._pairs: list[_Pair] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def round_trips(self) -> int:
        return sum(p.round_trips for p in self._pairs)

    @property
    def connections(self) -> int:
        return len(self._pairs)

    def dsn(self, dsn: str) -> str:
        return proxied_dsn(dsn, self.port)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, OSError):
                await task

    async def __aenter__(self) -> RoundTripProxy:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _open_upstream(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        path = self.upstream.unix_socket
        if path is not None:
            return await asyncio.open_unix_connection(path)
        return await asyncio.open_connection(self.upstream.host, self.upstream.port)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            try:
                up_reader, up_writer = await self._open_upstream()
            except OSError:
                writer.close()
                return
            pair = _Pair()
            self._pairs.append(pair)
            await asyncio.gather(
                _pipe(reader, up_writer, pair.from_client),
                _pipe(up_reader, writer, pair.from_server),
            )
        finally:
            self._tasks.discard(task)


async def _pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: Callable[[], None]
) -> None:
    """Copy bytes until EOF, noting each read (`seen()`) before it is forwarded, so a reply
    can never be read before the request that caused it was noted."""
    try:
        while data := await reader.read(65536):
            seen()
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.close()
