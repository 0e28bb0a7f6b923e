"""Process exit codes, shared by every subcommand (scripts depend on them)."""

OK = 0
DEGRADED = 1  # `check`: reachable but something needs attention
BAD_INPUT = 2  # bad input, cannot connect, missing schema: nothing was written
# `alerts`: the worst firing alert (acknowledged or not; pending and muted ones never count)
ALERTS_WARNING = 1
ALERTS_CRITICAL = 3
INTERRUPTED = 130
