"""Optional filters of a statement: lines marked `-- filter: $n` are left out of the text sent
when the caller does not filter on $n, and the parameters after it are renumbered.

Why not `($n IS NULL OR col = $n)`: a cached (generic) plan cannot fold that OR, and PostgreSQL's
`auto` plan mode chose such a plan for the run list, which at 10x ran 6 ms instead of 8-13 ms
without the OR (README: Performance). A text per combination of filters gets a plan of its own."""

from __future__ import annotations

import re
from collections.abc import Iterable

# a statement's parameter and a line's comment, in the SQL files' text (db/queries.py's
# includes of alert_facts.sql read them too; none of the files has `--` in a string literal)
PARAMETER = re.compile(r"\$(\d+)")
COMMENT = re.compile(r"--[^\n]*")
_MARKED = re.compile(r"--\s*filter:\s*((?:\$\d+[\s,]*)+)$")


def narrowed(text: str, dropped: Iterable[int]) -> str:
    """`text` without the lines marked with a dropped parameter, comments removed (they name
    parameters too), the parameters left renumbered $1, $2, ... in their order. A dropped
    parameter still used outside its marked lines is a mistake in the SQL: ValueError. (A
    `--` inside a string literal would be cut as a comment: the SQL files have none.)"""
    gone = set(dropped)
    kept: list[str] = []
    for line in text.splitlines():
        marked = _MARKED.search(line)
        if marked and gone & {int(n) for n in PARAMETER.findall(marked.group(1))}:
            continue
        kept.append(COMMENT.sub("", line).rstrip())
    body = "\n".join(line for line in kept if line.strip())
    used = sorted({int(n) for n in PARAMETER.findall(body)})
    if stray := gone & set(used):
        raise ValueError(f"parameters {sorted(stray)} are used outside their filter lines")
    number = {old: new for new, old in enumerate(used, start=1)}
    return PARAMETER.sub(lambda m: f"${number[int(m.group(1))]}", body)
