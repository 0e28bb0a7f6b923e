"""What the command line (cli.py, which parses) and its commands (commands.py, which act)
share: the parsed invocation and the JSON output. Importing neither of them keeps the two
free of an import loop."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from floorwatch.config import Config
from floorwatch.db.dsn import Target


@dataclass
class Invocation:
    """Parsed flags plus the configuration they select."""

    args: argparse.Namespace
    config: Config
    config_path: Path
    target: Target

    def flag(self, name: str, default: Any = None) -> Any:
        return getattr(self.args, name, default)


def emit_json(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, indent=2, default=str))
