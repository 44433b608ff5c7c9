"""Scripted conversations in Hindi, Hinglish and English, on WhatsApp, SMS and web chat."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sampark.channels.models import Conversation, Handover
from sampark.channels.services import Inbound, chat_message_receive, handovers_reassure
from sampark.complaints.compensation import complaint_compensable
from sampark.complaints.models import CompensationClaim, Complaint, ComplaintFeedback, Status
from sampark.complaints.services import complaint_register, complaint_transition
from sampark.core import clock
from sampark.notifications.models import Notification
from sampark.outages.services import outage_declare

pytestmark = pytest.mark.django_db

DEVANAGARI = range(0x0900, 0x0980)


def hindi(text: str) -> bool:
    return any(ord(ch) in DEVANAGARI for ch in text)


def numbers_in(texts: list[str]) -> list[str]:
    return [c.number for c in Complaint.objects.all() if any(c.number in t for t in texts)]


def test_hindi_no_supply_on_whatsapp_registers_after_confirmation(net, whatsapp_user):
    user = whatsapp_user(net.consumer1.mobile)

    asked = user.send("बिजली नहीं आ रही है")

    assert user.conversation.state == "confirm_complaint"
    assert user.options == ["yes", "no"] and hindi(asked[0])
    assert not Complaint.objects.exists()

    done = user.send("हाँ")

    complaint = Complaint.objects.get()
    assert (complaint.category, complaint.channel, complaint.consumer) == (
        "no_supply",
        "whatsapp",
        net.consumer1,
    )
    assert complaint.number in done[0] and hindi(done[0])
    sent = Notification.objects.filter(channel="whatsapp", recipient=net.consumer1.mobile)
    assert sent.count() == 2 and {n.template_key for n in sent} == {"chat_message"}
    assert user.conversation.state == ""


def test_outage_question_in_hinglish_is_answered_with_reason_and_etr(net, whatsapp_user):
    etr = clock.now() + timedelta(hours=3)
    outage = outage_declare(
        kind="unplanned", reason_code="tree_fall", etr=etr, feeder_codes=["F-AMN-1"], actor=None
    )
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send("light kab tak aayegi bhai")

    assert outage.reason.text_hi in answer[0]
    assert not Complaint.objects.exists()


def test_english_no_supply_during_an_outage_links_the_complaint(net, whatsapp_user):
    outage = outage_declare(
        kind="unplanned",
        reason_code="tree_fall",
        etr=clock.now() + timedelta(hours=2),
        feeder_codes=["F-AMN-1"],
        actor=None,
    )
    user = whatsapp_user(net.consumer1.mobile)
    user.send("English")

    asked = user.send("There is no electricity at my house since morning")

    assert outage.reason.text_en in asked[0] and "linked" in asked[0]
    done = user.send("yes")
    complaint = Complaint.objects.get()
    assert complaint.outage == outage and complaint.number in done[0]


def test_no_outage_known_offers_to_register(net, whatsapp_user):
    user = whatsapp_user(net.consumer1.mobile)
    user.send("English")

    answer = user.send("when will the power come back?")

    assert "No interruption" in answer[0] and user.conversation.state == "offer_register"
    user.send("yes")
    assert Complaint.objects.get().category == "no_supply"


def test_hazard_gets_safety_advice_first_and_an_emergency_complaint_at_once(net, whatsapp_user):
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send("taar toot ke sadak pe gira hai, chingari nikal rahi hai")

    complaint = Complaint.objects.get()
    assert (complaint.category, complaint.priority) == ("safety_hazard", "emergency")
    advice, registered = answer[0].split("\n\n")  # one message: advice first, then the number
    assert complaint.number in registered and complaint.number not in advice
    assert hindi(advice)  # in the consumer's language


def test_hazard_from_an_unknown_number_asks_where_then_registers(net, whatsapp_user):
    user = whatsapp_user("+919999900001")
    user.send("English")

    answer = user.send("electric pole has fallen on the road near the school, wires sparking")

    assert "10 metres" in answer[0] and user.conversation.state == "ask_location"
    user.send("Near Gandhi school, Aminabad market")
    complaint = Complaint.objects.get()
    assert (complaint.priority, complaint.contact_mobile) == ("emergency", "+919999900001")
    assert "Gandhi school" in complaint.location_text


def resolved_complaint(net) -> Complaint:
    registration = complaint_register(
        category="voltage_fluctuation", channel="agent", consumer=net.consumer1
    )
    return complaint_transition(
        complaint=registration.complaint, to_status=Status.RESOLVED, actor=None
    )


def test_status_by_number_then_rejecting_the_resolution_reopens(net, whatsapp_user):
    complaint = resolved_complaint(net)
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send(f"mera complaint {complaint.number} ka status kya hai")

    assert complaint.number in answer[0] and user.options == ["yes", "no"]
    user.send("nahi")
    complaint.refresh_from_db()
    assert complaint.status == Status.REOPENED


def test_confirming_closes_and_the_rating_is_recorded(net, whatsapp_user):
    complaint = resolved_complaint(net)
    user = whatsapp_user(net.consumer1.mobile)
    user.send("English")

    user.send("what is the status of my complaint")
    user.send("yes")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and user.conversation.state == "ask_rating"
    user.send("rate:4")
    assert ComplaintFeedback.objects.get(complaint=complaint).rating == 4


def test_a_stranger_sees_the_status_but_cannot_confirm(net, whatsapp_user):
    complaint = resolved_complaint(net)
    user = whatsapp_user("+919999900002")

    user.send(f"STATUS {complaint.number}")

    assert user.options == [] and user.conversation.state == ""
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED


def test_compensation_claim_for_a_late_complaint(net, whatsapp_user):
    registration = complaint_register(category="no_supply", channel="agent", consumer=net.consumer1)
    complaint = registration.complaint
    Complaint.objects.filter(pk=complaint.pk).update(sla_breached_at=clock.now())
    assert complaint_compensable(complaint=complaint)
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send("meri shikayat time pe theek nahi hui, muavza chahiye")

    claim = CompensationClaim.objects.get()
    assert claim.complaint == complaint and claim.number in answer[0]
    user.send("mujhe harjana chahiye")
    assert CompensationClaim.objects.count() == 1


def test_handover_puts_the_conversation_in_the_queue_and_the_bot_goes_quiet(net, whatsapp_user):
    user = whatsapp_user(net.consumer1.mobile)

    user.send("mujhe kisi insaan se baat karni hai")

    conversation = user.conversation
    assert conversation.handover == Handover.WAITING and conversation.org_unit == net.sd1
    assert user.send("hello? koi hai?") == []
    assert user.conversation.messages.count() == 3  # in, bot, in (kept for the agent)
    user.send("menu")
    assert user.conversation.handover == Handover.NONE


def test_two_misses_offer_an_agent_instead_of_looping(net, whatsapp_user):
    user = whatsapp_user(net.consumer1.mobile)

    user.send("asdf qwer zxcv")
    user.send("lorem ipsum dolor")

    assert user.options == ["agent", "menu"] and user.conversation.state == "offer_agent"
    user.send("agent")
    assert user.conversation.handover == Handover.WAITING


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "\x00\x01\x02", "x" * 5000])
def test_bad_input_gets_a_reply_in_the_users_language_and_is_kept(net, whatsapp_user, text):
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send(text)

    assert answer and all(hindi(a) for a in answer)
    assert user.conversation.messages.filter(direction="in").count() == 1
    assert not Complaint.objects.exists()


def test_a_flood_gets_one_polite_reply_and_every_message_is_kept(net, whatsapp_user, settings):
    settings.SAMPARK_CHAT_RATE = "3/m"
    user = whatsapp_user(net.consumer1.mobile)

    replies = [user.send(f"hello {n}") for n in range(6)]

    assert [bool(r) for r in replies] == [True, True, True, True, False, False]
    assert user.conversation.messages.filter(direction="in").count() == 6


def test_web_chat_identifies_by_account_and_checks_the_mobile(net, web_user):
    web_user.send("English")
    asked = web_user.send("no power in my house")
    assert "account number" in asked[0]

    asked = web_user.send(net.consumer1.account_number)
    assert "mobile" in asked[0] and web_user.conversation.state == "ask_mobile"

    web_user.send("9839012345")
    conversation = web_user.conversation
    assert conversation.verified and conversation.consumer == net.consumer1
    assert web_user.conversation.state == "confirm_complaint"
    web_user.send("yes")
    assert Complaint.objects.get().channel == "chatbot_web"


def test_web_chat_with_a_mobile_that_does_not_match_gets_limited_answers(net, web_user):
    web_user.send("English")
    web_user.send("no power in my house")
    web_user.send(net.consumer1.account_number)

    answer = web_user.send("9000000001")

    conversation = web_user.conversation
    assert not conversation.verified and conversation.consumer == net.consumer1
    assert "not the one registered" in answer[0]
    web_user.send("yes")
    complaint = Complaint.objects.get()
    assert complaint.contact_mobile == "+919000000001"


def test_unknown_account_number_is_said_plainly(net, web_user):
    web_user.send("English")
    web_user.send("voltage bahut kam hai")

    answer = web_user.send("9999999999")

    assert "No connection has account number 9999999999" in answer[0]
    assert web_user.conversation.consumer is None


def test_language_choice_is_remembered(net, whatsapp_user):
    user = whatsapp_user(net.consumer1.mobile)
    user.send("English")

    answer = user.send("namaste")

    assert not hindi(answer[0]) and user.conversation.language == "en"


def test_sms_keywords_nopower_and_status(net, sms_user):
    user = sms_user(net.consumer2.mobile)

    answer = user.send(f"NOPOWER {net.consumer2.account_number}")

    complaint = Complaint.objects.get()
    assert complaint.channel == "sms" and complaint.number in answer[0]
    answer = user.send(f"STATUS {complaint.number}")
    assert complaint.number in answer[0]
    sms = Notification.objects.filter(channel="sms", recipient=net.consumer2.mobile)
    assert sms.count() == 2


def test_sms_stop_and_start_change_the_consumers_consent(net, sms_user):
    user = sms_user(net.consumer2.mobile)

    user.send("STOP")
    net.consumer2.refresh_from_db()
    assert net.consumer2.consent_sms is False

    user.send("शुरू")
    net.consumer2.refresh_from_db()
    assert net.consumer2.consent_sms is True


def test_stakeholder_join_still_works_by_sms(net, sms_user):
    user = sms_user("+919839055555")

    user.send("JOIN Z-LKO journalist")

    reply = Notification.objects.get(recipient="+919839055555")
    assert reply.template_key == "stakeholder_joined"  # a registered (DLT) template


def test_a_menu_number_on_sms_chooses_that_option(net, sms_user):
    user = sms_user(net.consumer2.mobile)
    user.send("hello")
    assert user.options[0] == "menu:no_supply"

    user.send("1")

    assert user.conversation.state == "confirm_complaint"
    text = Notification.objects.filter(channel="sms").order_by("id").first().text
    assert "\n1. " in text  # options as numbered lines on a plain-text channel


def test_a_retried_delivery_is_answered_once(net, django_capture_on_commit_callbacks):
    inbound = Inbound(
        channel="whatsapp",
        user_key=net.consumer1.mobile,
        mobile=net.consumer1.mobile,
        text="hello",
        provider_message_id="wamid.same",
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = chat_message_receive(inbound=inbound)
        again = chat_message_receive(inbound=inbound)

    assert first is not None and again is None
    assert Notification.objects.count() == 1


def test_writing_in_devanagari_gets_hindi_even_if_the_account_says_english(net, whatsapp_user):
    net.consumer1.language = "en"
    net.consumer1.save()
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send("बिजली नहीं आ रही है")

    assert hindi(answer[0]) and user.conversation.language == "hi"


def test_an_english_account_is_answered_in_english_when_writing_in_latin(net, whatsapp_user):
    net.consumer1.language = "en"
    net.consumer1.save()
    user = whatsapp_user(net.consumer1.mobile)

    answer = user.send("no electricity since morning")

    assert not hindi(answer[0])


def test_a_user_waiting_too_long_for_an_agent_is_told_once(net, whatsapp_user, settings):
    settings.SAMPARK_HANDOVER_WAIT_MINUTES = 10
    user = whatsapp_user(net.consumer1.mobile)
    user.send("mujhe kisi insaan se baat karni hai")
    assert handovers_reassure() == 0  # not yet

    Conversation.objects.update(handover_at=clock.now() - timedelta(minutes=11))

    assert handovers_reassure() == 1
    assert handovers_reassure() == 0  # once per handover
    last = user.conversation.messages.filter(author="bot").order_by("id").last()
    assert "1912" in last.text and hindi(last.text)
    assert Notification.objects.filter(recipient=net.consumer1.mobile).count() == 2
