"""The shared per-provider rate limit: exact grants per second, shared by processes and threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from sampark.notifications.models import ProviderRateWindow
from sampark.notifications.ratelimit import (
    rate_available,
    rate_give_back,
    rate_take,
    rate_windows_prune,
)

SECOND = 1_800_000_000


@pytest.mark.django_db
def test_grants_never_exceed_the_limit_of_a_second():
    take = [rate_take(provider="http_sms", want=w, limit=5, second=SECOND) for w in (3, 3, 1)]

    assert take == [3, 2, 0]
    assert rate_available(provider="http_sms", limit=5, second=SECOND) == 0
    assert rate_take(provider="http_sms", want=4, limit=5, second=SECOND + 1) == 4  # new second
    assert rate_take(provider="telegram", want=4, limit=5, second=SECOND) == 4  # other provider


@pytest.mark.django_db
def test_unused_grants_go_back():
    assert rate_take(provider="p", want=5, limit=5, second=SECOND) == 5
    rate_give_back(provider="p", count=2, second=SECOND)

    assert rate_available(provider="p", limit=5, second=SECOND) == 2
    assert rate_take(provider="p", want=3, limit=5, second=SECOND) == 2


@pytest.mark.django_db
def test_old_windows_are_pruned():
    rate_take(provider="p", want=1, limit=5, second=SECOND - 61)
    rate_take(provider="p", want=1, limit=5, second=SECOND - 10)

    assert rate_windows_prune(now_second=SECOND) == 1
    assert list(ProviderRateWindow.objects.values_list("second", flat=True)) == [SECOND - 10]


# --- several workers -----------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import json, random, sys, time
    import django
    django.setup()
    from django.db import connection
    from sampark.notifications.models import ProviderRateWindow
    from sampark.notifications.ratelimit import rate_take

    if sys.argv[1] == "create":
        with connection.schema_editor() as editor:
            editor.create_model(ProviderRateWindow)
        sys.exit(0)
    start_at, second = float(sys.argv[2]), int(sys.argv[3])
    while time.time() < start_at:
        time.sleep(0.001)
    granted = asked = 0
    for _ in range(60):
        want = random.randint(1, 3)
        asked += want
        granted += rate_take(provider="http_sms", want=want, limit=50, second=second)
    print(json.dumps({"granted": granted, "asked": asked}))
    """
)


def test_processes_sharing_one_database_share_the_limit(tmp_path: Path):
    """Three worker processes hammer one second's window of one SQLite file: together they get
    exactly the limit (each asks for more than enough)."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sampark.config.settings.test",
        "SAMPARK_SQLITE_PATH": str(tmp_path / "shared.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, str(script), "create"], env=env, check=True, timeout=60)
    start_at = time.time() + 1.5  # let all three start up first
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), "take", str(start_at), str(SECOND)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [json.loads(w.communicate(timeout=60)[0]) for w in workers]

    assert all(w.returncode == 0 for w in workers)
    assert sum(r["asked"] for r in results) > 50
    assert sum(r["granted"] for r in results) == 50


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
def test_threads_on_postgresql_share_the_limit():
    barrier = threading.Barrier(6)
    grants: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            mine = sum(
                rate_take(provider="whatsapp_cloud", want=2, limit=80, second=SECOND)
                for _ in range(20)
            )
            with lock:
                grants.append(mine)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(grants) == 6 and sum(grants) == 80  # 240 asked
