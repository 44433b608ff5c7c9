"""The dispatcher: claim, send, record; retries with backoff, permanent failures, fallback,
expiry, quiet hours, stale claims, garbage answers, rate limits."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from werkzeug import Request, Response

from sampark.notifications import dispatcher as dispatcher_module
from sampark.notifications.dispatcher import notifications_dispatch_run
from sampark.notifications.models import Notification, ProviderRateWindow
from sampark.notifications.outbox import outbox_claim
from sampark.notifications.providers.console import ConsoleProvider
from sampark.notifications.services import notifications_expire
from sampark.notifications.tasks import notifications_dispatch
from sampark.ops.schedule import JOBS

from .conftest import RESTORED_HI, answered_wait, at, row

pytestmark = pytest.mark.django_db

SMS_PATH = "/sms"


def run(**kwargs):
    kwargs.setdefault("budget", 10.0)
    return notifications_dispatch_run(**kwargs)


def fresh(notification: Notification) -> Notification:
    return Notification.objects.get(pk=notification.pk)


@pytest.fixture
def sms_gateway(gateway, settings):
    settings.SAMPARK_SMS_PROVIDER = "http_sms"
    settings.SAMPARK_HTTP_SMS_URL = gateway.url_for(SMS_PATH)
    return gateway


def gateway_answers(server, *answers: tuple[int, str]) -> None:
    """Answer each request with the next (status, body); success bodies carry an id."""
    queue = list(answers)

    def handler(request: Request) -> Response:
        status, body = queue.pop(0) if len(queue) > 1 else queue[0]
        return Response(body, status=status, content_type="application/json")

    server.expect_request(SMS_PATH).respond_with_handler(handler)


def ok(message_id: str = "gw-1") -> tuple[int, str]:
    return 200, json.dumps({"status": "success", "message_id": message_id})


# --- the happy path ------------------------------------------------------------------------


def test_console_sends_every_channel_and_records_it(frozen, caplog):
    rows = [
        row(channel="sms"),
        row(channel="whatsapp"),
        row(channel="email", recipient="asha@example.in"),
        row(channel="telegram", recipient="-1001234567890"),
    ]
    later = row(recipient="+919839000009", next_attempt_at=frozen.now + timedelta(minutes=5))

    with caplog.at_level("INFO", logger="sampark.notifications.console"):
        report = run()

    assert (report.claimed, report.sent, report.failed, report.retried) == (4, 4, 0, 0)
    for sent in map(fresh, rows):
        assert (sent.status, sent.provider, sent.attempts) == ("sent", "console", 1)
        assert sent.provider_message_id == f"console-{sent.pk}"
        assert sent.sent_at == frozen.now and sent.last_error == ""
    assert fresh(later).status == "queued"  # not due yet
    assert caplog.text.count(RESTORED_HI) == 4


def test_nothing_due_means_a_quiet_run(db):
    row(status="sent")
    row(status="failed", recipient="+919839000002")

    report = run()

    assert report.claimed == 0 and report.rounds == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent", "failed"}


def test_http_sms_rows_are_sent_with_the_gateways_ids(sms_gateway, frozen):
    ids = iter(["gw-a", "gw-b", "gw-c"])

    def handler(request: Request) -> Response:
        return Response(json.dumps({"status": "success", "message_id": next(ids)}))

    sms_gateway.expect_request(SMS_PATH, method="POST").respond_with_handler(handler)
    rows = [row(recipient=f"+91983900000{n}") for n in range(3)]

    report = run()

    assert report.sent == 3
    assert {fresh(r).provider_message_id for r in rows} == {"gw-a", "gw-b", "gw-c"}
    assert {fresh(r).provider for r in rows} == {"http_sms"}
    sent_to = {req.form["to"] for req, _ in sms_gateway.log}
    assert sent_to == {"919839000000", "919839000001", "919839000002"}


def test_the_task_runs_the_dispatcher_and_the_scheduler_enqueues_it(db):
    queued = row()

    result = notifications_dispatch.enqueue()

    assert (result.return_value or {})["sent"] == 1
    assert fresh(queued).status == "sent"
    assert any(job.task == notifications_dispatch and job.seconds <= 5 for job in JOBS)


def test_a_misconfigured_provider_claims_nothing(db, settings):
    settings.SAMPARK_SMS_PROVIDER = "http_sms"
    settings.SAMPARK_HTTP_SMS_URL = ""
    queued = row()

    with pytest.raises(ImproperlyConfigured):
        run()

    assert (fresh(queued).status, fresh(queued).attempts) == ("queued", 0)


# --- failures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected_error"),
    [
        ((429, '{"error": "slow down"}'), "HTTP 429"),
        ((500, "Internal Server Error"), "HTTP 500"),
        ((502, "<html>Bad Gateway</html>"), "Bad Gateway"),
    ],
)
def test_transient_failures_back_off_exponentially_then_give_up(
    sms_gateway, frozen, answer, expected_error
):
    gateway_answers(sms_gateway, answer)
    queued = row()
    delays = []

    for _ in range(3):
        run()
        retried = fresh(queued)
        assert retried.status == "queued" and expected_error in retried.last_error
        delays.append(retried.next_attempt_at - frozen.now)
        frozen.now = retried.next_attempt_at
    run()  # the fourth attempt is the last (SAMPARK_DISPATCH_MAX_ATTEMPTS=4 in these tests)

    assert delays == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    failed = fresh(queued)
    assert (failed.status, failed.attempts, failed.failed_at) == ("failed", 4, frozen.now)
    assert failed.last_error.startswith("gave up after 4 attempts; transient:")
    assert len(sms_gateway.log) == 4


def test_retry_after_is_honoured_and_the_cap_applies(sms_gateway, frozen, settings):
    settings.SAMPARK_DISPATCH_BACKOFF_CAP = 600.0

    def handler(request: Request) -> Response:
        return Response("busy", status=429, headers={"Retry-After": "900"})

    sms_gateway.expect_request(SMS_PATH).respond_with_handler(handler)
    queued = row()

    run()

    assert fresh(queued).next_attempt_at == frozen.now + timedelta(seconds=600)


def test_a_timeout_is_retried(sms_gateway, frozen, settings):
    settings.SAMPARK_PROVIDER_TIMEOUT = 0.2

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(json.dumps({"status": "success", "message_id": "late"}))

    sms_gateway.expect_request(SMS_PATH).respond_with_handler(slow)
    queued = row()

    report = run()

    retried = fresh(queued)
    assert report.retried == 1
    assert (retried.status, retried.attempts) == ("queued", 1)
    assert "no answer within 0.2 s" in retried.last_error
    assert retried.next_attempt_at == frozen.now + timedelta(seconds=30)
    answered_wait(sms_gateway)


def test_a_permanent_failure_stops_with_the_providers_answer(sms_gateway, frozen):
    gateway_answers(sms_gateway, (400, '{"status": "error", "message": "Invalid mobile"}'))
    queued = row()

    run()
    frozen.advance(hours=5)
    run()

    failed = fresh(queued)
    assert (failed.status, failed.attempts, failed.failed_at) == (
        "failed",
        1,
        frozen.now - timedelta(hours=5),
    )
    assert "permanent: refused (HTTP 400)" in failed.last_error
    assert "Invalid mobile" in failed.last_error
    assert len(sms_gateway.log) == 1  # never tried again


@pytest.mark.parametrize(
    "garbage",
    ["<!DOCTYPE html><html><body>Gateway maintenance</body></html>", "", "not json {", "[1, 2]"],
)
def test_garbage_answers_fail_the_row_not_the_dispatcher(sms_gateway, frozen, garbage):
    def handler(request: Request) -> Response:
        if request.form["to"] == "919839000001":
            return Response(garbage, status=200, content_type="text/html")
        return Response(json.dumps({"status": "success", "message_id": "ok-" + request.form["to"]}))

    sms_gateway.expect_request(SMS_PATH).respond_with_handler(handler)
    bad = row(recipient="+919839000001")
    good = row(recipient="+919839000002")

    report = run()

    assert (report.sent, report.failed) == (1, 1)
    failed = fresh(bad)
    assert failed.status == "failed"
    assert (garbage[:40] or "(empty)") in failed.last_error
    assert fresh(good).status == "sent"


def test_a_provider_bug_costs_one_message_not_the_run(db, monkeypatch):
    async def broken(self, message):
        if message.recipient.endswith("1"):
            raise KeyError("surprise")
        return await original(self, message)

    original = ConsoleProvider.send
    monkeypatch.setattr(ConsoleProvider, "send", broken)
    bad = row(recipient="+919839000001")
    good = row(recipient="+919839000002")

    run()

    assert fresh(bad).status == "failed" and "unexpected error: KeyError" in fresh(bad).last_error
    assert fresh(good).status == "sent"


# --- fallback ------------------------------------------------------------------------------


@pytest.fixture
def graph(gateway, settings):
    settings.SAMPARK_WHATSAPP_PROVIDER = "whatsapp_cloud"
    settings.SAMPARK_WHATSAPP_API_BASE = gateway.url_for("/v19.0")
    settings.SAMPARK_WHATSAPP_PHONE_NUMBER_ID = "1122334455667"
    settings.SAMPARK_WHATSAPP_TOKEN = "token"
    return gateway


def test_whatsapp_failing_for_good_falls_back_to_sms_in_the_same_run(graph, net, frozen):
    graph.expect_request("/v19.0/1122334455667/messages").respond_with_json(
        {"error": {"message": "(#131026) Message undeliverable", "code": 131026}}, status=400
    )
    whatsapp = row(channel="whatsapp", consumer=net.consumer1)

    report = run()

    original = fresh(whatsapp)
    assert original.status == "failed" and "131026" in original.last_error
    sms = Notification.objects.get(fallback_of=original)
    assert (sms.channel, sms.recipient, sms.consumer) == ("sms", "+919839012345", net.consumer1)
    assert (sms.topic, sms.event) == (original.topic, original.event)
    assert (sms.status, sms.provider) == ("sent", "console")  # claimed in the next round
    assert report.fallbacks == 1 and report.sent == 1


def test_whatsapp_transient_failure_does_not_fall_back(graph, net, frozen):
    graph.expect_request("/v19.0/1122334455667/messages").respond_with_json(
        {"error": {"message": "(#130429) Rate limit hit", "code": 130429}}, status=400
    )
    whatsapp = row(channel="whatsapp", consumer=net.consumer1)

    run()

    assert fresh(whatsapp).status == "queued"
    assert not Notification.objects.filter(channel="sms").exists()


# --- expiry, quiet hours, stale claims ------------------------------------------------------


def test_expired_rows_are_never_sent(sms_gateway, frozen):
    gateway_answers(sms_gateway, ok())
    declared = row(event="declared")
    restored = row(event="restored", recipient="+919839000002")
    notifications_expire(topic="outage:17", events=["declared"])

    report = run()

    assert fresh(declared).status == "expired" and fresh(declared).attempts == 0
    assert fresh(restored).status == "sent"
    assert report.claimed == 1
    assert [req.form["to"] for req, _ in sms_gateway.log] == ["919839000002"]


@pytest.mark.parametrize(
    ("now", "resume"),
    [("2026-05-01 22:30", "2026-05-02 07:00"), ("2026-05-02 02:15", "2026-05-02 07:00")],
)
def test_quiet_hours_hold_back_only_non_urgent_messages(frozen, settings, now, resume):
    settings.SAMPARK_QUIET_HOURS = "21:00-07:00"
    frozen.now = at(now)
    urgent = row(urgent=True)
    planned = row(urgent=False, recipient="+919839000002", template_key="planned_reminder")

    report = run()

    assert fresh(urgent).status == "sent"
    held = fresh(planned)
    assert (held.status, held.attempts, held.next_attempt_at) == ("queued", 0, at(resume))
    assert report.deferred == 1

    frozen.now = at(resume) + timedelta(minutes=1)
    run()

    assert fresh(planned).status == "sent"


def test_outside_quiet_hours_everything_goes(frozen, settings):
    settings.SAMPARK_QUIET_HOURS = "21:00-07:00"
    frozen.now = at("2026-05-01 07:00")
    planned = row(urgent=False)

    run()

    assert fresh(planned).status == "sent"


def test_rows_of_a_dead_worker_are_sent_again_after_the_lease(frozen):
    stale = row(status="sending", next_attempt_at=frozen.now - timedelta(seconds=1))
    busy = row(
        status="sending",
        recipient="+919839000002",
        next_attempt_at=frozen.now + timedelta(minutes=4),
    )

    report = run()

    again = fresh(stale)
    assert report.recovered == 1
    assert (again.status, again.attempts) == ("sent", 2)  # the lost attempt counts
    assert fresh(busy).status == "sending"  # its worker may still be at it


def test_a_claimed_row_carries_its_lease(frozen):
    queued = row()
    later = row(recipient="+919839000002", next_attempt_at=frozen.now + timedelta(seconds=1))
    lease_until = frozen.now + timedelta(seconds=120)

    (claim,) = outbox_claim(
        channel="sms", limit=10, now=frozen.now, lease_until=lease_until, urgent_only=False
    )

    assert claim.message.id == queued.pk and claim.message.text == RESTORED_HI
    claimed = fresh(queued)
    assert (claimed.status, claimed.next_attempt_at) == ("sending", lease_until)
    assert fresh(later).status == "queued"
    assert (
        outbox_claim(
            channel="sms", limit=10, now=frozen.now, lease_until=lease_until, urgent_only=False
        )
        == []
    )  # nobody claims it twice


# --- rate limits ---------------------------------------------------------------------------


def test_the_rate_limit_caps_a_second(db, settings, monkeypatch):
    settings.SAMPARK_PROVIDER_RATES = {"console": 2}
    monkeypatch.setattr(dispatcher_module, "current_second", lambda: 1_800_000_000)
    rows = [row(recipient=f"+91983900000{n}") for n in range(5)]

    report = run(budget=0.0)

    assert report.sent == 2
    assert sorted(fresh(r).status for r in rows) == ["queued"] * 3 + ["sent"] * 2
    window = ProviderRateWindow.objects.get(provider="console", second=1_800_000_000)
    assert window.used == 2


def test_a_spent_second_claims_nothing(db, settings, monkeypatch):
    settings.SAMPARK_PROVIDER_RATES = {"console": 2}
    monkeypatch.setattr(dispatcher_module, "current_second", lambda: 1_800_000_000)
    ProviderRateWindow.objects.create(provider="console", second=1_800_000_000, used=2)
    queued = row()

    report = run(budget=0.0)

    assert report.claimed == 0
    assert (fresh(queued).status, fresh(queued).attempts) == ("queued", 0)


def test_a_limited_backlog_is_spread_over_seconds(db, settings):
    settings.SAMPARK_PROVIDER_RATES = {"console": 3}
    rows = [row(recipient=f"+91983900000{n}") for n in range(7)]

    report = run(budget=10.0)

    assert report.sent == 7
    assert {fresh(r).status for r in rows} == {"sent"}
    used = list(
        ProviderRateWindow.objects.filter(provider="console").values_list("used", flat=True)
    )
    assert len(used) >= 3 and max(used) <= 3 and sum(used) == 7
