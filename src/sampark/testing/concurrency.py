"""Run the same call from several threads at once (each with its own database connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def race(target: Callable[[], T], *, threads: int = 8) -> list[T | Exception]:
    """Start `threads` calls of `target` together; return each result or the exception raised."""
    barrier = threading.Barrier(threads)
    results: list[T | Exception] = []
    lock = threading.Lock()

    def run() -> None:
        value: T | Exception
        try:
            barrier.wait()
            value = target()
        except Exception as exc:  # collected for the test to assert on
            value = exc
        finally:
            connections.close_all()
        with lock:
            results.append(value)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results
