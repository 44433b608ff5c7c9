"""The public outage page under a storm's traffic, against the real server on this machine.

    .venv/bin/python bench/bench_public_outages.py [--rate 500] [--seconds 20] [--consumers 100000]

- data: a fresh temporary SQLite database, migrated, `sampark demo --consumers N`, then a storm
  declared through the outage services (40 outages on now, some substation-wide, 20 planned,
  20 restored in the last hours);
- server: gunicorn exactly as `sampark serve` starts it (its argv, 2 workers x 4 threads, access
  log on), production-like settings (DEBUG off), the default local-memory cache;
- load: an open-loop aiohttp client in its own process sends requests at a fixed rate whatever
  the answers (latency counts from the moment each request was due, so a slow server cannot hide
  its queue), alternating /outages/ and /outages/feeds/current.geojson for `--seconds`, after a
  short warm-up;
- baselines in the same run: a static file through WhiteNoise on the same server at the same
  rate (the floor: gunicorn and the outermost middleware only); and capacity, closed loop with
  16 clients for 5 s, of the cached page vs the page on a second server with the cache off
  (SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS=0).
The server's CPU milliseconds per request (gunicorn's processes, from /proc) are printed beside
the latencies, with the 1-minute load average: the machine is shared, and when other work
starves the server its latencies grow while its CPU per request hardly moves.
Prints one JSON line. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PAGE = "/outages/"
GEOJSON = "/outages/feeds/current.geojson"
STATIC = "/static/public/outages.css"  # WhiteNoise: the cheapest answer this server gives


# --- the load generator (child process) --------------------------------------------------------


async def drive(
    *, base: str, paths: list[str], rate: float, seconds: float, concurrency: int = 0
) -> dict[str, object]:
    """Open loop at `rate` requests/s (latency from when each was due), or, with
    `concurrency`, closed loop: that many clients, each sending its next request on an answer."""
    import aiohttp

    loop = asyncio.get_running_loop()
    latencies: dict[str, list[float]] = {p: [] for p in paths}
    statuses: Counter[str] = Counter()
    errors = 0
    done_at = 0.0

    async def one(session: aiohttp.ClientSession, path: str, due: float) -> None:
        nonlocal errors, done_at
        try:
            async with session.get(base + path) as response:
                await response.read()
                statuses[str(response.status)] += 1
                if response.status >= 400:
                    errors += 1
        except (TimeoutError, aiohttp.ClientError):
            statuses["failed"] += 1
            errors += 1
        finished = loop.time()
        latencies[path].append(finished - due)
        done_at = max(done_at, finished)

    timeout = aiohttp.ClientTimeout(total=10)
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        start = loop.time() + 0.05
        if concurrency:

            async def client(n: int) -> None:
                i = n
                while loop.time() < start + seconds:
                    await one(session, paths[i % len(paths)], loop.time())
                    i += concurrency

            await asyncio.gather(*(client(n) for n in range(concurrency)))
        else:
            tasks = []
            for i in range(int(rate * seconds)):
                due = start + i / rate
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(one(session, paths[i % len(paths)], due)))
            await asyncio.gather(*tasks)
    every = sorted(x for values in latencies.values() for x in values)
    return {
        "requests": len(every),
        "achieved_rps": round(len(every) / (done_at - start), 1),
        "p50_ms": round(percentile(every, 50) * 1000, 1),
        "p99_ms": round(percentile(every, 99) * 1000, 1),
        "max_ms": round(every[-1] * 1000, 1),
        "errors": errors,
        "statuses": dict(statuses),
        "by_path": {
            p: {
                "p50_ms": round(percentile(sorted(v), 50) * 1000, 1),
                "p99_ms": round(percentile(sorted(v), 99) * 1000, 1),
            }
            for p, v in latencies.items()
            if len(paths) > 1
        },
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def load(
    *, base: str, paths: list[str], rate: float, seconds: float, concurrency: int = 0
) -> dict[str, Any]:
    """Run the generator in its own process (its CPU is not the server's)."""
    argv = [sys.executable, __file__, "--drive", base, ",".join(paths)]
    argv += [str(rate), str(seconds), str(concurrency)]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- the scene ---------------------------------------------------------------------------------


def storm() -> None:
    """Declare the storm through the outage services (run in the bench's database)."""
    import random
    from datetime import timedelta

    import django

    django.setup()
    from django.db import transaction

    from sampark.core import clock
    from sampark.network.models import Feeder, Substation
    from sampark.outages.models import OutageKind
    from sampark.outages.services import outage_declare, outage_restore

    rng = random.Random(1912)
    substations = list(Substation.objects.order_by("code").values_list("code", flat=True))
    feeders_of: dict[str, list[str]] = {}
    for code, substation in Feeder.objects.order_by("code").values_list("code", "substation__code"):
        feeders_of.setdefault(substation, []).append(code)

    def some_feeders(most: int) -> list[str]:  # an outage's scope lies in one zone
        found = feeders_of[rng.choice(sorted(feeders_of))]
        return rng.sample(found, min(len(found), rng.randint(1, most)))

    reasons = ["feeder_11kv_trip", "tree_fall", "line_33kv_breakdown", "conductor_snapped"]
    now = clock.now()
    with transaction.atomic():
        for i in range(40):
            whole = [rng.choice(substations)] if i % 10 == 0 else []
            outage_declare(
                kind=OutageKind.UNPLANNED,
                reason_code=rng.choice(reasons),
                # Every seventh is due now: overdue while the bench runs.
                etr=now + timedelta(minutes=rng.randint(30, 360) if i % 7 else 0, seconds=5),
                starts_at=now - timedelta(minutes=rng.randint(5, 300)),
                substation_codes=whole,
                feeder_codes=[] if whole else some_feeders(4),
                actor=None,
            )
        for i in range(20):
            start = now + timedelta(days=1 + i, hours=rng.randint(0, 8))
            outage_declare(
                kind=OutageKind.PLANNED,
                reason_code="maintenance_shutdown",
                etr=start + timedelta(hours=4),
                starts_at=start,
                feeder_codes=some_feeders(2),
                actor=None,
            )
        for _ in range(20):
            outage = outage_declare(
                kind=OutageKind.UNPLANNED,
                reason_code=rng.choice(reasons),
                etr=now + timedelta(hours=1),
                starts_at=now - timedelta(hours=rng.randint(1, 12)),
                feeder_codes=some_feeders(1),
                actor=None,
            )
            outage_restore(outage=outage, actor=None)


def scene(env: dict[str, str], consumers: int) -> None:
    sampark = str(BIN / "sampark")
    subprocess.run([sampark, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run(
        [sampark, "demo", "--consumers", str(consumers), "--seed", "1912"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([sys.executable, __file__, "--storm"], env=env, check=True)
    subprocess.run([sampark, "collectstatic", "--noinput", "-v0"], env=env, check=True)


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """The web service of `sampark serve`, as its supervisor starts it."""
    from sampark.ops.supervisor import services_default

    port = free_port()
    web = services_default(bind=f"127.0.0.1:{port}", web_workers=2)[0]
    proc = subprocess.Popen(
        list(web.argv), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + PAGE, timeout=5) as answer:
                if answer.status == 200:
                    return proc, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not answer within 60 s")


def server_cpu_seconds(proc: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) of gunicorn's master and workers so far, from /proc: what the
    server spent, whatever else the shared machine was doing."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    total = 0
    for pid in [str(proc.pid), *children]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measured(
    proc: subprocess.Popen[bytes], *, base: str, paths: list[str], rate: float, seconds: float
) -> dict[str, Any]:
    """`load`, plus the server's CPU milliseconds per request."""
    before = server_cpu_seconds(proc)
    result = load(base=base, paths=paths, rate=rate, seconds=seconds)
    spent = server_cpu_seconds(proc) - before
    return {**result, "server_cpu_ms_per_request": round(spent / result["requests"] * 1000, 3)}


def server_stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--consumers", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-public-outages-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
            "SAMPARK_DEBUG": "0",
            "SAMPARK_SQLITE_PATH": str(Path(tmp) / "db.sqlite3"),
            "SAMPARK_STATIC_ROOT": str(Path(tmp) / "static"),
            "SAMPARK_MEDIA_ROOT": str(Path(tmp) / "media"),
            "SAMPARK_CACHE_URL": "locmemcache://",
            "SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS": "20",
        }
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        scene(env, args.consumers)
        setup_s = time.perf_counter() - started

        cached, base = server_start(env)
        try:
            load(base=base, paths=[PAGE, GEOJSON], rate=50, seconds=2)  # warm-up
            busy = os.getloadavg()[0]  # other work on this shared machine, for the record
            storm_run = measured(
                cached, base=base, paths=[PAGE, GEOJSON], rate=args.rate, seconds=args.seconds
            )
            floor = measured(
                cached, base=base, paths=[STATIC], rate=args.rate, seconds=args.seconds / 2
            )
            capacity = load(base=base, paths=[PAGE], rate=0, seconds=5, concurrency=16)
            with urllib.request.urlopen(base + PAGE) as answer:
                page_bytes = len(answer.read())
        finally:
            server_stop(cached)

        uncached, base = server_start({**env, "SAMPARK_PUBLIC_OUTAGES_CACHE_SECONDS": "0"})
        try:
            load(base=base, paths=[PAGE], rate=5, seconds=1)  # warm-up
            no_cache = load(base=base, paths=[PAGE], rate=0, seconds=5, concurrency=16)
        finally:
            server_stop(uncached)

    print(
        json.dumps(
            {
                "bench": "public_outages",
                "target": f"{args.rate:g} req/s sustained with p99 < 100 ms",
                "rate": args.rate,
                "seconds": args.seconds,
                "consumers": args.consumers,
                "page_bytes": page_bytes,
                "setup_s": round(setup_s, 1),
                "load_average_1m": round(busy, 1),
                "cached_page_and_geojson": storm_run,
                "baseline_static_file": floor,
                "p99_ratio_vs_static_file": round(storm_run["p99_ms"] / floor["p99_ms"], 2),
                "cpu_ratio_vs_static_file": round(
                    storm_run["server_cpu_ms_per_request"] / floor["server_cpu_ms_per_request"], 2
                ),
                "capacity_cached_page": capacity,
                "capacity_uncached_page": no_cache,
                "capacity_ratio_cached_vs_uncached": round(
                    capacity["achieved_rps"] / no_cache["achieved_rps"], 1
                ),
                "met": storm_run["errors"] == 0
                and storm_run["p99_ms"] < 100
                and storm_run["achieved_rps"] >= 0.98 * args.rate,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--drive"]:
        base, paths, rate, seconds, concurrency = sys.argv[2:7]
        result = asyncio.run(
            drive(
                base=base,
                paths=paths.split(","),
                rate=float(rate),
                seconds=float(seconds),
                concurrency=int(concurrency),
            )
        )
        print(json.dumps(result))
    elif sys.argv[1:2] == ["--storm"]:
        storm()
    else:
        main()
