"""Versioned plain-SQL migrations: V###__name.sql, applied in order, each in its own transaction,
recorded with a checksum in floorwatch_schema_history, serialised by an advisory lock.

Two sets use it: floorwatch's own schema (migrations/, history in the current schema) and the
adoption of an ERP database (migrations/adopt/, history in the floorwatch schema; db/adopt.py).
A file whose first line is NO_TRANSACTION_MARKER runs statement by statement outside a
transaction (CREATE INDEX CONCURRENTLY cannot run in one); each statement must then be safe to
run again (IF NOT EXISTS), since a failure part way leaves the earlier ones done."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from floorwatch.errors import UserError

HISTORY_TABLE = "floorwatch_schema_history"
# Any 64-bit constant; all floorwatch migrators take the same one.
ADVISORY_LOCK_KEY = 0x466C6F6F72_77  # "Floor" "w"
_NAME = re.compile(r"^V(\d{3,})__([A-Za-z0-9_]+)\.sql$")
NO_TRANSACTION_MARKER = "-- floorwatch: no transaction"


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    path: Path
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()

    @property
    def transactional(self) -> bool:
        return not self.sql.startswith(NO_TRANSACTION_MARKER)

    def statements(self) -> list[str]:
        """The statements of a no-transaction file: each ends with ';' at the end of a line."""
        found: list[str] = []
        current: list[str] = []
        for line in self.sql.splitlines():
            if not current and (not line.strip() or line.lstrip().startswith("--")):
                continue
            current.append(line)
            if line.rstrip().endswith(";"):
                found.append("\n".join(current))
                current = []
        if current:
            found.append("\n".join(current))
        return found


@dataclass(frozen=True)
class AppliedMigration:
    version: int
    description: str
    checksum: str


@dataclass(frozen=True)
class MigrationStatus:
    applied: list[AppliedMigration]
    pending: list[Migration]
    changed: list[Migration]  # applied, but the file no longer matches its checksum

    @property
    def current_version(self) -> int:
        return max((m.version for m in self.applied), default=0)


def migrations_dir() -> Path:
    """The packaged copy (wheel) or the repository's top-level migrations/ (editable install)."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "migrations", here.parent.parent / "migrations"):
        if candidate.is_dir():
            return candidate
    raise UserError("migrations directory not found in the installed package")


def load_migrations(directory: Path | None = None) -> list[Migration]:
    directory = directory or migrations_dir()
    found: list[Migration] = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise UserError(f"migration file name not of the form V001__name.sql: {path.name}")
        found.append(
            Migration(int(match[1]), match[2].replace("_", " "), path, path.read_text("utf-8"))
        )
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise UserError(f"two migration files share a version in {directory}")
    return sorted(found, key=lambda m: m.version)


async def _ensure_history(conn: asyncpg.Connection, history: str) -> None:
    await conn.execute(
        f"""CREATE TABLE IF NOT EXISTS {history} (
                version integer PRIMARY KEY,
                description text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                execution_ms integer NOT NULL
            )"""
    )


async def _applied(conn: asyncpg.Connection, history: str) -> list[AppliedMigration]:
    exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", history)
    if not exists:
        return []
    rows = await conn.fetch(
        f"SELECT version, description, checksum FROM {history} ORDER BY version"
    )
    return [AppliedMigration(r["version"], r["description"], r["checksum"]) for r in rows]


async def status(
    conn: asyncpg.Connection, directory: Path | None = None, *, history: str = HISTORY_TABLE
) -> MigrationStatus:
    files = load_migrations(directory)
    applied = await _applied(conn, history)
    by_version = {a.version: a for a in applied}
    pending = [m for m in files if m.version not in by_version]
    changed = [
        m for m in files if m.version in by_version and by_version[m.version].checksum != m.checksum
    ]
    return MigrationStatus(applied=applied, pending=pending, changed=changed)


async def _record(conn: asyncpg.Connection, history: str, m: Migration, started: float) -> None:
    elapsed_ms = int((time.perf_counter() - started) * 1000)
    await conn.execute(
        f"INSERT INTO {history} (version, description, checksum, execution_ms)"
        " VALUES ($1, $2, $3, $4)",
        m.version,
        m.description,
        m.checksum,
        elapsed_ms,
    )


async def _apply(conn: asyncpg.Connection, history: str, migration: Migration) -> None:
    started = time.perf_counter()
    if migration.transactional:
        async with conn.transaction():
            await conn.execute(migration.sql)
            await _record(conn, history, migration, started)
        return
    for statement in migration.statements():
        await conn.execute(statement)
    await _record(conn, history, migration, started)


async def migrate(
    conn: asyncpg.Connection,
    directory: Path | None = None,
    *,
    history: str = HISTORY_TABLE,
    before: str | None = None,
) -> list[Migration]:
    """Apply pending migrations; returns those applied. Safe to run concurrently.
    `before` is SQL run (under the lock) ahead of creating the history table, e.g. the schema
    it lives in."""
    await conn.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
    try:
        if before:
            await conn.execute(before)
        await _ensure_history(conn, history)
        current = await status(conn, directory, history=history)
        if current.changed:
            names = ", ".join(m.path.name for m in current.changed)
            raise UserError(
                f"applied migration changed since it was applied (checksum differs): {names}; "
                "restore the file or write a new migration"
            )
        done: list[Migration] = []
        for migration in current.pending:
            await _apply(conn, history, migration)
            done.append(migration)
        return done
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", ADVISORY_LOCK_KEY)
