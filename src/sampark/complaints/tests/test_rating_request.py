"""After a closure confirmed by OTP outside a chat the consumer is asked once for a 1-5 rating;
the ratings page shows the rollups and per-officer closure figures within the viewer's area;
an agent lodges a compensation claim for a caller from the complaint's page."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from sampark.accounts.models import Role
from sampark.channels.services import Inbound, chat_message_receive
from sampark.complaints.closure import closure_confirm_by_otp
from sampark.complaints.feedback import complaint_rate
from sampark.complaints.models import CompensationClaim, Complaint, EventKind, Status
from sampark.complaints.services import complaint_register, complaint_transition
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory, StaffFactory

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def resolved(net, staff, *, consumer=None, category="no_supply", actor=None) -> Complaint:
    complaint = complaint_register(
        consumer=consumer or net.consumer1, category=category, channel="agent", actor=actor
    ).complaint
    return complaint_transition(complaint=complaint, to_status=Status.RESOLVED, actor=staff["je"])


def otp_of(complaint: Complaint) -> str:
    sent = Notification.objects.filter(
        template_key="closure_otp", topic=f"complaint:{complaint.pk}"
    )
    return str(sent.order_by("-id").first().variables["otp"])


def rating_requests(complaint: Complaint):
    return Notification.objects.filter(
        topic=f"complaint:{complaint.pk}", template_key="complaint_rating_request"
    )


def sms(capture, mobile: str, text: str) -> None:
    inbound = Inbound(
        channel="sms",
        user_key=mobile,
        mobile=mobile,
        text=text,
        provider_message_id=f"r{next(_ids)}",
    )
    with capture(execute=True):
        chat_message_receive(inbound=inbound)


# --- the rating request ----------------------------------------------------------------------


def test_otp_entered_by_the_field_queues_one_rating_request_on_commit(
    net, staff, django_capture_on_commit_callbacks
):
    complaint = resolved(net, staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        closure_confirm_by_otp(
            complaint=complaint, otp=otp_of(complaint), actor=staff["je"], channel="field"
        )
        assert not rating_requests(complaint).exists()  # only once committed
    for callback in callbacks:
        callback()
    for callback in callbacks:  # a repeat finds the outbox key taken
        callback()

    (request,) = rating_requests(complaint)
    assert (request.event, request.channel, request.recipient) == (
        "rate",
        "sms",
        net.consumer1.mobile,
    )
    assert request.language == complaint.language
    assert "1" in request.text and "5" in request.text


def test_whatsapp_consumer_is_asked_on_whatsapp(net, staff, django_capture_on_commit_callbacks):
    # Asked for an OTP by SMS while not opted in; opted in to WhatsApp before the closure.
    consumer = ConsumerFactory(dt=net.dt1, mobile="+919839077777", consent_whatsapp=False)
    complaint = resolved(net, staff, consumer=consumer)
    consumer.consent_whatsapp = True
    consumer.save(update_fields=["consent_whatsapp"])
    with django_capture_on_commit_callbacks(execute=True):
        closure_confirm_by_otp(
            complaint=complaint, otp=otp_of(complaint), actor=staff["je"], channel="field"
        )
    (request,) = rating_requests(complaint)
    assert (request.channel, request.event) == ("whatsapp", "rate")


def test_no_rating_request_after_a_confirmation_in_the_chat(
    net, staff, django_capture_on_commit_callbacks
):
    by_code = resolved(net, staff)
    sms(django_capture_on_commit_callbacks, net.consumer1.mobile, f"YES {otp_of(by_code)}")
    by_code.refresh_from_db()
    assert by_code.status == Status.CLOSED
    on_whatsapp = ConsumerFactory(dt=net.dt1, mobile="+919839077777", consent_whatsapp=True)
    by_yes = resolved(net, staff, consumer=on_whatsapp, category="meter")
    inbound = Inbound(
        channel="whatsapp",
        user_key=on_whatsapp.mobile,
        mobile=on_whatsapp.mobile,
        text="haan",
        provider_message_id="w1",
    )
    with django_capture_on_commit_callbacks(execute=True):
        chat_message_receive(inbound=inbound)
    by_yes.refresh_from_db()
    assert by_yes.status == Status.CLOSED

    assert not Notification.objects.filter(template_key="complaint_rating_request").exists()


# --- the ratings page --------------------------------------------------------------------------


def closed_and_rated(net, staff, *, consumer, rating: int, category="no_supply") -> Complaint:
    complaint = resolved(net, staff, consumer=consumer, category=category, actor=staff["agent"])
    closed = closure_confirm_by_otp(
        complaint=complaint, otp=otp_of(complaint), actor=None, channel="sms"
    )
    complaint_rate(complaint=closed, rating=rating, channel="sms", comment="")
    return closed


def test_ratings_page_shows_rollups_and_closure_figures_scoped_with_pinned_queries(
    client, net, staff, django_assert_num_queries
):
    closed_and_rated(net, staff, consumer=net.consumer1, rating=5)
    closed_and_rated(net, staff, consumer=net.consumer1, rating=1, category="meter")
    je2 = staff["je2"]
    other = complaint_register(consumer=net.consumer2, category="no_supply", channel="agent")
    complaint_transition(complaint=other.complaint, to_status=Status.RESOLVED, actor=je2)
    closure_confirm_by_otp(
        complaint=other.complaint, otp=otp_of(other.complaint), actor=None, channel="sms"
    )
    complaint_rate(complaint=other.complaint, rating=4, channel="sms")

    client.force_login(staff["sdo"])
    # session, user, jurisdiction, per rollup its figures and their labels (3 x 2), the
    # closure figures
    with django_assert_num_queries(10):
        page = client.get("/staff/ratings/")
    assert page.status_code == 200
    rollups = {by: rows for by, _title, rows in page.context["rollups"]}
    assert [(r.ratings, r.average, r.low) for r in rollups["agent"]] == [(2, 3.0, 1)]
    assert [(r.ratings, r.average) for r in rollups["je"]] == [(2, 3.0)]
    assert [(r.ratings, r.average) for r in rollups["division"]] == [(2, 3.0)]
    (officer,) = page.context["officers"]
    assert (officer.username, officer.resolutions, officer.confirmed, officer.rejected) == (
        "je1",
        2,
        2,
        0,
    )
    assert b"je2" not in page.content

    client.force_login(staff["md"])  # the discom's MD sees both sub-divisions
    page = client.get("/staff/ratings/")
    assert [r.ratings for r in page.context["rollups"][2][2]] == [3]
    assert {o.username for o in page.context["officers"]} == {"je1", "je2"}


def test_ratings_page_is_for_officers_and_supervisors_only(client, net, staff):
    supervisor = StaffFactory(username="sup", role=Role.SUPERVISOR, jurisdiction=net.state)
    for user, expected in (
        (staff["agent"], 403),
        (staff["je"], 403),
        (staff["sdo"], 200),
        (supervisor, 200),
        (staff["admin"], 200),
    ):
        client.force_login(user)
        assert client.get("/staff/ratings/").status_code == expected, user.username


# --- compensation lodged by an agent ------------------------------------------------------------


def late_closed(net) -> Complaint:
    complaint = complaint_register(
        consumer=net.consumer1, category="dt_failure", channel="agent"
    ).complaint
    resolved_at = complaint.due_at + timedelta(hours=30)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Status.CLOSED,
        sla_breached_at=complaint.due_at + timedelta(minutes=1),
        resolved_at=resolved_at,
        closed_at=resolved_at + timedelta(hours=1),
    )
    complaint.refresh_from_db()
    return complaint


def test_an_agent_lodges_a_claim_for_the_caller_and_the_button_goes(client, net, staff):
    complaint = late_closed(net)
    url = f"/staff/complaints/{complaint.number}/"
    client.force_login(staff["agent"])
    assert b"Lodge compensation claim" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content

    answer = client.post(f"{url}compensation/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    claim = CompensationClaim.objects.get()
    assert (claim.complaint_id, claim.channel, claim.source) == (complaint.pk, "agent", "consumer")
    assert claim.number in answer.content.decode()
    assert b"Lodge compensation claim" not in answer.content
    assert complaint.events.filter(kind=EventKind.COMPENSATION_CLAIMED).count() == 1
    client.post(f"{url}compensation/")  # again: still one claim
    assert CompensationClaim.objects.count() == 1


def test_no_button_when_not_late_and_errors_are_messages(client, net, staff):
    on_time = complaint_register(consumer=net.consumer1, category="dt_failure", channel="agent")
    url = f"/staff/complaints/{on_time.complaint.number}/"
    client.force_login(staff["agent"])
    assert b"Lodge compensation claim" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content

    answer = client.post(f"{url}compensation/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert b"has not passed its time limit" in answer.content
    assert not CompensationClaim.objects.exists()


def test_lodging_outside_the_area_or_without_the_role_is_refused(client, net, staff):
    complaint = late_closed(net)
    url = f"/staff/complaints/{complaint.number}/compensation/"
    client.force_login(staff["je2"])  # another sub-division
    assert client.post(url).status_code == 404
    client.force_login(staff["je"])  # field staff in scope may lodge
    assert client.post(url).status_code == 302
    assert CompensationClaim.objects.count() == 1
