"""`sampark serve` keeps its services together: a stop or a crash stops them all."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import time

from sampark.ops.supervisor import Service, services_run

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); check its state.
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split()[2] != "Z"


def test_one_service_dying_stops_the_others():
    out = io.StringIO()
    code = services_run(
        [Service("sleeper", SLEEPER), Service("crasher", [sys.executable, "-c", "exit(3)"])],
        out=out,
    )
    assert code == 3
    assert "crasher exited with 3" in out.getvalue()
    assert "all services stopped" in out.getvalue()


def test_sigterm_stops_every_service():
    # Signal handlers can only be set from the main thread: the loop runs here, a helper
    # thread sends the signal.
    out = io.StringIO()
    pids: list[int] = []

    def stop_soon() -> None:
        time.sleep(1.5)
        for line in out.getvalue().splitlines():
            if line.startswith("started"):
                pids.append(int(line.split("pid ")[1].rstrip(")")))
        os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=stop_soon)
    killer.start()
    previous = signal.getsignal(signal.SIGTERM)
    try:
        code = services_run([Service("a", SLEEPER), Service("b", SLEEPER)], out=out)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    killer.join()
    assert code == 0
    assert len(pids) == 2
    assert not any(_alive(pid) for pid in pids)
