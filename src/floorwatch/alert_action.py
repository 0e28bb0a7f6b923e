"""The alert command (#12 item 6): `[alerts] command = ["program", "arg", …]` runs when an alert
starts firing or escalates, in the monitor and in `floorwatch alerts --watch` (README: Alerts
for scripts). A hook for e-mail, a siren, a chat webhook.

- An argv list, never a shell. The alert is one JSON object on its stdin (alert_report's
  event_json: the object of `alerts --json` with `event` firing / escalated, `at`, `tenant`
  and `facility`), its stdout is discarded; its environment is floorwatch's less the database
  credentials (PGPASSWORD, FLOORWATCH_DSN, DATABASE_URL).
- After `command_timeout_seconds` it is killed, with its process group (it runs in a session of
  its own, so a script's children go too).
- Failures (cannot start, non-zero exit, timeout) are logged (the log file, never the terminal
  the monitor draws on) with the program's name only: its arguments may hold a token.
- It never blocks the caller: `dispatch` only creates a task. At most MAX_RUNNING commands run
  at once and MAX_WAITING wait; beyond that (an alert storm) an event is dropped, and logged.
- Once per alert and episode: what was acted on (event, key, re-open count) is kept in the state
  dir next to the acknowledgements, `notified/<tenant id>-<facility id>.json`, claimed under a
  file lock, so a restarted monitor, or a second one of the same user, does not act again for
  an alert that was already acted on. An alert that started firing while nothing watched is
  acted on when a monitor next sees it.

No Textual here: the app and `alerts --watch` share it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from floorwatch.alert_report import event_json
from floorwatch.domain.alert_log import AlertEvent, AlertLogState
from floorwatch.domain.models import Scope
from floorwatch.text import clean

log = logging.getLogger(__name__)

MAX_RUNNING = 4
MAX_WAITING = 100
KEEP_NOTIFIED = timedelta(days=7)
# never handed to the command: the monitor's own way into the database
SECRET_VARIABLES = ("PGPASSWORD", "FLOORWATCH_DSN", "DATABASE_URL")


def action_id(event: str, key: str, reopened: int) -> str:
    return f"{event}:{key}:{reopened}"


class NotifiedStore:
    """What the alert command was run for, per facility; shared by the processes of a user."""

    def __init__(self, state_dir: Path | None, scope: Scope) -> None:
        self.path = (
            None
            if state_dir is None
            else state_dir / "notified" / f"{scope.tenant_id}-{scope.facility_id}.json"
        )
        self._memory: dict[str, str] = {}

    def claim(self, ids: Sequence[str], now: datetime) -> list[str]:
        """The ids not acted on yet, recorded as acted on now (one process gets each id)."""
        if self.path is None:
            fresh = [i for i in dict.fromkeys(ids) if i not in self._memory]
            self._memory.update(dict.fromkeys(fresh, now.isoformat()))
            return fresh
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._locked():
                sent = self._read()
                fresh = [i for i in dict.fromkeys(ids) if i not in sent]
                if fresh:
                    sent.update(dict.fromkeys(fresh, now.isoformat()))
                    self._write(sent, now)
                return fresh
        except OSError as exc:
            # the state dir is not writable: act, but only once per process
            log.warning("cannot keep the alert command's record in %s: %s", self.path, exc)
            fresh = [i for i in dict.fromkeys(ids) if i not in self._memory]
            self._memory.update(dict.fromkeys(fresh, now.isoformat()))
            return fresh

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        assert self.path is not None
        try:
            import fcntl
        except ImportError:  # not POSIX: without the lock two processes may both act
            yield
            return
        with open(self.path.with_suffix(".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> dict[str, str]:
        assert self.path is not None
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("ignoring unreadable alert command record %s", self.path)
            return {}
        sent = raw.get("sent") if isinstance(raw, dict) else None
        if not isinstance(sent, dict):
            return {}
        return {str(k): str(v) for k, v in sent.items()}

    def _write(self, sent: dict[str, str], now: datetime) -> None:
        assert self.path is not None
        cutoff = now - KEEP_NOTIFIED
        kept = {k: at for k, at in sent.items() if _after(at, cutoff)}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"sent": kept}, handle, indent=0, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


def _after(text: str, cutoff: datetime) -> bool:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return False
    return (at if at.tzinfo else at.replace(tzinfo=UTC)) >= cutoff


def child_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES}


class AlertAction:
    """Runs the configured command for alert events, in background tasks of the running loop."""

    def __init__(
        self,
        command: Sequence[str],
        timeout_seconds: float,
        state_dir: Path | None,
        *,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.argv = tuple(command)
        self.timeout = timeout_seconds
        self.state_dir = state_dir
        self.on_failure = on_failure
        self.program = clean(Path(self.argv[0]).name)[:80]
        self._stores: dict[tuple[object, object], NotifiedStore] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots: asyncio.Semaphore | None = None
        self._queued = 0  # runs running or waiting for a slot
        self.runs = 0  # commands started (tests and logs)
        self.failures = 0

    def _store(self, scope: Scope) -> NotifiedStore:
        ident = (scope.tenant_id, scope.facility_id)
        if ident not in self._stores:
            self._stores[ident] = NotifiedStore(self.state_dir, scope)
        return self._stores[ident]

    def dispatch(
        self, events: Sequence[AlertEvent], state: AlertLogState, scope: Scope, now: datetime
    ) -> None:
        """Run the command for each event, later: returns at once (call it from the loop)."""
        if not events:
            return
        payloads = [
            (
                action_id(str(e.transition), e.alert.key, e.alert.reopened),
                event_json(str(e.transition), e.alert, state.status(e.alert), scope, now),
            )
            for e in events
        ]
        self._spawn(self._claim_and_run(payloads, self._store(scope), now), "alert-command")

    def _spawn(self, work: Any, name: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("alert command task failed", exc_info=exc)

    async def _claim_and_run(
        self, payloads: list[tuple[str, dict[str, Any]]], store: NotifiedStore, now: datetime
    ) -> None:
        claimed = set(await asyncio.to_thread(store.claim, [i for i, _ in payloads], now))
        for ident, payload in payloads:
            if ident not in claimed:
                continue
            if self._queued >= MAX_RUNNING + MAX_WAITING:
                log.warning("alert command %s: too many waiting, dropped %s", self.program, ident)
                continue
            self._queued += 1
            self._spawn(self._run_when_free(payload), "alert-command-run")

    async def _run_when_free(self, payload: dict[str, Any]) -> None:
        try:
            async with self._semaphore():
                await self.run(payload)
        finally:
            self._queued -= 1

    def _semaphore(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(MAX_RUNNING)
        return self._slots

    async def run(self, payload: dict[str, Any]) -> bool:
        """One run of the command with `payload` on stdin; True when it exited 0 in time."""
        what = f"{payload.get('event')} {payload.get('key')}"
        data = (json.dumps(payload) + "\n").encode()
        self.runs += 1
        started = time.monotonic()
        try:
            proc = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=child_environment(),
                start_new_session=True,
            )
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            return self._failed(what, f"cannot start: {reason}")
        try:
            _, err = await asyncio.wait_for(proc.communicate(data), self.timeout)
        except TimeoutError:
            await _kill(proc)
            return self._failed(what, f"timed out after {self.timeout:g} s, killed")
        except BaseException:  # cancelled: the monitor is closing
            await _kill(proc)
            raise
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            last = clean(err.decode(errors="replace").strip().splitlines()[-1])[:200] if err else ""
            status = _exit_status(proc.returncode)
            return self._failed(what, f"{status}" + (f": {last}" if last else ""))
        log.info("alert command %s ran for %s in %.2f s", self.program, what, seconds)
        return True

    def _failed(self, what: str, reason: str) -> bool:
        self.failures += 1
        message = f"alert command {self.program} for {what}: {reason}"
        log.warning("%s", message)
        if self.on_failure is not None:
            self.on_failure(message)
        return False

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    async def wait(self) -> None:
        """Until every dispatched run has finished (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, grace: float = 2.0) -> None:
        """Let running commands finish for up to `grace` seconds, then kill them."""
        tasks = list(self._tasks)
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def _exit_status(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with {code}"


async def _kill(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # its own session: the group is its pid
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(proc.wait(), 5)
