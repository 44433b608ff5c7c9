"""The dispatcher's writes on the outbox: claim due rows, record what providers answered, put
back rows whose worker died, hold non-urgent rows through quiet hours.

A claimed row is `sending` and its `next_attempt_at` holds the claim's lease expiry: a row still
`sending` after that belonged to a worker that died, and goes back to the queue.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet

from sampark.core.db import chunked

from .models import Notification, NotificationChannel, NotificationStatus
from .providers import Message, ProviderError, SendResult, TransientError
from .services import notification_fallback_create

QUEUED, SENDING = NotificationStatus.QUEUED, NotificationStatus.SENDING
SENT, FAILED = NotificationStatus.SENT, NotificationStatus.FAILED
ERROR_LIMIT = 2000
WORKER_LOST = "the worker stopped while sending; queued again"

CLAIM_FIELDS = (
    "id",
    "channel",
    "recipient",
    "text",
    "template_key",
    "language",
    "variables",
    "dlt_template_id",
    "dlt_entity_id",
    "attempts",
    "options",
)


def _options(raw: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list):
        return ()
    return tuple((str(pair[0]), str(pair[1])) for pair in raw if isinstance(pair, list | tuple))


@dataclass(frozen=True)
class Claim:
    message: Message
    attempts: int  # attempts before this one


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    provider: str
    result: SendResult | None = None
    error: ProviderError | None = None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff_base: float  # seconds before the first retry
    backoff_cap: float

    def delay(self, *, attempts: int, retry_after: float | None = None) -> float:
        """Exponential: base, 2x base, 4x base ... up to the cap; a provider's Retry-After
        is honoured when it asks for longer."""
        exponent = min(max(0, attempts - 1), 32)  # 2**32 x base is past any sensible cap
        delay = min(self.backoff_cap, self.backoff_base * 2**exponent)
        if retry_after:
            delay = max(delay, min(retry_after, self.backoff_cap))
        return delay


@dataclass(frozen=True)
class Recorded:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    fallbacks: int = 0


def _due(*, channel: str, now: datetime, urgent_only: bool) -> QuerySet[Notification]:
    due = Notification.objects.filter(status=QUEUED, channel=channel, next_attempt_at__lte=now)
    return due.filter(urgent=True) if urgent_only else due


def outbox_due_exists(*, channel: str, now: datetime, urgent_only: bool) -> bool:
    return _due(channel=channel, now=now, urgent_only=urgent_only).exists()


def _due_rows_sqlite(
    *, channel: str, limit: int, now: datetime, urgent_only: bool
) -> list[tuple[Any, ...]]:
    """The due rows as ONE result row (a JSON array built by SQLite).

    Python's sqlite3 releases the GIL for every fetched row; with the sender thread busy, each
    release can cost a whole switch interval (5 ms), which made claiming 500 rows take a
    second. One aggregated row costs one release.
    """
    table = connection.ops.quote_name(Notification._meta.db_table)
    urgent = "AND urgent " if urgent_only else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT json_group_array(json_array(id, channel, recipient, text, template_key, "
            "language, json(variables), dlt_template_id, dlt_entity_id, attempts, json(options))) "
            "FROM ("
            f"SELECT * FROM {table} WHERE status = '{QUEUED}' AND channel = %s "
            f"AND next_attempt_at <= %s {urgent}ORDER BY next_attempt_at, id LIMIT %s)",
            [channel, connection.ops.adapt_datetimefield_value(now), limit],
        )
        (found,) = cursor.fetchone()
    return [tuple(row) for row in json.loads(found)]


def outbox_claim(
    *, channel: str, limit: int, now: datetime, lease_until: datetime, urgent_only: bool
) -> list[Claim]:
    """Take up to `limit` due rows of a channel for this worker, oldest due first.

    PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows
    without waiting for each other; SQLite: the EXCLUSIVE write transaction serializes claimers.
    """
    if limit <= 0:
        return []
    with transaction.atomic():
        if connection.vendor == "sqlite":
            rows = _due_rows_sqlite(channel=channel, limit=limit, now=now, urgent_only=urgent_only)
        else:
            rows = list(
                _due(channel=channel, now=now, urgent_only=urgent_only)
                .order_by("next_attempt_at", "id")
                .select_for_update(skip_locked=True)
                .values_list(*CLAIM_FIELDS)[:limit]
            )
        if not rows:
            return []
        Notification.objects.filter(id__in=[row[0] for row in rows]).update(
            status=SENDING, next_attempt_at=lease_until
        )
    claims = []
    for pk, chan, recipient, text, key, language, variables, dlt_t, dlt_e, attempts, opts in rows:
        message = Message(
            id=pk,
            channel=chan,
            recipient=recipient,
            text=text,
            template_key=key,
            language=language,
            variables=variables if isinstance(variables, dict) else {},
            dlt_template_id=dlt_t,
            dlt_entity_id=dlt_e,
            options=_options(opts),
        )
        claims.append(Claim(message=message, attempts=attempts))
    return claims


def outbox_release(*, ids: Sequence[int], now: datetime) -> int:
    """Hand claimed rows back unsent (the provider's rate limit ran out this second)."""
    if not ids:
        return 0
    return Notification.objects.filter(id__in=ids, status=SENDING).update(
        status=QUEUED, next_attempt_at=now
    )


def outbox_recover_stale(*, now: datetime, max_attempts: int) -> int:
    """Rows left `sending` past their lease: their worker died mid-send. They may or may not
    have gone out; they are tried again (at-least-once), counting the lost attempt."""
    stale = Notification.objects.filter(status=SENDING, next_attempt_at__lte=now)
    with transaction.atomic():
        gave_up = stale.filter(attempts__gte=max_attempts - 1).update(
            status=FAILED,
            attempts=F("attempts") + 1,
            failed_at=now,
            last_error=f"{WORKER_LOST}; gave up after {max_attempts} attempts",
        )
        again = stale.update(
            status=QUEUED, attempts=F("attempts") + 1, next_attempt_at=now, last_error=WORKER_LOST
        )
    return gave_up + again


def outbox_defer_quiet(*, now: datetime, until: datetime) -> int:
    """Quiet hours: due non-urgent rows wait until the window ends (urgent ones never do)."""
    return Notification.objects.filter(
        status=QUEUED, urgent=False, next_attempt_at__lte=now
    ).update(next_attempt_at=until)


def _mark_sent(*, provider: str, rows: Sequence[tuple[int, str]], now: datetime) -> None:
    """One UPDATE for a batch's sent rows of one provider; each row's provider id is picked by
    a CASE on its id. One statement, not one per row: per-row statements from this thread
    would queue for the GIL behind the sender thread and stall the pipeline."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    at = connection.ops.adapt_datetimefield_value(now)
    for chunk in chunked(rows, 1000):
        cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
        ids = ", ".join(["%s"] * len(chunk))
        params: list[Any] = [provider, at]
        params += [value for pk, message_id in chunk for value in (pk, message_id)]
        params += [pk for pk, _ in chunk]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = '{SENT}', provider = %s, sent_at = %s, "
                f"last_error = '', attempts = attempts + 1, "
                f"provider_message_id = CASE id {cases} END "
                f"WHERE status = '{SENDING}' AND id IN ({ids})",
                params,
            )


def outbox_record(*, outcomes: Sequence[Outcome], now: datetime, policy: RetryPolicy) -> Recorded:
    """Write every answer of one batch in one transaction, a few statements in all.

    sent -> provider id and time; transient failure -> queued again after a backoff, until
    `max_attempts`, then failed; permanent failure -> failed with the provider's answer. A
    WhatsApp message that failed for good is followed by an SMS where allowed (see
    services.notification_fallback_create). Only rows still `sending` are touched.
    """
    sent: dict[str, list[tuple[int, str]]] = defaultdict(list)
    # Failures grouped by what is written, so equal errors share one UPDATE.
    retry: dict[tuple[str, str, datetime], list[int]] = defaultdict(list)
    failed: dict[tuple[str, str], list[int]] = defaultdict(list)
    fallback: list[int] = []
    for outcome in outcomes:
        message, attempts = outcome.claim.message, outcome.claim.attempts + 1
        if outcome.result is not None:
            sent[outcome.provider].append((message.id, outcome.result.provider_message_id[:120]))
            continue
        error = outcome.error or TransientError("no answer")
        text = f"{error.kind}: {error.describe()}"
        if isinstance(error, TransientError) and attempts < policy.max_attempts:
            delay = policy.delay(attempts=attempts, retry_after=error.retry_after)
            next_at = now + timedelta(seconds=delay)
            retry[(outcome.provider, text[:ERROR_LIMIT], next_at)].append(message.id)
            continue
        if isinstance(error, TransientError):
            text = f"gave up after {attempts} attempts; {text}"
        failed[(outcome.provider, text[:ERROR_LIMIT])].append(message.id)
        if message.channel == NotificationChannel.WHATSAPP:
            fallback.append(message.id)
    sending = Notification.objects.filter(status=SENDING)
    attempt = F("attempts") + 1
    with transaction.atomic():
        for provider, rows in sent.items():
            _mark_sent(provider=provider, rows=rows, now=now)
        for (provider, text, next_at), ids in retry.items():
            sending.filter(id__in=ids).update(
                status=QUEUED, provider=provider, last_error=text, next_attempt_at=next_at,
                attempts=attempt,
            )  # fmt: skip
        for (provider, text), ids in failed.items():
            sending.filter(id__in=ids).update(
                status=FAILED, provider=provider, last_error=text, failed_at=now, attempts=attempt
            )
        fallbacks = notification_fallback_create(notification_ids=fallback) if fallback else 0
    return Recorded(
        sent=sum(map(len, sent.values())),
        retried=sum(map(len, retry.values())),
        failed=sum(map(len, failed.values())),
        fallbacks=fallbacks,
    )
