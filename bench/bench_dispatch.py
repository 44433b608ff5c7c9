"""Dispatcher throughput vs a bare async HTTP client loop, against the same local fake gateway.

    .venv/bin/python bench/bench_dispatch.py [--messages 20000] [--concurrency 32]

- gateway: a small asyncio HTTP/1.1 keep-alive server in its own process on 127.0.0.1 that
  answers every request like an SMS gateway (`{"status": "success", "message_id": ...}`);
- bare loop: aiohttp, the same concurrency, N form POSTs shaped like the http_sms provider's
  (Hindi text, DLT ids, unicode flag), each answer read and its id parsed;
- dispatcher: N queued outbox rows in a fresh, migrated temporary SQLite database (inserted
  untimed), then `notifications_dispatch_run` with the http_sms provider and rate limits
  lifted, timed from the call to its return (claims, sends, results recorded and committed).
  Every row must end up `sent` with the gateway's id.
The bare loop runs before and after the dispatcher; the faster of the two is the baseline.
Prints one JSON line. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "अमीनाबाद: बिजली आपूर्ति बहाल हो गई है। अब भी बिजली न हो तो 1912 पर बताएं। -UPPCL 1912"


# --- the fake gateway (child process) ---------------------------------------------------------


async def gateway_serve() -> None:
    counter = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal counter
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                if length:
                    await reader.readexactly(length)
                counter += 1
                body = b'{"status": "success", "message_id": "gw-%d"}' % counter
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def gateway_start() -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--gateway"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, int(proc.stdout.readline())


# --- (a) the bare client loop -----------------------------------------------------------------


async def bare_loop(*, url: str, messages: int, concurrency: int) -> float:
    import aiohttp

    remaining = messages
    ids: list[str] = []

    async def sender(session: aiohttp.ClientSession) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            form = {
                "to": f"9198{remaining:08d}",
                "text": TEXT,
                "sender": "UPPCLS",
                "entity_id": "1101234567890123456",
                "template_id": "1107161234567890123",
                "unicode": "1",
            }
            async with session.post(url, data=form) as response:
                body = await response.read()
            ids.append(json.loads(body)["message_id"])

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(sender(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    assert len(ids) == messages
    return elapsed


# --- (b) the dispatcher -------------------------------------------------------------------------


def dispatcher_run(*, messages: int) -> dict[str, float]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from sampark.core import clock
    from sampark.core.db import rows_insert
    from sampark.notifications.dispatcher import notifications_dispatch_run
    from sampark.notifications.models import Notification

    call_command("migrate", verbosity=0)
    now = clock.now()
    columns = ["topic", "event", "channel", "recipient", "template_key", "language", "text",
               "variables", "dlt_template_id", "dlt_entity_id", "segments", "urgent", "status",
               "attempts", "next_attempt_at", "last_error", "provider", "provider_message_id",
               "created_at"]  # fmt: skip
    rows = (
        ("outage:1", "declared", "sms", f"+9198{n:08d}", "outage_restored", "hi", TEXT,
         '{"area": "अमीनाबाद"}', "1107161234567890123", "1101234567890123456", 2, True,
         "queued", 0, now, "", "", "", now)
        for n in range(messages)
    )  # fmt: skip
    with transaction.atomic():
        rows_insert(model=Notification, columns=columns, rows=rows)

    started = time.perf_counter()
    report = notifications_dispatch_run(budget=3600)
    elapsed = time.perf_counter() - started

    sent = Notification.objects.filter(status="sent", provider_message_id__startswith="gw-")
    assert report.sent == messages == sent.count(), (report, sent.count())
    return {"seconds": elapsed, "rounds": report.rounds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--gateway", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gateway:
        asyncio.run(gateway_serve())
        return 0

    n, concurrency = args.messages, args.concurrency
    gateway, port = gateway_start()
    url = f"http://127.0.0.1:{port}/sms"
    try:
        with tempfile.TemporaryDirectory(prefix="bench_dispatch_") as tmp:
            os.environ.update(
                {
                    "DJANGO_SETTINGS_MODULE": "sampark.config.settings.local",
                    "SAMPARK_DEBUG": "false",
                    "SAMPARK_SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"),
                    "SAMPARK_LOG_LEVEL": "WARNING",
                    "SAMPARK_SMS_PROVIDER": "http_sms",
                    "SAMPARK_HTTP_SMS_URL": url,
                    "SAMPARK_PROVIDER_RATES": '{"http_sms": 0}',
                    "SAMPARK_QUIET_HOURS": "",
                    "SAMPARK_DISPATCH_CONCURRENCY": str(concurrency),
                }
            )
            os.environ.pop("DATABASE_URL", None)
            sys.path.insert(0, str(ROOT / "src"))
            asyncio.run(bare_loop(url=url, messages=min(n, 2000), concurrency=concurrency))
            bare_before = asyncio.run(bare_loop(url=url, messages=n, concurrency=concurrency))
            dispatched = dispatcher_run(messages=n)
            bare_after = asyncio.run(bare_loop(url=url, messages=n, concurrency=concurrency))
    finally:
        gateway.terminate()
        gateway.wait()
    bare = min(bare_before, bare_after)
    result = {
        "bench": "notifications_dispatch",
        "messages": n,
        "concurrency": concurrency,
        "bare_loop_msg_per_s": round(n / bare),
        "bare_loop_runs_msg_per_s": [round(n / bare_before), round(n / bare_after)],
        "dispatcher_msg_per_s": round(n / dispatched["seconds"]),
        "dispatcher_s": round(dispatched["seconds"], 2),
        "dispatcher_rounds": int(dispatched["rounds"]),
        "ratio": round(bare / dispatched["seconds"], 2),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
