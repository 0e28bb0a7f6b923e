"""Logging goes to a file, never to the terminal the TUI draws on, and never carries secrets."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

from floorwatch.db.dsn import scrub


class _ScrubbingFormatter(logging.Formatter):
    """Formats the record (traceback included), then removes passwords and raw DSNs."""

    def __init__(self, dsn: str | None) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.dsn = dsn

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record), self.dsn)


def log_path() -> Path:
    override = os.environ.get("FLOORWATCH_LOG")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("floorwatch")) / "floorwatch.log"


def configure(dsn: str | None, level: int = logging.INFO) -> Path:
    path = log_path()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(_ScrubbingFormatter(dsn))
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    return path
