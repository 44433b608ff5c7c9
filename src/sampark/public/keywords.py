"""Joining and leaving by SMS/WhatsApp keyword.

    JOIN <zone code or name> [role] [language]   जुड़ें <ज़ोन> [भूमिका]   (JUDEN, JODO ...)
    LEAVE [zone]      STOP   छोड़ें   CHHODEN     leave one zone's group, or every group
    DIGEST [zone]     सार    SAAR                 one daily digest instead of every bulletin
    INSTANT [zone]    तुरंत   TURANT               every bulletin as it happens
    HELP              मदद    MADAD                what to send

`stakeholder_keyword_handle` is what the inbound SMS/WhatsApp webhooks (sampark.channels) call: it
acts and returns the reply to send back, a `KeywordReply` naming a registered template (every
reply is DLT-registrable). Anything it does not understand gets the help text and changes nothing.
The reply is in the language the sender used (Devanagari or a romanised Hindi keyword: Hindi; an
English keyword: English), or the one they chose as a member, or a language word in the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from django.conf import settings
from django.db import transaction

from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.network.models import OrgUnit
from sampark.notifications.templates import template_render

from .members import (
    choices_check,
    stakeholder_group_ensure,
    stakeholder_member_join,
    stakeholder_member_leave,
    stakeholder_member_update,
)
from .models import Delivery, JoinedVia, StakeholderMember, StakeholderRole
from .normalize import has_devanagari, text_key
from .selectors import memberships_active, zone_example, zone_find


class Action(Enum):
    JOIN = "join"
    LEAVE = "leave"
    DIGEST = "digest"
    INSTANT = "instant"
    HELP = "help"


def _keys(*words: str) -> frozenset[str]:
    return frozenset(text_key(word) for word in words)


# First word -> action; (English words, romanised Hindi and Devanagari words).
ACTION_WORDS: dict[Action, tuple[frozenset[str], frozenset[str]]] = {
    Action.JOIN: (
        _keys("join", "subscribe"),
        _keys("juden", "jude", "judo", "judna", "jodo", "joden", "जुड़ें", "जुड़े", "जुड़ो", "जोड़ें", "जोड़ो"),
    ),
    Action.LEAVE: (
        _keys("leave", "stop", "unsubscribe", "exit"),
        _keys("chhoden", "chhodo", "chhode", "choden", "chodo", "छोड़ें", "छोड़े", "छोड़ो", "हटें"),
    ),
    Action.DIGEST: (
        _keys("digest", "daily"),
        _keys("saar", "saransh", "dainik", "सार", "सारांश", "दैनिक"),
    ),
    Action.INSTANT: (
        _keys("instant", "immediate"),
        _keys("turant", "तुरंत", "तुरन्त"),
    ),
    Action.HELP: (
        _keys("help", "info"),
        _keys("madad", "sahayata", "मदद", "सहायता"),
    ),
}

ROLE_WORDS: dict[str, frozenset[str]] = {
    StakeholderRole.CITIZEN: _keys("citizen", "nagrik", "नागरिक"),
    StakeholderRole.JOURNALIST: _keys(
        "journalist", "press", "media", "reporter", "patrakar", "पत्रकार", "मीडिया", "प्रेस"
    ),
    StakeholderRole.PUBLIC_REPRESENTATIVE: _keys(
        *("representative", "neta", "mla", "mp", "pradhan", "parshad", "councillor"),
        *("जनप्रतिनिधि", "प्रतिनिधि", "नेता", "विधायक", "सांसद", "प्रधान", "पार्षद"),
    ),
    StakeholderRole.OFFICER: _keys("officer", "adhikari", "अधिकारी"),
}
LANGUAGE_WORDS: dict[str, frozenset[str]] = {
    Language.HINDI: _keys("hindi", "हिंदी", "हिन्दी"),
    Language.ENGLISH: _keys("english", "angrezi", "अंग्रेजी", "अंग्रेज़ी", "इंग्लिश"),
}


@dataclass(frozen=True)
class Command:
    action: Action
    rest: str = ""  # the zone as typed (JOIN, LEAVE, DIGEST, INSTANT)
    role: str | None = None
    language: str | None = None  # chosen with a language word
    said_in: str | None = None  # the language of the keyword itself; None: not understood


def keyword_parse(text: str) -> Command:
    """'JOIN Lucknow Central patrakar' -> JOIN, zone 'Lucknow Central', journalist."""
    words = (text or "").split()
    if not words:
        return Command(Action.HELP)
    first = text_key(words[0])
    matches = [
        (action, Language.ENGLISH if first in english else Language.HINDI)
        for action, (english, hindi) in ACTION_WORDS.items()
        if first in english or first in hindi
    ]
    if not matches:
        return Command(Action.HELP, said_in=Language.HINDI if has_devanagari(text) else None)
    action, said_in = matches[0]
    rest, role, language = list(words[1:]), None, None
    # Role and language words may follow the zone, in either order.
    while rest:
        last = text_key(rest[-1])
        found_role = next((r for r, keys in ROLE_WORDS.items() if last in keys), None)
        found_language = next((lang for lang, keys in LANGUAGE_WORDS.items() if last in keys), None)
        if found_role and role is None:
            role = found_role
        elif found_language and language is None:
            language = found_language
        else:
            break
        rest.pop()
    return Command(action, " ".join(rest), role=role, language=language, said_in=said_in)


def _reply_language(command: Command, members: list[StakeholderMember]) -> str:
    if command.language:
        return command.language
    if command.action is not Action.JOIN and members:
        return members[0].language
    return command.said_in or Language.HINDI


@dataclass(frozen=True)
class KeywordReply:
    """The reply to a keyword message: a registered template, so SMS replies are DLT-compliant.

    The inbound webhooks queue it with `notification_enqueue`; `text` is what it says."""

    template_key: str
    language: str
    variables: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return template_render(
            key=self.template_key, language=self.language, variables=self.variables
        ).text


def stakeholder_keyword_handle(*, mobile: str, text: str, channel: str) -> KeywordReply:
    """Act on a keyword message from `mobile` received over `channel` (sms or whatsapp) and
    return the reply to send back. A message it does not understand changes nothing."""
    mobile = mobile_to_e164(mobile)
    choices_check(channel=channel)
    command = keyword_parse(text)
    with transaction.atomic():
        members = list(memberships_active(mobile=mobile).select_for_update(of=("self",)))
        language = _reply_language(command, members)
        if command.action is Action.JOIN:
            return _join(command, mobile=mobile, channel=channel, language=language)
        if command.action is Action.HELP:
            return KeywordReply("stakeholder_help", language, {"example": zone_example()})
        if not members:
            return KeywordReply("stakeholder_not_member", language)
        chosen = members
        if command.rest:
            zone = zone_find(text=command.rest)
            chosen = [m for m in members if zone is not None and m.group.zone_id == zone.pk]
            if not chosen:
                shown = zone.name_in(language) if zone else command.rest[:40]
                return KeywordReply("stakeholder_not_in_zone", language, {"zone": shown})
        zones = ", ".join(m.group.zone.name_in(language) for m in chosen)
        if command.action is Action.LEAVE:
            for member in chosen:
                stakeholder_member_leave(member=member, via=JoinedVia.KEYWORD, note=text)
            return KeywordReply("stakeholder_left", language, {"zone": zones})
        delivery = Delivery.DIGEST if command.action is Action.DIGEST else Delivery.IMMEDIATE
        for member in chosen:
            stakeholder_member_update(member=member, via=JoinedVia.KEYWORD, delivery=delivery)
        if delivery == Delivery.DIGEST:
            hour = f"{settings.SAMPARK_STAKEHOLDER_DIGEST_HOUR:02d}"
            return KeywordReply(
                "stakeholder_digest_chosen", language, {"zone": zones, "hour": hour}
            )
        return KeywordReply("stakeholder_instant_chosen", language, {"zone": zones})


def _join(command: Command, *, mobile: str, channel: str, language: str) -> KeywordReply:
    if not command.rest:
        return KeywordReply("stakeholder_zone_missing", language, {"example": zone_example()})
    zone: OrgUnit | None = zone_find(text=command.rest)
    if zone is None:
        variables = {"text": command.rest[:40], "example": zone_example()}
        return KeywordReply("stakeholder_zone_unknown", language, dict(variables))
    group = stakeholder_group_ensure(zone=zone)
    existing = memberships_active(mobile=mobile).filter(group=group).first()
    stakeholder_member_join(
        group=group,
        mobile=mobile,
        via=JoinedVia.KEYWORD,
        role=command.role or (existing.role if existing else StakeholderRole.CITIZEN),
        language=language,
        channel=channel,
        delivery=existing.delivery if existing else Delivery.IMMEDIATE,
    )
    return KeywordReply("stakeholder_joined", language, {"zone": zone.name_in(language)})
