"""/staff/mobile/: an agent changes a caller's mobile after checking them, with the OTP the caller
reads out; staff outside the account's area see nothing; a missing note sends nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from sampark.consumers.models import MobileChallenge, MobileChange
from sampark.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW = "+919839055555"
PAGE = reverse("mobile:consumer")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_page_needs_sign_in(client, net):
    response = client.get(PAGE)

    assert response.status_code == 302 and "login" in response["Location"]


def test_an_agent_changes_a_mobile_and_the_old_one_is_told(client, net, staff):
    agent = signed_in(client, staff["agent"])
    consumer = net.consumer1
    old = consumer.mobile

    found = agent.get(PAGE, {"account": consumer.account_number}, **EN)
    assert found.status_code == 200 and old in found.content.decode()
    started = agent.post(
        reverse("mobile:start", args=[consumer.account_number]),
        {"mobile": "98390 55555", "note": "caller gave name, address and last bill amount"},
    )
    challenge = MobileChallenge.objects.get()
    assert started["Location"] == reverse("mobile:verify", args=[challenge.token])
    assert not Notification.objects.filter(template_key="mobile_change_old_otp").exists()
    code = Notification.objects.get(template_key="mobile_register_otp").variables["otp"]

    done = agent.post(started["Location"], {"otp": code})

    assert done.status_code == 302
    consumer.refresh_from_db()
    assert consumer.mobile == NEW
    change = MobileChange.objects.get()
    assert (change.actor, change.proof, change.channel) == (staff["agent"], "staff_check", "agent")
    assert change.note == "caller gave name, address and last bill amount"
    assert Notification.objects.get(template_key="mobile_changed_notice").recipient == old
    history = agent.get(done["Location"], **EN).content.decode()
    assert "+91••••••5555" in history and "Checked by staff" in history


def test_a_note_is_needed_and_its_absence_sends_nothing(client, net, staff):
    agent = signed_in(client, staff["agent"])

    response = agent.post(
        reverse("mobile:start", args=[net.consumer1.account_number]),
        {"mobile": NEW, "note": ""},
        **EN,
    )

    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not MobileChallenge.objects.exists() and not Notification.objects.exists()


def test_a_wrong_code_keeps_the_old_mobile(client, net, staff):
    agent = signed_in(client, staff["agent"])
    agent.post(
        reverse("mobile:start", args=[net.consumer1.account_number]),
        {"mobile": NEW, "note": "checked name and address"},
    )
    challenge = MobileChallenge.objects.get()
    code = Notification.objects.get(template_key="mobile_register_otp").variables["otp"]

    response = agent.post(
        reverse("mobile:verify", args=[challenge.token]),
        {"otp": f"{(int(code) + 1) % 10**6:06d}"},
        **EN,
    )

    assert response.status_code == 400 and "2 attempts left" in response.content.decode()
    net.consumer1.refresh_from_db()
    assert net.consumer1.mobile != NEW and not MobileChange.objects.exists()


def test_staff_outside_the_area_see_nothing(client, net, staff):
    je2 = signed_in(client, staff["je2"])  # sub-division 2; consumer1 is in sub-division 1

    found = je2.get(PAGE, {"account": net.consumer1.account_number})
    started = je2.post(
        reverse("mobile:start", args=[net.consumer1.account_number]),
        {"mobile": NEW, "note": "checked name and address"},
    )

    assert found.status_code == 404 and started.status_code == 404
    assert not MobileChallenge.objects.exists() and not Notification.objects.exists()


def test_another_areas_staff_cannot_open_a_started_request(client, net, staff):
    client.force_login(staff["agent"])
    client.post(
        reverse("mobile:start", args=[net.consumer1.account_number]),
        {"mobile": NEW, "note": "checked name and address"},
    )
    token = MobileChallenge.objects.get().token
    client.force_login(staff["je2"])

    assert client.get(reverse("mobile:verify", args=[token])).status_code == 404
    assert client.post(reverse("mobile:verify", args=[token]), {"otp": "123456"}).status_code == 404
    assert MobileChallenge.objects.get().attempts == 0
