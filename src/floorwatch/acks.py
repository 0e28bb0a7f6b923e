"""Acknowledged alert keys, kept locally per user and facility (the monitor never writes to
the plant database). One JSON file per facility, replaced atomically."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs

from floorwatch.domain.models import Scope

log = logging.getLogger(__name__)
KEEP = timedelta(days=30)


def default_state_dir() -> Path:
    override = os.environ.get("FLOORWATCH_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir("floorwatch"))


class AckStore:
    def __init__(self, state_dir: Path | None, scope: Scope) -> None:
        self.path = (
            None
            if state_dir is None
            else state_dir / "acks" / f"{scope.tenant_id}-{scope.facility_id}.json"
        )
        self._acked: dict[str, str] = {}

    def load(self) -> set[str]:
        if self.path is None or not self.path.exists():
            return set()
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self._acked = {str(k): str(v) for k, v in dict(raw).items()}
        except (OSError, ValueError, TypeError):
            log.warning("ignoring unreadable acknowledgement file %s", self.path)
            self._acked = {}
        return set(self._acked)

    def add(self, keys: list[str], now: datetime | None = None) -> None:
        stamp = (now or datetime.now(UTC)).isoformat()
        for key in keys:
            self._acked.setdefault(key, stamp)
        self._save(now or datetime.now(UTC))

    def _save(self, now: datetime) -> None:
        if self.path is None:
            return
        cutoff = now - KEEP
        self._acked = {k: v for k, v in self._acked.items() if datetime.fromisoformat(v) >= cutoff}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self._acked, handle, indent=0, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("cannot save acknowledgements to %s: %s", self.path, exc)
