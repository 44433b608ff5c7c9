"""The dispatcher: claim due outbox rows, send them concurrently, record the answers.

One run loops in rounds until nothing is due or its time budget is spent:

1. once per run: put back rows whose worker died; in quiet hours, move due non-urgent rows to
   the window's end (and claim only urgent ones while the window lasts);
2. per channel: claim up to a batch of due rows, at most what the provider's shared rate limit
   has left this second (ratelimit.py), and hand back any the limit did not grant;
3. send every claimed row concurrently on an asyncio loop in a sender thread (bounded by
   SAMPARK_DISPATCH_CONCURRENCY; HTTP providers share one keep-alive aiohttp session);
4. record all answers of a batch in one transaction (outbox.outbox_record).

Rounds overlap: the next batch is claimed and the previous one recorded while a batch is on
the wire, so the network never waits for the database. All database work stays on the calling
thread (the ORM is never used from async code); the sender thread only does network I/O.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Coroutine, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings

from sampark.core import clock

from .outbox import (
    Claim,
    Outcome,
    RetryPolicy,
    outbox_claim,
    outbox_defer_quiet,
    outbox_due_exists,
    outbox_record,
    outbox_recover_stale,
    outbox_release,
)
from .providers import PermanentError, Provider, ProviderError, providers_for_channels
from .quiet_hours import quiet_hours
from .ratelimit import current_second, rate_available, rate_give_back, rate_take, rate_windows_prune

log = logging.getLogger("sampark.notifications.dispatcher")

Work = list[tuple[Provider, Claim]]
T = TypeVar("T")


@dataclass
class DispatchReport:
    rounds: int = 0
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    fallbacks: int = 0
    recovered: int = 0
    deferred: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class DispatchConfig:
    batch: int
    concurrency: int
    lease: float
    budget: float
    timeout: float
    policy: RetryPolicy
    rates: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls) -> DispatchConfig:
        return cls(
            batch=settings.SAMPARK_DISPATCH_BATCH,
            concurrency=settings.SAMPARK_DISPATCH_CONCURRENCY,
            lease=settings.SAMPARK_DISPATCH_LEASE,
            budget=settings.SAMPARK_DISPATCH_BUDGET,
            timeout=settings.SAMPARK_PROVIDER_TIMEOUT,
            policy=RetryPolicy(
                max_attempts=settings.SAMPARK_DISPATCH_MAX_ATTEMPTS,
                backoff_base=settings.SAMPARK_DISPATCH_BACKOFF_BASE,
                backoff_cap=settings.SAMPARK_DISPATCH_BACKOFF_CAP,
            ),
            rates=dict(settings.SAMPARK_PROVIDER_RATES),
        )


async def _send_one(provider: Provider, claim: Claim) -> Outcome:
    try:
        result = await provider.send(claim.message)
    except ProviderError as error:
        return Outcome(claim=claim, provider=provider.name, error=error)
    except Exception as error:  # a provider bug must cost one message, never the dispatcher
        log.exception("%s failed on notification %s", provider.name, claim.message.id)
        unexpected = PermanentError(f"unexpected error: {error!r}")
        return Outcome(claim=claim, provider=provider.name, error=unexpected)
    return Outcome(claim=claim, provider=provider.name, result=result)


async def _send_all(work: Work, *, concurrency: int) -> list[Outcome]:
    # A fixed pool of senders pulling from one queue: cheaper than a task per message.
    pending = deque(work)
    outcomes: list[Outcome] = []

    async def sender() -> None:
        while pending:
            provider, claim = pending.popleft()
            outcomes.append(await _send_one(provider, claim))

    await asyncio.gather(*(sender() for _ in range(max(1, min(concurrency, len(work))))))
    return outcomes


async def _open_all(providers: Sequence[Provider]) -> None:
    for provider in providers:
        await provider.open()


async def _close_all(providers: Sequence[Provider]) -> None:
    for provider in providers:
        await provider.close()


class Dispatcher:
    def __init__(self, *, config: DispatchConfig, providers: dict[str, Provider]) -> None:
        self.config = config
        self.providers = providers
        self.quiet = quiet_hours()
        self.report = DispatchReport()

    def claim_round(self) -> tuple[Work, bool]:
        """Claimed work for one round, and whether due rows are waiting on a rate limit."""
        now = clock.now()
        quiet_end = self.quiet.end_if_quiet(now) if self.quiet else None
        lease_until = now + timedelta(seconds=self.config.lease)
        second = current_second()
        work: Work = []
        waiting = False
        for channel, provider in self.providers.items():
            limit = self.config.rates.get(provider.name, 0)
            want = self.config.batch
            if limit:
                want = min(want, rate_available(provider=provider.name, limit=limit, second=second))
                if want == 0:
                    urgent_only = quiet_end is not None
                    waiting |= outbox_due_exists(channel=channel, now=now, urgent_only=urgent_only)
                    continue
            claims = outbox_claim(
                channel=channel,
                limit=want,
                now=now,
                lease_until=lease_until,
                urgent_only=quiet_end is not None,
            )
            if limit and claims:
                granted = rate_take(
                    provider=provider.name, want=len(claims), limit=limit, second=second
                )
                if granted < len(claims):
                    # Another worker took this second's tokens meanwhile: put the rest back,
                    # and un-count what was asked for but not granted.
                    outbox_release(ids=[c.message.id for c in claims[granted:]], now=now)
                    rate_give_back(
                        provider=provider.name, count=len(claims) - granted, second=second
                    )
                    claims = claims[:granted]
                    waiting = True
            work.extend((provider, claim) for claim in claims)
        return work, waiting

    def record(self, outcomes: list[Outcome]) -> None:
        recorded = outbox_record(outcomes=outcomes, now=clock.now(), policy=self.config.policy)
        self.report.sent += recorded.sent
        self.report.retried += recorded.retried
        self.report.failed += recorded.failed
        self.report.fallbacks += recorded.fallbacks

    def run(self, *, budget: float, max_rounds: int | None = None) -> DispatchReport:
        """Pipelined: batch k+1 is claimed (and submitted) while batch k is on the wire, and
        batch k is recorded while k+1 is; the sender thread never waits for the database."""
        self.report = report = DispatchReport()  # a fresh tally per run
        config = self.config
        report.recovered = outbox_recover_stale(
            now=clock.now(), max_attempts=config.policy.max_attempts
        )
        rate_windows_prune(now_second=current_second())
        now = clock.now()
        quiet_end = self.quiet.end_if_quiet(now) if self.quiet else None
        if quiet_end is not None:
            # Once per run: rows arriving later are held back by the claim's urgent-only filter
            # and deferred by the next run.
            report.deferred = outbox_defer_quiet(now=now, until=quiet_end)
        deadline = time.monotonic() + budget
        sender = _SenderThread()
        providers = list(self.providers.values())
        pending: Future[list[Outcome]] | None = None
        try:
            sender.run(_open_all(providers))
            while True:
                # At least one round, however small the budget.
                claiming = (report.rounds == 0 or time.monotonic() < deadline) and (
                    max_rounds is None or report.rounds < max_rounds
                )
                work, waiting = self.claim_round() if claiming else ([], False)
                submitted = None
                if work:
                    report.rounds += 1
                    report.claimed += len(work)
                    submitted = sender.submit(_send_all(work, concurrency=config.concurrency))
                recorded = pending is not None
                if pending is not None:
                    self.record(pending.result())
                pending = submitted
                if pending is not None or recorded:
                    continue  # recording may have queued fallbacks: look again
                if waiting and claiming:
                    pause = 1.0 - (time.time() % 1.0) + 0.005  # until the next rate window
                    if time.monotonic() + pause < deadline:
                        time.sleep(pause)
                        continue
                break
        finally:
            if pending is not None:  # an error while a batch was out: keep what it achieved
                try:
                    self.record(pending.result())
                except Exception:
                    log.exception("could not record a batch; its rows return after the lease")
            sender.run(_close_all(providers))
            sender.stop()
        return report


class _SenderThread:
    """An asyncio loop on its own thread. Sends run there; the ORM stays on the caller's
    thread (Django refuses it inside a running loop) and works while the network waits."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="notifications-sender", daemon=True
        )
        self.thread.start()

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.submit(coroutine).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()


def notifications_dispatch_run(
    *, budget: float | None = None, max_rounds: int | None = None
) -> DispatchReport:
    """Send what is due, for at most `budget` seconds (default SAMPARK_DISPATCH_BUDGET).

    Providers are built first: a misconfigured provider raises before any row is claimed.
    """
    config = DispatchConfig.from_settings()
    providers = providers_for_channels(concurrency=config.concurrency, timeout=config.timeout)
    dispatcher = Dispatcher(config=config, providers=providers)
    return dispatcher.run(budget=config.budget if budget is None else budget, max_rounds=max_rounds)
