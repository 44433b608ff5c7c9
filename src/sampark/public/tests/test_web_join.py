"""Joining on the web with an OTP, the member's page with its leave button, and the page's
languages. A wrong, expired or over-tried OTP joins nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.public.joining import OTP_MAX_ATTEMPTS
from sampark.public.models import JoinedVia, MemberEventKind, StakeholderMember, StakeholderOtp

pytestmark = pytest.mark.django_db

FORM = {
    "zone": "Z-LKO",
    "name": "Sunita Verma",
    "mobile": "98390 77777",
    "role": "journalist",
    "language": "hi",
    "channel": "whatsapp",
    "delivery": "immediate",
}


def _request_otp(client, **overrides) -> tuple[StakeholderOtp, str]:
    response = client.post(reverse("public:groups"), {**FORM, **overrides})
    otp = StakeholderOtp.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == reverse("public:verify", args=[otp.token])
    message = Notification.objects.get(template_key="stakeholder_otp", topic__endswith=str(otp.pk))
    return otp, message.variables["otp"]


def _verify(client, otp: StakeholderOtp, code: str):
    return client.post(reverse("public:verify", args=[otp.token]), {"code": code})


# The page ---------------------------------------------------------------------------------


def test_groups_page_is_hindi_by_default_and_lists_zones(client, net):
    response = client.get(reverse("public:groups"))
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="hi">' in page
    assert "हिन्दी" in page and "English" in page  # the switch, each in its own script
    assert "जुड़ें" in page and "छोड़ें" in page  # Devanagari keywords render as they are
    assert "LUCKNOW CENTRAL" in page and "MEERUT I" in page
    assert "Madhyanchal" in page  # zones grouped by discom
    assert "UPPCL 1912" in page  # what a genuine bulletin is signed with
    assert "http://" not in page and "https://" not in page  # nothing from a CDN


def test_english_toggle(client, net):
    response = client.post(
        reverse("public:set_language"), {"language": "en", "next": reverse("public:groups")}
    )
    assert response["Location"] == reverse("public:groups")
    page = client.get(reverse("public:groups")).content.decode()
    assert '<html lang="en">' in page


# OTP flow ---------------------------------------------------------------------------------


def test_join_with_the_right_otp(client, net):
    otp, code = _request_otp(client)
    assert not StakeholderMember.objects.exists()  # nothing until the OTP comes back
    sent = Notification.objects.get(template_key="stakeholder_otp")
    assert (sent.recipient, sent.channel, sent.language) == ("+919839077777", "whatsapp", "hi")
    assert code in sent.text and "LUCKNOW CENTRAL" in sent.text
    assert otp.code_digest != code and code not in otp.code_digest  # stored hashed

    page = client.get(reverse("public:verify", args=[otp.token]))
    assert page.status_code == 200 and "+919839077777" in page.content.decode()

    response = _verify(client, otp, code[:3] + " " + code[3:])  # spaces are forgiven
    member = StakeholderMember.objects.get()
    assert response["Location"] == reverse("public:member", args=[member.leave_token])
    assert (member.name, member.mobile) == ("Sunita Verma", "+919839077777")
    assert (member.role, member.language, member.channel) == ("journalist", "hi", "whatsapp")
    assert member.joined_via == JoinedVia.WEB
    assert member.group.zone == net.zone and member.verified_at is not None
    welcome = Notification.objects.get(template_key="stakeholder_joined")
    assert welcome.recipient == member.mobile and "जुड़ गए" in welcome.text

    # The same code cannot be used again.
    assert _verify(client, otp, code).status_code == 400
    assert StakeholderMember.objects.count() == 1


def test_wrong_otp_joins_nobody(client, net):
    otp, code = _request_otp(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = _verify(client, otp, wrong)
    assert response.status_code == 400
    assert not StakeholderMember.objects.exists()
    otp.refresh_from_db()
    assert otp.attempts == 1 and otp.verified_at is None


def test_expired_otp_joins_nobody(client, net):
    otp, code = _request_otp(client)
    StakeholderOtp.objects.filter(pk=otp.pk).update(expires_at=clock.now() - timedelta(seconds=1))
    response = _verify(client, otp, code)
    assert response.status_code == 400
    assert not StakeholderMember.objects.exists()


def test_too_many_attempts_then_even_the_right_otp_joins_nobody(client, net):
    otp, code = _request_otp(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(OTP_MAX_ATTEMPTS):
        assert _verify(client, otp, wrong).status_code == 400
    assert _verify(client, otp, code).status_code == 400
    assert not StakeholderMember.objects.exists()
    otp.refresh_from_db()
    assert otp.attempts == OTP_MAX_ATTEMPTS


def test_unknown_verify_page_is_not_found(client, net):
    assert client.get(reverse("public:verify", args=["nope"])).status_code == 404
    assert client.post(reverse("public:verify", args=["nope"]), {"code": "1"}).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mobile": "12345"}, "mobile"),
        ({"zone": "Z-NOWHERE"}, "zone"),
        ({"role": "king"}, "role"),
        ({"channel": "pigeon"}, "channel"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_form_sends_nothing(client, net, overrides, field):
    response = client.post(reverse("public:groups"), {**FORM, **overrides})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not StakeholderOtp.objects.exists()
    assert not Notification.objects.exists()


@override_settings(SAMPARK_STAKEHOLDER_OTP_PER_HOUR=2)
def test_otps_per_mobile_are_limited(client, net):
    _request_otp(client)
    _request_otp(client)
    response = client.post(reverse("public:groups"), FORM)
    assert response.status_code == 400
    assert "mobile" in response.context["form"].errors
    assert StakeholderOtp.objects.count() == 2
    assert Notification.objects.count() == 2


@override_settings(SAMPARK_STAKEHOLDER_JOIN_RATE="2/h")
def test_join_requests_per_address_are_limited(client, net):
    _request_otp(client, mobile="9839077771")
    _request_otp(client, mobile="9839077772")
    response = client.post(reverse("public:groups"), {**FORM, "mobile": "9839077773"})
    assert response.status_code == 429
    assert StakeholderOtp.objects.count() == 2


# The member's page and leaving ------------------------------------------------------------


def test_member_page_leave_button(client, net):
    otp, code = _request_otp(client, language="en", channel="sms")
    _verify(client, otp, code)
    member = StakeholderMember.objects.get()
    page = client.get(reverse("public:member", args=[member.leave_token]))
    assert page.status_code == 200
    assert member.mobile in page.content.decode()

    response = client.post(reverse("public:member_leave", args=[member.leave_token]))
    assert response["Location"] == reverse("public:member", args=[member.leave_token])
    member.refresh_from_db()
    assert not member.active and member.left_at is not None
    assert member.events.last().kind == MemberEventKind.LEFT
    assert member.events.last().via == JoinedVia.WEB

    # Leaving twice is harmless; a made-up token is not found.
    client.post(reverse("public:member_leave", args=[member.leave_token]))
    assert member.events.filter(kind=MemberEventKind.LEFT).count() == 1
    assert client.post(reverse("public:member_leave", args=["made-up"])).status_code == 404
    assert client.get(reverse("public:member", args=["made-up"])).status_code == 404


def test_leave_needs_post(client, net):
    otp, code = _request_otp(client)
    _verify(client, otp, code)
    member = StakeholderMember.objects.get()
    assert client.get(reverse("public:member_leave", args=[member.leave_token])).status_code == 405
    member.refresh_from_db()
    assert member.active
