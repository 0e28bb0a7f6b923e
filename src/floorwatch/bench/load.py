"""One process of the benchmark's concurrent monitors (bench/measure.concurrent_monitors):
`python -m floorwatch.bench.load ARGS-JSON` prints its panel times as JSON."""

from __future__ import annotations

import asyncio
import json
import logging
import sys

from floorwatch.bench.measure import LoadArgs, monitor_samples


def main(argv: list[str]) -> int:
    logging.disable(logging.WARNING)
    args = LoadArgs.model_validate_json(argv[0])
    samples, failed = asyncio.run(monitor_samples(args))
    sys.stdout.write(json.dumps({"samples": samples, "failed": failed}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
