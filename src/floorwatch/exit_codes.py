"""Process exit codes, shared by every subcommand (scripts depend on them)."""

OK = 0
DEGRADED = 1  # `check`: reachable but something needs attention
BAD_INPUT = 2  # bad input, cannot connect, missing schema: nothing was written
INTERRUPTED = 130
