"""Joining, leaving and choosing the digest by SMS/WhatsApp keyword, in Hindi and English.

Whatever is not understood gets a helpful reply and changes nothing.
"""

from __future__ import annotations

import pytest

from sampark.core.errors import ValidationFailed
from sampark.network.models import OrgUnit
from sampark.notifications.models import Notification
from sampark.public.keywords import Action, keyword_parse, stakeholder_keyword_handle
from sampark.public.models import (
    Delivery,
    JoinedVia,
    MemberEventKind,
    StakeholderGroup,
    StakeholderMember,
    StakeholderMemberEvent,
)

pytestmark = pytest.mark.django_db

MOBILE = "+919839055555"


def _handle(text: str, *, mobile: str = MOBILE, channel: str = "sms") -> str:
    return stakeholder_keyword_handle(mobile=mobile, text=text, channel=channel).text


def _nothing_changed() -> None:
    assert not StakeholderMember.objects.exists()
    assert not StakeholderMemberEvent.objects.exists()
    assert not StakeholderGroup.objects.exists()
    assert not Notification.objects.exists()


# Parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action", "rest", "role", "said_in"),
    [
        ("JOIN Lucknow Central", Action.JOIN, "Lucknow Central", None, "en"),
        ("join z-lko patrakar", Action.JOIN, "z-lko", "journalist", "en"),
        ("जुड़ें LUCKNOW CENTRAL पत्रकार", Action.JOIN, "LUCKNOW CENTRAL", "journalist", "hi"),
        ("जुडें Z-LKO", Action.JOIN, "Z-LKO", None, "hi"),  # without the nukta
        ("Juden Z-LKO neta", Action.JOIN, "Z-LKO", "public_representative", "hi"),
        ("  leave  ", Action.LEAVE, "", None, "en"),
        ("STOP", Action.LEAVE, "", None, "en"),
        ("छोड़ें", Action.LEAVE, "", None, "hi"),
        ("LEAVE MEERUT I", Action.LEAVE, "MEERUT I", None, "en"),
        ("digest", Action.DIGEST, "", None, "en"),
        ("सार", Action.DIGEST, "", None, "hi"),
        ("INSTANT", Action.INSTANT, "", None, "en"),
        ("तुरंत", Action.INSTANT, "", None, "hi"),
        ("help", Action.HELP, "", None, "en"),
    ],
)
def test_keywords_are_understood_in_hindi_and_english(text, action, rest, role, said_in):
    command = keyword_parse(text)
    assert (command.action, command.rest, command.role, command.said_in) == (
        action,
        rest,
        role,
        said_in,
    )


def test_language_word_after_the_zone_chooses_the_language():
    command = keyword_parse("JOIN Z-LKO journalist hindi")
    assert (command.rest, command.role, command.language) == ("Z-LKO", "journalist", "hi")


@pytest.mark.parametrize("text", ["", "hello", "bijli kab aayegi", "बिजली कब आएगी"])
def test_anything_else_is_not_understood(text):
    assert keyword_parse(text).action is Action.HELP


# Joining ----------------------------------------------------------------------------------


def test_join_in_hindi_over_whatsapp(net):
    reply = _handle("जुड़ें LUCKNOW CENTRAL पत्रकार", channel="whatsapp")

    member = StakeholderMember.objects.get()
    assert member.group.zone == net.zone
    assert (member.mobile, member.role, member.language, member.channel) == (
        MOBILE,
        "journalist",
        "hi",
        "whatsapp",
    )
    assert member.delivery == Delivery.IMMEDIATE and member.active
    assert member.joined_via == JoinedVia.KEYWORD and member.verified_at is not None
    assert member.events.get().kind == MemberEventKind.JOINED
    assert "हितधारक समूह में जुड़ गए" in reply and "LUCKNOW CENTRAL" in reply
    assert reply.endswith("-UPPCL 1912")


def test_join_in_english_by_zone_code_in_any_case(net):
    reply = _handle("join z lko")
    member = StakeholderMember.objects.get()
    assert member.group.zone == net.zone and member.language == "en"
    assert member.role == "citizen" and member.channel == "sms"
    assert reply.startswith("You have joined the LUCKNOW CENTRAL stakeholder group")


def test_join_by_hindi_zone_name(net):
    OrgUnit.objects.filter(pk=net.zone.pk).update(name_hi="लखनऊ मध्य")
    reply = _handle("जुड़ें लखनऊ मध्य")
    assert StakeholderMember.objects.get().group.zone == net.zone
    assert "लखनऊ मध्य" in reply


def test_joining_again_keeps_one_membership_and_updates_it(net):
    _handle("JOIN Z-LKO journalist")
    _handle("जुड़ें Z-LKO", channel="whatsapp")

    member = StakeholderMember.objects.get()
    assert (member.role, member.language, member.channel) == ("journalist", "hi", "whatsapp")
    kinds = list(member.events.values_list("kind", flat=True))
    assert kinds == [MemberEventKind.JOINED, MemberEventKind.UPDATED]


# Leaving and delivery ---------------------------------------------------------------------


def test_leave_in_english_replies_in_the_members_language(net):
    _handle("जुड़ें Z-LKO")
    reply = _handle("LEAVE")

    member = StakeholderMember.objects.get()
    assert not member.active and member.left_at is not None
    assert member.events.last().kind == MemberEventKind.LEFT
    assert "हितधारक समूह से हट गए" in reply


def test_leave_in_hindi(net):
    _handle("JOIN Z-LKO")
    reply = _handle("छोड़ें हिंदी")
    assert not StakeholderMember.objects.get().active
    assert "हट गए" in reply


def test_leave_one_zone_keeps_the_other(net):
    _handle("JOIN Z-LKO")
    _handle("JOIN MEERUT I")
    reply = _handle("LEAVE MEERUT I")

    active = StakeholderMember.objects.filter(active=True)
    assert [m.group.zone.code for m in active] == ["Z-LKO"]
    assert reply.startswith("You have left the MEERUT I stakeholder group")


def test_leave_without_zone_leaves_every_group(net):
    _handle("JOIN Z-LKO")
    _handle("JOIN Z-MRT")
    _handle("STOP")
    assert not StakeholderMember.objects.filter(active=True).exists()


def test_rejoining_after_leaving_makes_a_new_membership(net):
    _handle("JOIN Z-LKO")
    _handle("LEAVE")
    _handle("JOIN Z-LKO")
    assert StakeholderMember.objects.count() == 2
    assert StakeholderMember.objects.filter(active=True).count() == 1


def test_digest_and_instant_switch_delivery(net):
    _handle("जुड़ें Z-LKO")
    reply = _handle("सार")
    member = StakeholderMember.objects.get()
    assert member.delivery == Delivery.DIGEST
    assert "20:00" in reply and "सार" in reply

    reply = _handle("INSTANT")
    member.refresh_from_db()
    assert member.delivery == Delivery.IMMEDIATE
    assert "तुरंत" in reply  # still the member's language

    # Joining again does not undo the choice.
    _handle("DIGEST")
    _handle("JOIN Z-LKO")
    member.refresh_from_db()
    assert member.delivery == Delivery.DIGEST


# Bad keywords: a helpful reply and nothing changes ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", "JOIN"),
        ("", "JOIN"),
        ("बिजली कब आएगी", "जुड़ें"),
        ("JOIN", "Add the zone's name, e.g. JOIN LUCKNOW CENTRAL"),
        ("जुड़ें", "ज़ोन का नाम भी भेजें"),
        ("JOIN Atlantis", "No zone called 'Atlantis'"),
        ("जुड़ें अटलांटिस", "ज़ोन नहीं मिला"),
        ("LEAVE", "You are not in any stakeholder group"),
        ("छोड़ें", "आप किसी हितधारक समूह में नहीं हैं"),
        ("DIGEST", "You are not in any stakeholder group"),
    ],
)
def test_bad_keywords_get_help_and_change_nothing(net, text, expected):
    reply = _handle(text)
    assert expected in reply
    _nothing_changed()


def test_leaving_a_zone_one_is_not_in_changes_nothing(net):
    _handle("JOIN Z-LKO")
    reply = _handle("LEAVE MEERUT I")
    assert reply.startswith("You are not in the MEERUT I stakeholder group")
    assert StakeholderMember.objects.get().active


def test_bad_mobile_or_channel_is_refused(net):
    with pytest.raises(ValidationFailed) as caught:
        stakeholder_keyword_handle(mobile="12345", text="JOIN Z-LKO", channel="sms")
    assert "mobile" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        stakeholder_keyword_handle(mobile=MOBILE, text="JOIN Z-LKO", channel="telegram")
    assert "channel" in caught.value.fields
    _nothing_changed()
