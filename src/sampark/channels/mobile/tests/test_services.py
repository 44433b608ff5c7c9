"""Mobile registration end to end through the outbox: who gets which SMS, in which language;
a takeover attempt with only the bill's details and the new phone changes nothing; the old
mobile is told of every change; a missed call gets one SMS an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache

from sampark.channels.mobile.services import (
    complaint_otp_request,
    missed_call_answer,
    mobile_otp_resend,
    mobile_registration_finish,
    mobile_registration_start,
)
from sampark.consumers.models import Consumer, MobileChallenge, MobileChange, OtpPurpose
from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db

NEW = "+919839055555"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def sent(template: str) -> Notification:
    return Notification.objects.get(template_key=template)


def otp_in(template: str, recipient: str) -> str:
    return (
        Notification.objects.filter(template_key=template, recipient=recipient)
        .latest("id")
        .variables["otp"]
    )


def test_the_complaint_forms_otp_goes_by_sms_in_the_pages_language(net, settings):
    settings.SAMPARK_DLT_TEMPLATES = {"web_complaint_otp": "1107000000000000099"}

    challenge = complaint_otp_request(mobile="98390 55555", language="en", client_ip="10.0.0.1")

    message = sent("web_complaint_otp")
    assert (message.channel, message.recipient, message.language) == ("sms", NEW, "en")
    assert message.dlt_template_id == "1107000000000000099" and message.urgent
    code = message.variables["otp"]
    assert code in message.text and "10 minutes" in message.text
    assert code not in challenge.otp_hash and challenge.client_ip == "10.0.0.1"


def test_a_hindi_otp_reads_in_hindi(net):
    complaint_otp_request(mobile=NEW, language="hi")

    message = sent("web_complaint_otp")
    assert message.text.startswith("1912 वेबसाइट पर शिकायत दर्ज करने का OTP")
    assert message.text.endswith("-UPPCL 1912")


def test_first_registration_on_the_web(net):
    bare = ConsumerFactory(account_number="4234567890", name="Sunita Devi", mobile=None, dt=net.dt1)

    challenge = mobile_registration_start(
        account_number=bare.account_number,
        mobile=NEW,
        name_letters="SUN",
        channel="web",
        language="hi",
    )

    code = otp_in("mobile_register_otp", NEW)
    assert "XXXXXX7890" in sent("mobile_register_otp").text  # the account, masked
    assert not Notification.objects.filter(template_key="mobile_change_old_otp").exists()
    done = mobile_registration_finish(token=challenge.token, code=code)

    bare.refresh_from_db()
    assert bare.mobile == NEW and done.change.kind == "registered"
    confirmation = sent("mobile_registered")
    assert (confirmation.recipient, confirmation.consumer, confirmation.language) == (
        NEW,
        bare,
        "hi",
    )
    assert not Notification.objects.filter(template_key="mobile_changed_notice").exists()


def test_a_takeover_with_the_bill_and_a_new_phone_but_not_the_old_phone_fails(net):
    victim = net.consumer1
    old = victim.mobile
    challenge = mobile_registration_start(
        account_number=victim.account_number,
        mobile=NEW,
        name_letters=victim.name[:3],
        channel="web",
        language="en",
    )
    code = otp_in("mobile_register_otp", NEW)
    warning = sent("mobile_change_old_otp")
    assert (warning.recipient, warning.consumer) == (old, victim)
    assert warning.language == "hi"  # the account holder's language, not the requester's
    assert "...5555" in warning.text and "किसी को न दें" in warning.text

    old_code = otp_in("mobile_change_old_otp", old)  # what the attacker does not have
    for n in (1, 2, 3):
        guess = f"{(int(old_code) + n) % 10**6:06d}"
        with pytest.raises(ValidationFailed):
            mobile_registration_finish(token=challenge.token, code=code, old_code=guess)

    victim.refresh_from_db()
    assert victim.mobile == old and not MobileChange.objects.exists()
    assert MobileChallenge.objects.get().status == "locked"
    assert not Notification.objects.filter(template_key="mobile_registered").exists()


def test_a_change_with_both_codes_tells_the_old_mobile(net):
    consumer = net.consumer1
    old = consumer.mobile
    challenge = mobile_registration_start(
        account_number=consumer.account_number,
        mobile=NEW,
        name_letters=consumer.name[:3],
        channel="web",
        language="en",
    )

    done = mobile_registration_finish(
        token=challenge.token,
        code=otp_in("mobile_register_otp", NEW),
        old_code=otp_in("mobile_change_old_otp", old),
    )

    consumer.refresh_from_db()
    assert consumer.mobile == NEW and done.change.kind == "changed"
    notice = sent("mobile_changed_notice")
    assert (notice.recipient, notice.consumer, notice.language) == (old, consumer, "hi")
    assert "5555" in notice.text and "1912" in notice.text
    assert sent("mobile_registered").recipient == NEW


def test_a_wrong_code_is_counted_even_though_the_service_raises(net):
    bare = ConsumerFactory(name="Geeta", mobile=None, dt=net.dt1)
    challenge = mobile_registration_start(
        account_number=bare.account_number,
        mobile=NEW,
        name_letters="gee",
        channel="web",
        language="hi",
    )

    right = otp_in("mobile_register_otp", NEW)

    with pytest.raises(ValidationFailed):
        mobile_registration_finish(token=challenge.token, code=f"{(int(right) + 1) % 10**6:06d}")

    assert MobileChallenge.objects.get().attempts == 1
    bare.refresh_from_db()
    assert bare.mobile is None and not MobileChange.objects.exists()


def test_the_agent_path_needs_no_old_code_and_still_tells_the_old_mobile(net, staff):
    consumer = net.consumer1
    old = consumer.mobile
    challenge = mobile_registration_start(
        account_number=consumer.account_number,
        mobile=NEW,
        channel="web",  # whatever the caller says, staff requests are the agent channel
        language="hi",
        staff=staff["agent"],
        note="caller gave name, address and last bill",
    )
    assert challenge.channel == "agent" and not challenge.old_otp_hash
    assert not Notification.objects.filter(template_key="mobile_change_old_otp").exists()

    done = mobile_registration_finish(
        token=challenge.token, code=otp_in("mobile_register_otp", NEW), actor=staff["agent"]
    )

    assert (done.change.proof, done.change.actor) == ("staff_check", staff["agent"])
    assert sent("mobile_changed_notice").recipient == old


def test_on_sms_the_sender_is_the_proof_and_no_code_goes_to_it(net):
    bare = ConsumerFactory(name="Kamla", mobile=None, dt=net.dt1)

    challenge = mobile_registration_start(
        account_number=bare.account_number,
        mobile=NEW,
        name_letters="KAM",
        channel="sms",
        language="hi",
    )

    assert challenge.satisfied and not Notification.objects.exists()
    done = mobile_registration_finish(token=challenge.token, confirm_new=False)
    assert done.change.channel == "sms"
    assert not Notification.objects.exists()  # the chat reply says it


def test_resend_queues_new_codes_for_both_mobiles(net, monkeypatch):
    consumer = net.consumer1
    challenge = mobile_registration_start(
        account_number=consumer.account_number,
        mobile=NEW,
        name_letters=consumer.name[:3],
        channel="web",
        language="hi",
    )
    later = clock.now() + timedelta(seconds=61)
    monkeypatch.setattr(clock, "now", lambda: later)

    mobile_otp_resend(token=challenge.token, purpose=OtpPurpose.MOBILE_REGISTER)

    assert Notification.objects.filter(template_key="mobile_register_otp").count() == 2
    assert Notification.objects.filter(template_key="mobile_change_old_otp").count() == 2
    done = mobile_registration_finish(
        token=challenge.token,
        code=otp_in("mobile_register_otp", NEW),
        old_code=otp_in("mobile_change_old_otp", consumer.mobile),
    )
    assert done.change.kind == "changed"


def test_a_refused_request_sends_nothing(net):
    with pytest.raises(ValidationFailed):
        mobile_registration_start(
            account_number=net.consumer1.account_number,
            mobile=NEW,
            name_letters="XYZ",
            channel="web",
            language="hi",
        )

    assert not Notification.objects.exists() and not MobileChallenge.objects.exists()


def test_a_missed_call_gets_one_sms_an_hour(net, settings):
    settings.SAMPARK_PUBLIC_URL = "https://1912.example.in"

    assert missed_call_answer(mobile="9839055555")
    assert not missed_call_answer(mobile="+91 98390 55555")  # again within the hour

    message = sent("mobile_missed_call")
    assert (message.recipient, message.language, message.consumer) == (NEW, "hi", None)
    assert "https://1912.example.in/complaint/mobile/" in message.text and "REG" in message.text


def test_a_missed_call_from_an_english_speaking_consumer_is_answered_in_english(net):
    Consumer.objects.filter(pk=net.consumer1.pk).update(language="en")

    missed_call_answer(mobile=net.consumer1.mobile)

    assert sent("mobile_missed_call").text.startswith("To register this mobile")
