"""Demo generation + insert of N consumers vs a raw `executemany` of the same rows (SQLite).

    .venv/bin/python bench/bench_consumers.py [--consumers 1000000] [--seed 1912]

Each phase runs in its own process on its own fresh SQLite file (copied from one migrated
template), so settings, pragmas, indexes and foreign keys are identical and peak RSS is per
phase:
- baseline: the demo network is loaded and the demo rows are generated into a temporary pickle
  file (untimed); then only the INSERTs are timed: raw sqlite3 `executemany` in 20,000-row
  batches into the empty consumers table, plus the commit.
- demo: `sampark demo --consumers N` end to end (reference data, network, consumer generation,
  insert, commit), timed from the call to its return.
- demo at N/5: the same, to show that peak memory does not grow with N.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BATCH = 20_000


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def phase_run(phase: str, *, db: Path, consumers: int, seed: int, workdir: Path) -> dict:
    """Run one phase in a fresh interpreter, pointed at its own database file."""
    env = {
        **os.environ,
        "SAMPARK_SQLITE_PATH": str(db),
        "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
    }
    env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--consumers",
        str(consumers),
        "--seed",
        str(seed),
        "--workdir",
        str(workdir),
    ]
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child(phase: str, *, consumers: int, seed: int, workdir: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    if phase == "migrate":
        call_command("migrate", verbosity=0)
        return {}
    rss_start = peak_rss_mb()
    if phase == "demo":
        started = time.perf_counter()
        call_command("demo", consumers=consumers, seed=seed, stdout=sys.stderr)
        return {"seconds": time.perf_counter() - started, "rss_start_mb": rss_start}

    # baseline: same network and rows as the demo phase, then time the inserts alone.
    from django.conf import settings
    from django.utils import timezone

    from sampark.consumers.demo import COLUMNS, consumers_demo_rows
    from sampark.core.db import chunked
    from sampark.network.demo import network_demo_plan, network_demo_write, reference_load

    ref = reference_load(data_dir=settings.SAMPARK_SHARED_DATA)
    plan = network_demo_plan(ref=ref, consumers=consumers, seed=seed)
    with transaction.atomic():
        _report, ids = network_demo_write(plan=plan)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows_file = workdir / "rows.pickle"
    with rows_file.open("wb") as out:
        for batch in chunked(consumers_demo_rows(plan=plan, ids=ids, seed=seed, now=now), BATCH):
            pickle.dump(batch, out, protocol=pickle.HIGHEST_PROTOCOL)
    connection.ensure_connection()
    raw = connection.connection  # the sqlite3 connection, same pragmas as Django's
    sql = (
        f"INSERT INTO consumers_consumer ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(COLUMNS))})"
    )
    timed = 0.0
    written = 0
    with transaction.atomic(), rows_file.open("rb") as source:
        cursor = raw.cursor()
        while True:
            try:
                batch = pickle.load(source)  # untimed: reading the materialised rows
            except EOFError:
                break
            started = time.perf_counter()
            cursor.executemany(sql, batch)
            timed += time.perf_counter() - started
            written += len(batch)
        started = time.perf_counter()
    timed += time.perf_counter() - started  # the commit
    rows_file.unlink()
    return {"seconds": timed, "rows": written, "rss_start_mb": rss_start}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--consumers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1912)
    parser.add_argument("--phase", choices=["migrate", "baseline", "demo"])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--no-rss-check", action="store_true", help="skip the N/5 demo run")
    args = parser.parse_args()
    if args.phase:
        result = child(args.phase, consumers=args.consumers, seed=args.seed, workdir=args.workdir)
        print(json.dumps({**result, "peak_rss_mb": peak_rss_mb()}))
        return 0

    n = args.consumers
    with tempfile.TemporaryDirectory(prefix="bench_consumers_") as tmp:
        work = Path(tmp)
        template = work / "template.sqlite3"
        phase_run("migrate", db=template, consumers=0, seed=args.seed, workdir=work)

        def fresh(name: str) -> Path:
            db = work / f"{name}.sqlite3"
            shutil.copy(template, db)
            return db

        common = {"seed": args.seed, "workdir": work}
        baseline = phase_run("baseline", db=fresh("baseline"), consumers=n, **common)
        demo = phase_run("demo", db=fresh("demo"), consumers=n, **common)
        small = None
        if not args.no_rss_check:
            small = phase_run("demo", db=fresh("small"), consumers=n // 5, **common)
    result = {
        "bench": "consumers_generate_insert",
        "consumers": n,
        "baseline_executemany_s": round(baseline["seconds"], 2),
        "demo_s": round(demo["seconds"], 2),
        "ratio": round(demo["seconds"] / baseline["seconds"], 2),
        "peak_rss_mb": demo["peak_rss_mb"],
        "rows_per_s": round(n / demo["seconds"]),
        "rss_at_start_mb": demo["rss_start_mb"],
        "baseline_peak_rss_mb": baseline["peak_rss_mb"],
    }
    if small is not None:
        result[f"peak_rss_mb_at_{n // 5}"] = small["peak_rss_mb"]
        result[f"demo_s_at_{n // 5}"] = round(small["seconds"], 2)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
