"""Errors that reach the user as one line on stderr and an exit code, never a traceback."""

from __future__ import annotations

from floorwatch.exit_codes import BAD_INPUT


class UserError(Exception):
    """Bad input or an unusable environment: print str(self) and exit with `exit_code`."""

    def __init__(self, message: str, exit_code: int = BAD_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code
