"""Acknowledged alerts (who and when) and muted work centers, kept locally per user and
facility (the monitor never writes to the plant database). One JSON file per facility,
replaced atomically:

    {"acks": {"<alert key>": {"at": "<ISO time>", "by": "<login>"}},
     "mutes": {"<work center id>": {"until": "<ISO time>", "at": "…", "by": "…"}}}

A file of the first format ({"<alert key>": "<ISO time>"}) still loads."""

from __future__ import annotations

import getpass
import json
import logging
import os
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from floorwatch.domain.alert_log import Ack, Mute
from floorwatch.domain.models import Scope
from floorwatch.text import clean

log = logging.getLogger(__name__)
KEEP = timedelta(days=30)


def default_state_dir() -> Path:
    override = os.environ.get("FLOORWATCH_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir("floorwatch"))


def login() -> str:
    """Who acknowledges or mutes: the operating-system login of the monitor's user."""
    try:
        return clean(getpass.getuser())[:64]
    except (OSError, KeyError, ImportError):
        return ""


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def _text(value: object) -> str:
    return clean(value)[:64] if isinstance(value, str) else ""


class AckStore:
    def __init__(self, state_dir: Path | None, scope: Scope) -> None:
        self.path = (
            None
            if state_dir is None
            else state_dir / "acks" / f"{scope.tenant_id}-{scope.facility_id}.json"
        )
        self.acks: dict[str, Ack] = {}
        self.mutes: dict[uuid.UUID, Mute] = {}

    def load(self) -> dict[str, Ack]:
        """The acknowledgements (the mutes are in `mutes` after this); an unreadable file is
        logged and read as empty."""
        self.acks, self.mutes = {}, {}
        if self.path is None or not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise TypeError("not an object")
            self._read(raw)
        except (OSError, ValueError, TypeError):
            log.warning("ignoring unreadable acknowledgement file %s", self.path)
            self.acks, self.mutes = {}, {}
        return dict(self.acks)

    def _read(self, raw: dict[str, Any]) -> None:
        if "acks" not in raw and "mutes" not in raw:  # the first format: key -> time
            raw = {"acks": {k: {"at": v} for k, v in raw.items()}}
        for key, entry in dict(raw.get("acks") or {}).items():
            entry = entry if isinstance(entry, dict) else {}
            self.acks[str(key)] = Ack(at=_time(entry.get("at")), by=_text(entry.get("by")))
        for wc, entry in dict(raw.get("mutes") or {}).items():
            entry = entry if isinstance(entry, dict) else {}
            until = _time(entry.get("until"))
            if until is None:
                continue
            self.mutes[uuid.UUID(str(wc))] = Mute(
                until=until, by=_text(entry.get("by")), at=_time(entry.get("at")) or until
            )

    def add(self, keys: list[str], now: datetime | None = None) -> Ack:
        stamp = Ack(at=now or datetime.now(UTC), by=login())
        for key in keys:
            self.acks.setdefault(key, stamp)
        self._save(stamp.at or datetime.now(UTC))
        return stamp

    def mute(self, work_center_id: uuid.UUID, until: datetime, now: datetime) -> Mute:
        mute = Mute(until=until, by=login(), at=now)
        self.mutes[work_center_id] = mute
        self._save(now)
        return mute

    def unmute(self, work_center_id: uuid.UUID, now: datetime) -> None:
        self.mutes.pop(work_center_id, None)
        self._save(now)

    def _save(self, now: datetime) -> None:
        if self.path is None:
            return
        cutoff = now - KEEP
        self.acks = {k: a for k, a in self.acks.items() if a.at is None or a.at >= cutoff}
        self.mutes = {wc: m for wc, m in self.mutes.items() if m.until > now}
        data = {
            "acks": {
                k: {"at": a.at.isoformat() if a.at else None, "by": a.by}
                for k, a in self.acks.items()
            },
            "mutes": {
                str(wc): {"until": m.until.isoformat(), "at": m.at.isoformat(), "by": m.by}
                for wc, m in self.mutes.items()
            },
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=0, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("cannot save acknowledgements to %s: %s", self.path, exc)
