"""Registering a mobile in the chat: REG <account> on web chat (the typed mobile proves itself
with an OTP), on WhatsApp and SMS (the sender's number is its own proof), a change that needs
the old mobile's code, and refusals that write nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sampark.channels.mobile.services import mobile_registration_finish, mobile_registration_start
from sampark.consumers.models import MobileChallenge, MobileChange
from sampark.notifications.models import Notification
from sampark.testing.factories import ConsumerFactory

pytestmark = pytest.mark.django_db

NEW = "+919839055555"


@pytest.fixture
def bare(net):
    return ConsumerFactory(
        account_number="4234567890", name="Ram Prakash Yadav", mobile=None, dt=net.dt1
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def code_sent(template: str, recipient: str) -> str:
    return (
        Notification.objects.filter(template_key=template, recipient=recipient)
        .latest("id")
        .variables["otp"]
    )


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_on_web_chat_the_typed_mobile_proves_itself_with_an_otp(web_user, bare):
    web_user.send("English")

    web_user.send("REG 4234567890")
    assert web_user.conversation.state == "reg_name"
    web_user.send("ram")
    assert web_user.conversation.state == "reg_mobile"
    asked = web_user.send("98390 55555")

    assert web_user.conversation.state == "reg_code" and "5555" in asked[0]
    assert bare.mobile is None
    done = web_user.send(code_sent("mobile_register_otp", NEW))

    bare.refresh_from_db()
    assert bare.mobile == NEW and bare.consent_sms
    assert "5555" in done[0] and bare.account_number in done[0]
    change = MobileChange.objects.get()
    assert (change.kind, change.channel, change.actor_label) == (
        "registered",
        "chatbot",
        "consumer via chatbot",
    )
    conversation = web_user.conversation
    assert (conversation.consumer, conversation.verified, conversation.state) == (bare, True, "")
    assert Notification.objects.get(template_key="mobile_registered").recipient == NEW


def test_on_whatsapp_the_senders_number_needs_no_code(whatsapp_user, bare):
    user = whatsapp_user(NEW)

    user.send("मोबाइल 4234567890")
    assert user.conversation.state == "reg_name"
    done = user.send("RAM")

    bare.refresh_from_db()
    assert bare.mobile == NEW and "5555" in done[0]
    replies = Notification.objects.filter(template_key="chat_message")
    assert {reply.language for reply in replies} == {"hi"}  # asked in Hindi, answered in Hindi
    assert MobileChange.objects.get().channel == "whatsapp"
    # Nothing but the chat's own replies: no OTP, no separate confirmation.
    assert set(Notification.objects.values_list("template_key", flat=True)) == {"chat_message"}


def test_on_sms_a_change_needs_the_old_mobiles_code(sms_user, net):
    consumer = net.consumer1
    old = consumer.mobile
    user = sms_user(NEW)

    user.send(f"REG {consumer.account_number}")
    user.send(consumer.name[:3])
    assert user.conversation.state == "reg_old_code"
    code = code_sent("mobile_change_old_otp", old)

    again = user.send(wrong(code))
    assert user.conversation.state == "reg_old_code" and "2" in again[0]
    consumer.refresh_from_db()
    assert consumer.mobile == old and not MobileChange.objects.exists()

    user.send(code)

    consumer.refresh_from_db()
    assert consumer.mobile == NEW
    assert MobileChange.objects.get().proof == "old_mobile"
    assert Notification.objects.get(template_key="mobile_changed_notice").recipient == old


def test_three_wrong_old_codes_end_the_request(sms_user, net):
    consumer = net.consumer1
    user = sms_user(NEW)
    user.send(f"REG {consumer.account_number}")
    user.send(consumer.name[:3])
    code = code_sent("mobile_change_old_otp", consumer.mobile)

    for _n in range(3):
        last = user.send(wrong(code))

    assert user.conversation.state == "" and "REG" in last[0]
    assert MobileChallenge.objects.get().status == "locked"
    consumer.refresh_from_db()
    assert consumer.mobile != NEW and not MobileChange.objects.exists()


def test_wrong_name_letters_are_asked_again_once_then_an_agent_is_offered(whatsapp_user, bare):
    user = whatsapp_user(NEW)
    user.send("REG 4234567890")

    user.send("SHY")
    assert user.conversation.state == "reg_name"
    user.send("ABC")

    assert user.conversation.state == "offer_agent"
    bare.refresh_from_db()
    assert bare.mobile is None
    assert not MobileChange.objects.exists() and not MobileChallenge.objects.exists()


def test_the_menu_offers_it_and_asks_for_the_account(web_user, bare):
    web_user.send("menu")
    assert "menu:mobile_register" in web_user.options

    web_user.send("menu:mobile_register")

    assert web_user.conversation.state == "reg_account"
    web_user.send(bare.account_number)
    assert web_user.conversation.state == "reg_name"


def test_menu_leaves_the_request(web_user, bare):
    web_user.send("REG 4234567890")

    web_user.send("menu")

    assert web_user.conversation.state == ""
    assert not MobileChallenge.objects.exists()


def test_a_chat_on_the_old_number_is_no_longer_verified_after_a_change(whatsapp_user, net, staff):
    consumer = net.consumer1
    old_phone = whatsapp_user(consumer.mobile)
    old_phone.send("menu")
    assert old_phone.conversation.verified
    challenge = mobile_registration_start(
        account_number=consumer.account_number,
        mobile=NEW,
        channel="agent",
        language="hi",
        staff=staff["agent"],
        note="consumer lost the phone; checked ID at the counter",
    )
    mobile_registration_finish(
        token=challenge.token, code=code_sent("mobile_register_otp", NEW), actor=staff["agent"]
    )

    old_phone.send("menu")

    assert not old_phone.conversation.verified  # no account details for the old phone now
