"""Run the web server, the task worker and the scheduler together in the foreground.

Ctrl-C (or SIGTERM) stops all three; if any one dies, the others are stopped too, so a
half-running system is never left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Service:
    name: str
    argv: Sequence[str]


def services_default(*, bind: str, web_workers: int) -> list[Service]:
    python = sys.executable
    return [
        Service(
            "web",
            [
                python, "-m", "gunicorn", "sampark.config.wsgi:application",
                "--bind", bind, "--workers", str(web_workers), "--threads", "4",
                "--graceful-timeout", "5",  # requests are logged by RequestTimingMiddleware
            ],
        ),
        Service("worker", [python, "-m", "sampark", "worker"]),
        Service("scheduler", [python, "-m", "sampark", "scheduler"]),
    ]  # fmt: skip


def metrics_dir_prepare(path: Path) -> None:
    """prometheus_client's multiprocess mode sums the files every web process writes into this
    directory; files left by an earlier run would be counted again, so start it empty."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)


def services_run(services: Sequence[Service], *, out=sys.stdout) -> int:
    """Start every service; return when one exits or on SIGINT/SIGTERM, after stopping all."""
    procs: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for service in services:
        # Own process group: the terminal's Ctrl-C reaches us once; we stop children in order.
        procs[service.name] = subprocess.Popen(
            service.argv, env=os.environ.copy(), start_new_session=True
        )
        out.write(f"started {service.name} (pid {procs[service.name].pid})\n")
    out.flush()
    exit_code = 0
    while not stopping:
        for name, proc in procs.items():
            if proc.poll() is not None:
                out.write(f"{name} exited with {proc.returncode}; stopping the others\n")
                exit_code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    out.write("all services stopped\n")
    return exit_code
