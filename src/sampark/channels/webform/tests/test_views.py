"""The website's complaint form, tracking and mobile pages through the test client: Hindi by
default, English on request, errors beside their fields, limits per address, CSRF, and nothing
written when something is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from sampark.complaints.models import Complaint, ComplaintEvent
from sampark.consumers.models import MobileChallenge, MobileChange
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db

MOBILE = "+919839055555"
START = reverse("webform:start")
DETAILS = reverse("webform:details")
DONE = reverse("webform:done")
TRACK = reverse("webform:track")
REGISTER = reverse("webform:mobile")
VERIFY = reverse("webform:mobile_verify")
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the per-address limits count in the cache


def page(response) -> str:
    return response.content.decode()


def error_beside(response, field: str) -> str:
    """The error shown right under a field ("" if none)."""
    found = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', page(response), re.S)
    return found.group(1).strip() if found else ""


def otp_for(recipient: str, template: str = "web_complaint_otp") -> str:
    return (
        Notification.objects.filter(template_key=template, recipient=recipient)
        .latest("id")
        .variables["otp"]
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def otp_sent(client, mobile: str = "98390 55555", **extra) -> str:
    response = client.post(START, {"mobile": mobile}, **extra)
    assert response.status_code == 302 and response["Location"] == DETAILS
    return otp_for(MOBILE)


def details(client, **fields):
    return client.post(DETAILS, {"category": "no_supply", "account_number": "", **fields})


def nothing_registered() -> bool:
    return not Complaint.objects.exists() and not ComplaintEvent.objects.exists()


# Step 1: the mobile ---------------------------------------------------------------------------


def test_the_form_is_hindi_by_default_with_csrf_and_nothing_from_elsewhere(client, net):
    response = client.get(START)

    html = page(response)
    assert response.status_code == 200 and '<html lang="hi">' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'name="mobile"' in html
    assert "हिन्दी" in html and "English" in html  # the language switch
    assert "http://" not in html and "https://" not in html


def test_a_malformed_mobile_is_refused_beside_the_field_in_hindi(client, net):
    response = client.post(START, {"mobile": "12345"})

    assert response.status_code == 400
    assert error_beside(response, "mobile") == "सही 10 अंकों का मोबाइल नंबर भरें।"
    assert not MobileChallenge.objects.exists() and not Notification.objects.exists()


def test_and_in_english_when_asked(client, net):
    response = client.post(START, {"mobile": ""}, **EN)

    assert response.status_code == 400 and '<html lang="en">' in page(response)
    assert error_beside(response, "mobile") == "This field is required."


def test_the_mobile_gets_an_otp_and_the_next_step_names_it_masked(client, net):
    otp_sent(client)

    response = client.get(DETAILS, **EN)
    assert response.status_code == 200
    assert "ending 5555" in page(response) and "9839055555" not in page(response)
    challenge = MobileChallenge.objects.get()
    assert (challenge.purpose, challenge.channel, challenge.mobile) == ("complaint", "web", MOBILE)
    assert client.session["webform_complaint_token"] == challenge.token  # not in any URL


def test_otp_requests_are_limited_per_address(client, net, settings):
    settings.SAMPARK_WEB_OTP_RATE = "2/h"
    otp_sent(client, "9839055555")
    client.post(START, {"mobile": "9839066666"})

    response = client.post(START, {"mobile": "9839077777"}, **EN)

    assert response.status_code == 429 and "Too many requests" in page(response)
    assert MobileChallenge.objects.count() == 2
    assert not Notification.objects.filter(recipient="+919839077777").exists()


def test_codes_per_mobile_are_limited_whatever_the_address(net, settings):
    settings.SAMPARK_OTP_PER_MOBILE_HOUR = 2
    for n in range(2):
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(START, {"mobile": MOBILE})

    response = Client(REMOTE_ADDR="10.0.0.9").post(START, {"mobile": MOBILE}, **EN)

    assert response.status_code == 400
    assert "Too many OTPs" in error_beside(response, "mobile")
    assert Notification.objects.count() == 2


def test_csrf_is_checked(net):
    guarded = Client(enforce_csrf_checks=True)

    response = guarded.post(START, {"mobile": MOBILE})

    assert response.status_code == 403
    assert not MobileChallenge.objects.exists() and not Notification.objects.exists()


# Step 2: the complaint ------------------------------------------------------------------------


def test_without_a_pending_code_step_two_sends_you_back(client, net):
    assert client.get(DETAILS)["Location"] == START
    assert client.post(DETAILS, {"otp": "123456"})["Location"] == START
    assert nothing_registered()


def test_the_right_code_and_an_account_register_a_web_complaint(client, net):
    code = otp_sent(client)

    response = details(
        client, otp=code, account_number=net.consumer1.account_number, description="since 6 am"
    )

    assert response.status_code == 302 and response["Location"] == DONE
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.consumer, complaint.contact_mobile) == (
        "web",
        net.consumer1,
        MOBILE,
    )
    assert (complaint.category, complaint.description, complaint.language) == (
        "no_supply",
        "since 6 am",
        "hi",
    )
    assert MobileChallenge.objects.get().status == "used"
    receipt = client.get(DONE, **EN)
    assert complaint.number in page(receipt) and "To be resolved by" in page(receipt)
    assert client.get(DETAILS)["Location"] == START  # the code is spent


def test_a_place_instead_of_an_account(client, net):
    code = otp_sent(client)

    details(
        client, otp=code, location_text="Near Hanuman mandir, Aminabad", category="safety_hazard"
    )

    complaint = Complaint.objects.get()
    assert complaint.consumer is None and complaint.location_text.startswith("Near Hanuman")
    assert complaint.priority == "emergency"


def test_neither_account_nor_place_is_refused_beside_the_place_in_english(client, net):
    code = otp_sent(client)

    response = client.post(
        DETAILS, {"otp": code, "category": "no_supply", "location_text": "x"}, **EN
    )

    assert response.status_code == 400
    assert error_beside(response, "location_text") == (
        "Give your 10-digit account number, or write where the problem is."
    )
    assert nothing_registered() and MobileChallenge.objects.get().attempts == 0


def test_an_unknown_account_costs_no_attempt_and_writes_nothing(client, net):
    code = otp_sent(client)

    response = details(client, otp=code, account_number="9999999999")

    assert response.status_code == 400
    assert error_beside(response, "account_number") == "इस खाता संख्या का कोई उपभोक्ता नहीं है।"
    assert nothing_registered()
    challenge = MobileChallenge.objects.get()
    assert (challenge.attempts, challenge.status, challenge.verified_at) == (0, "pending", None)


def test_a_wrong_code_is_refused_beside_it_and_counted(client, net):
    code = otp_sent(client)

    response = details(client, otp=wrong(code), account_number=net.consumer1.account_number)

    assert response.status_code == 400
    assert error_beside(response, "otp") == "यह OTP सही नहीं है। 2 प्रयास बाकी हैं।"
    assert nothing_registered() and MobileChallenge.objects.get().attempts == 1


def test_three_wrong_codes_lock_it(client, net):
    code = otp_sent(client)
    for _n in range(3):
        details(client, otp=wrong(code), account_number=net.consumer1.account_number)

    response = client.post(
        DETAILS,
        {"otp": code, "category": "no_supply", "account_number": net.consumer1.account_number},
        **EN,
    )

    assert response.status_code == 409
    assert "Too many wrong attempts" in page(response)
    assert nothing_registered()


def test_an_open_complaint_of_the_same_kind_is_shown_instead_of_a_second(client, net):
    account = net.consumer1.account_number
    details(client, otp=otp_sent(client), account_number=account)
    first = Complaint.objects.get()

    other = Client()
    other.post(START, {"mobile": "9839066666"})
    code = otp_for("+919839066666")
    other.post(DETAILS, {"otp": code, "category": "no_supply", "account_number": account})

    assert Complaint.objects.count() == 1
    receipt = other.get(DONE, **EN)
    assert first.number in page(receipt) and 'id="duplicate"' in page(receipt)
    assert first.events.filter(kind="duplicate_request").count() == 1


def test_resend_waits_then_sends_a_new_code(client, net, monkeypatch):
    otp_sent(client)

    too_soon = client.post(reverse("webform:resend"), follow=True, **EN)
    assert "Wait" in page(too_soon) and Notification.objects.count() == 1

    later = clock.now() + timedelta(seconds=61)
    monkeypatch.setattr(clock, "now", lambda: later)
    sent = client.post(reverse("webform:resend"), follow=True, **EN)

    assert "A new OTP has been sent." in page(sent)
    assert Notification.objects.count() == 2
    details(client, otp=otp_for(MOBILE), account_number=net.consumer1.account_number)
    assert Complaint.objects.count() == 1


# Tracking -------------------------------------------------------------------------------------


def registered(client, net) -> Complaint:
    details(client, otp=otp_sent(client), account_number=net.consumer1.account_number)
    return Complaint.objects.get()


def test_tracking_by_number_and_the_complainants_mobile(client, net):
    complaint = registered(client, net)

    response = Client().post(
        TRACK, {"number": complaint.number.lower(), "mobile": "9839055555"}, **EN
    )

    html = page(response)
    assert response.status_code == 200 and complaint.number in html
    assert "Registered" in html and 'class="wf-timeline"' in html
    assert net.consumer1.name not in html  # nobody's name, no staff, no notes
    assert "repeated via" not in html and "system" not in html


def test_the_consumers_registered_mobile_tracks_it_too(client, net):
    complaint = registered(client, net)

    response = Client().post(TRACK, {"number": complaint.number, "mobile": net.consumer1.mobile})

    assert response.status_code == 200 and complaint.number in page(response)


def test_a_wrong_pair_gets_the_same_answer_as_an_unknown_number(client, net):
    complaint = registered(client, net)
    visitor = Client()

    wrong_mobile = visitor.post(TRACK, {"number": complaint.number, "mobile": "9839077777"}, **EN)
    unknown = visitor.post(TRACK, {"number": "MV-010101-99999", "mobile": "9839077777"}, **EN)

    assert wrong_mobile.status_code == unknown.status_code == 404
    assert 'id="tracked"' not in page(wrong_mobile)

    def bare(response, number: str) -> str:  # without the typed number and the CSRF token
        text = page(response).replace(number, "NUMBER")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert bare(wrong_mobile, complaint.number) == bare(unknown, "MV-010101-99999")
    assert "No complaint matches this number and mobile." in page(unknown)


def test_tracking_is_limited_per_address(client, net, settings):
    settings.SAMPARK_WEB_TRACK_RATE = "2/h"
    for _n in range(2):
        client.post(TRACK, {"number": "MV-010101-00001", "mobile": MOBILE})

    response = client.post(TRACK, {"number": "MV-010101-00001", "mobile": MOBILE})

    assert response.status_code == 429


# Mobile registration --------------------------------------------------------------------------


def test_registering_a_mobile_on_an_account_without_one(client, net):
    bare = ConsumerFactory(account_number="4234567890", name="Ram Prakash", mobile=None, dt=net.dt1)

    start = client.post(REGISTER, {"account_number": "4234567890", "name": "ram", "mobile": MOBILE})
    assert start.status_code == 302 and start["Location"] == VERIFY
    form = client.get(VERIFY, **EN)
    assert 'name="old_otp"' not in page(form)

    done = client.post(VERIFY, {"otp": otp_for(MOBILE, "mobile_register_otp")})

    assert done["Location"] == reverse("webform:mobile_done")
    bare.refresh_from_db()
    assert bare.mobile == MOBILE and MobileChange.objects.get().channel == "web"
    assert "5555" in page(client.get(done["Location"]))


def test_wrong_name_letters_are_refused_beside_the_name_and_nothing_is_sent(client, net):
    response = client.post(
        REGISTER,
        {"account_number": net.consumer1.account_number, "name": "XYZ", "mobile": MOBILE},
        **EN,
    )

    assert response.status_code == 400
    assert error_beside(response, "name").startswith("These letters do not match")
    assert not MobileChallenge.objects.exists() and not Notification.objects.exists()


def test_changing_a_mobile_asks_for_the_old_mobiles_code_too(client, net):
    consumer = net.consumer1
    old = consumer.mobile
    client.post(
        REGISTER,
        {"account_number": consumer.account_number, "name": consumer.name[:3], "mobile": MOBILE},
    )
    form = client.get(VERIFY, **EN)
    assert 'name="old_otp"' in page(form) and "ending 2345" in page(form)

    only_new = client.post(VERIFY, {"otp": otp_for(MOBILE, "mobile_register_otp")}, **EN)
    assert only_new.status_code == 400
    assert error_beside(only_new, "old_otp") == "This field is required."
    consumer.refresh_from_db()
    assert consumer.mobile == old

    client.post(
        VERIFY,
        {
            "otp": otp_for(MOBILE, "mobile_register_otp"),
            "old_otp": otp_for(old, "mobile_change_old_otp"),
        },
    )

    consumer.refresh_from_db()
    assert consumer.mobile == MOBILE
    assert Notification.objects.get(template_key="mobile_changed_notice").recipient == old
