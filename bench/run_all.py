"""`make bench`: run every bench/bench_*.py and print their JSON results as one JSON list.

Each benchmark measures its own baseline in the same run and reports a ratio, because this
machine is shared and absolute timings drift.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    results = []
    failed = False
    for script in sorted(HERE.glob("bench_*.py")):
        # bench_dashboard (issue 7) builds 5M + 1M complaint histories: the longest, ~30 min.
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        print(f"  {script.name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        if proc.returncode != 0:
            failed = True
            results.append({"bench": script.stem, "error": proc.stderr.strip()[-2000:]})
            continue
        for line in proc.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                results.append(json.loads(line))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
