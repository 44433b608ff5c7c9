"""The inbound-mail webhook: raw MIME signed with the shared secret, stored once, handled by a
worker after commit; anything unsigned or wrongly signed changes nothing."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from sampark.channels.email.views import MAIL_MAX_BYTES
from sampark.channels.models import InboundMail, MailSource, MailState
from sampark.complaints.models import Complaint
from sampark.notifications.models import Notification

from .conftest import payload

pytestmark = pytest.mark.django_db

URL = "/webhooks/email/"
SECRET = "mail-webhook-secret"


@pytest.fixture(autouse=True)
def _secret(settings) -> None:
    settings.SAMPARK_EMAIL_WEBHOOK_SECRET = SECRET


def signature(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(body: bytes, **headers: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, body, content_type="message/rfc822", headers=headers)

    return post


def nothing_stored() -> bool:
    return not (
        InboundMail.objects.exists() or Complaint.objects.exists() or Notification.objects.exists()
    )


def test_signed_mail_becomes_a_complaint(post, asha):
    body = payload("new_hindi_gmail.eml")

    response = post(body, **{"X-Sampark-Signature": signature(body)})

    assert response.status_code == 202
    assert response.json() == {"received": True, "duplicate": False, "state": "received"}
    mail = InboundMail.objects.get()
    assert (mail.source, mail.state) == (MailSource.WEBHOOK, MailState.COMPLAINT)
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.consumer) == ("email", asha)
    assert Notification.objects.filter(channel="email", template_key__startswith="email_").count()


def test_the_same_mail_posted_twice_is_handled_once(post, asha):
    body = payload("new_hindi_gmail.eml")
    post(body, **{"X-Sampark-Signature": signature(body)})

    again = post(body, **{"X-Sampark-Signature": signature(body)})

    assert again.status_code == 202
    assert again.json() == {"received": True, "duplicate": True, "state": "complaint"}
    assert InboundMail.objects.count() == 1 and Complaint.objects.count() == 1
    assert Notification.objects.filter(channel="email").count() == 1


def test_the_fixed_token_header_is_accepted(post, asha):
    response = post(payload("no_details.eml"), **{"X-Sampark-Token": SECRET})

    assert response.status_code == 202
    assert InboundMail.objects.get().state == MailState.ASKED


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Sampark-Signature": signature(b"another body")},
        {"X-Sampark-Signature": signature(payload("new_hindi_gmail.eml"), "wrong-secret")},
        {"X-Sampark-Signature": "sha1=abc"},
        {"X-Sampark-Token": "wrong"},
        {"X-Sampark-Token": ""},
    ],
)
def test_bad_or_missing_secret_is_403_and_nothing_is_stored(post, asha, headers):
    response = post(payload("new_hindi_gmail.eml"), **headers)

    assert response.status_code == 403
    assert nothing_stored()


def test_without_a_configured_secret_everything_is_refused(post, asha, settings):
    settings.SAMPARK_EMAIL_WEBHOOK_SECRET = ""
    body = payload("new_hindi_gmail.eml")

    for headers in ({"X-Sampark-Signature": signature(body, "")}, {"X-Sampark-Token": ""}):
        assert post(body, **headers).status_code == 403
    assert nothing_stored()


def test_a_body_without_sender_is_400(post, asha):
    body = b"this is not a mail at all"

    response = post(body, **{"X-Sampark-Token": SECRET, "Accept-Language": "en"})

    assert response.status_code == 400
    assert response.json()["fields"] == {"mail": "The mail has no sender (From) address."}
    assert nothing_stored()


def test_too_large_is_413(post, asha):
    body = b"From: a@b.example\r\n\r\n" + b"x" * MAIL_MAX_BYTES

    response = post(body, **{"X-Sampark-Token": SECRET})

    assert response.status_code == 413
    assert nothing_stored()


def test_only_post(client, asha):
    assert client.get(URL).status_code == 405
    assert nothing_stored()
