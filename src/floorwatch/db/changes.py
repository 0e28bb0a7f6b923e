"""ChangeFeed: the plant's change notices (migrations/V009), LISTENed to on one connection of
its own, outside the pool the panels poll through.

The feed says, through `on_state`, whether push is on: LISTENing on a primary whose plant
tables carry the notice triggers. It is off (the monitor polls at its configured intervals)
while it cannot connect, on a standby (LISTEN is refused there), when the triggers are not
installed (an adopted ERP database, a schema before V009) and after the connection drops; it
tries again every `retry_seconds`. A connection that stops answering (a half-open link) is
found by a `SELECT 1` every `keepalive_seconds`.

Behind a transaction-mode pooler LISTEN seems to work but nothing arrives: turn push off
there (`[push] enabled = false`)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from floorwatch.db.dsn import Target
from floorwatch.db.pool import CONNECTION_ERRORS, connect
from floorwatch.db.source import unavailable_reason
from floorwatch.errors import UserError

log = logging.getLogger(__name__)

# the tables whose changes are sent (one trigger set each, migrations/V009)
NOTICE_TABLES = frozenset(
    {
        "facilities",
        "work_centers",
        "production_orders",
        "production_runs",
        "oee_calculations",
        "equipment_status_log",
    }
)
_INSTALLED_SQL = (Path(__file__).parent / "sql" / "change_notices_installed.sql").read_text()


def channel(facility_id: uuid.UUID) -> str:
    return f"floorwatch:{facility_id}"


def tables_of(payload: str) -> frozenset[str]:
    """The plant tables a notice names. Anyone who can connect may NOTIFY on the channel:
    anything but a known table name is ignored."""
    return frozenset(payload.split(",")) & NOTICE_TABLES


async def why_no_push(conn: asyncpg.Connection) -> str | None:
    """Why this server cannot push (None: it can): a standby, or triggers missing."""
    if await conn.fetchval("SELECT pg_is_in_recovery()"):
        return "the server is a standby (no LISTEN there)"
    installed = {r["table_name"] for r in await conn.fetch(_INSTALLED_SQL)}
    if missing := NOTICE_TABLES - installed:
        return f"no change triggers on {', '.join(sorted(missing))}"
    return None


@dataclass(frozen=True)
class FeedState:
    push: bool
    reason: str = ""  # why not (one line, fit for the screen and the log)


Changed = Callable[[frozenset[str]], None]
StateChanged = Callable[[FeedState], None]


class ChangeFeed:
    def __init__(
        self,
        target: Target,
        *,
        retry_seconds: float = 30.0,
        keepalive_seconds: float = 15.0,
        statement_timeout_ms: int = 5000,
    ) -> None:
        self.target = target
        self.retry_seconds = retry_seconds
        self.keepalive_seconds = keepalive_seconds
        self.statement_timeout_ms = statement_timeout_ms
        self.backend_pid: int | None = None  # the listening connection's server process

    async def run(self, facility_id: uuid.UUID, on_change: Changed, on_state: StateChanged) -> None:
        """Listen for one facility until cancelled."""
        while True:
            reason = await self._listen(facility_id, on_change, on_state)
            self.backend_pid = None
            log.info("change feed: polling (%s)", reason)
            on_state(FeedState(False, reason))
            await asyncio.sleep(self.retry_seconds)

    async def _listen(
        self, facility_id: uuid.UUID, on_change: Changed, on_state: StateChanged
    ) -> str:
        """LISTEN until the connection is lost; returns why push is (now) off."""
        try:
            conn = await connect(self.target, self.statement_timeout_ms)
        except UserError as exc:
            return str(exc)
        lost = asyncio.Event()
        try:
            if (why := await why_no_push(conn)) is not None:
                return why
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(
                channel(facility_id),
                lambda _conn, _pid, _channel, payload: _notify(on_change, payload),
            )
            self.backend_pid = conn.get_server_pid()
            on_state(FeedState(True))
            while not lost.is_set():
                with suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), self.keepalive_seconds)
                if not lost.is_set():
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), self.keepalive_seconds)
            return "listener connection lost"
        except CONNECTION_ERRORS as exc:
            return f"listener connection lost: {unavailable_reason(exc, self.target.dsn)}"
        finally:
            with suppress(*CONNECTION_ERRORS):
                await asyncio.wait_for(conn.close(), 2)
            if not conn.is_closed():
                conn.terminate()


def _notify(on_change: Changed, payload: str) -> None:
    tables = tables_of(payload)
    if tables:
        on_change(tables)
