"""The dialogue engine: one message in, the bot's replies out, the same on every channel.

The conversation row holds the state between messages: `state` names what the bot is waiting
for ("" for nothing in particular), `context` the facts gathered so far (the pending request,
the complaint in question, the options last offered). Each message goes through, in order:

1. cleaning (empty, binary, over-long), a chosen option (its id, or its number on plain-text
   channels), commands that work anywhere (menu, language, agent, STOP/START, stakeholder
   keywords, NOPOWER <account>, STATUS <number>);
2. the answer the current state expects (an account number, yes/no, a rating...);
3. otherwise the NLU's intent. Below the confidence threshold, or out of scope, the bot offers
   the short menu; after two misses in a row it offers an agent, so nobody is stuck in a loop.

The engine never raises for anything the user sends; domain errors become polite replies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from sampark.complaints.models import Category
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_by_account
from sampark.consumers.services import consumers_consent_set
from sampark.core import clock
from sampark.core.errors import SamparkError
from sampark.core.models import Language
from sampark.core.phones import mobile_to_e164
from sampark.public.keywords import Action as StakeholderAction
from sampark.public.keywords import keyword_parse, stakeholder_keyword_handle
from sampark.public.normalize import text_key
from sampark.public.selectors import memberships_active

from ..models import ChatChannel, Conversation, Handover
from . import actions
from .nlu import nlu_classify
from .replies import (
    AGENT,
    MENU,
    NO,
    NO_ACCOUNT,
    YES,
    Reply,
    agent_or_menu,
    category_menu,
    menu_reply,
    yes_no,
)

MAX_TEXT = 4096
MISSES_BEFORE_AGENT = 2
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")

CATEGORY_FOR_INTENT = {
    "no_supply": Category.NO_SUPPLY,
    "voltage": Category.VOLTAGE_FLUCTUATION,
    "transformer": Category.DT_FAILURE,
    "line_fault": Category.LINE_BREAKDOWN,
    "safety_hazard": Category.SAFETY_HAZARD,
    "billing": Category.BILL_READING,
    "meter": Category.METER,
    "new_connection": Category.NEW_CONNECTION,
}
MOBILE_CHANNELS = (ChatChannel.WHATSAPP, ChatChannel.SMS)


def _words(*words: str) -> frozenset[str]:
    return frozenset(text_key(word) for word in words)


MENU_WORDS = _words("menu", "मेनू", "मेन्यू", "start over", "restart", "help", "मदद", "madad", "0")
AGENT_WORDS = _words("agent", "एजेंट")
LANGUAGE_WORDS = {
    Language.HINDI: _words("hindi", "हिंदी", "हिन्दी"),
    Language.ENGLISH: _words("english", "angrezi", "अंग्रेजी", "अंग्रेज़ी", "इंग्लिश"),
}
NO_POWER_COMMANDS = _words("nopower", "nosupply", "बिजलीनहीं", "bijlinahi", "बिजली")
STATUS_COMMANDS = _words("status", "स्थिति", "sthiti", "स्टेटस")
STOP_COMMANDS = _words("stop", "बंद", "band", "रोकें")
START_COMMANDS = _words("start", "शुरू", "shuru", "चालू")
SKIP_ACCOUNT_WORDS = _words("no account", "pata nahi", "पता नहीं", "nahi pata", "dont know")


@dataclass
class Turn:
    """The outcome of one message: the replies and what the NLU made of it (for the log)."""

    replies: list[Reply] = field(default_factory=list)
    intent: str = ""
    confidence: float | None = None


def dialogue_handle(*, conversation: Conversation, text: str) -> Turn:
    """Answer one message; mutates `conversation` (the caller saves it)."""
    with translation.override(conversation.language):
        turn = Turn()
        _Step(conversation, turn).run(text)
        for reply in turn.replies:
            reply.text = reply.text.strip()
            reply.language = reply.language or conversation.language
        offered = [key for reply in turn.replies for key, _title in reply.options]
        conversation.context["offered"] = offered
        return turn


class _Step:
    """One message's trip through the engine."""

    def __init__(self, conversation: Conversation, turn: Turn) -> None:
        self.c = conversation
        self.turn = turn
        self.context = conversation.context

    # --- plumbing ----------------------------------------------------------------------

    def say(self, text: str, options: list[tuple[str, str]] | None = None) -> None:
        self.add(Reply(text, options or []))

    def add(self, reply: Reply) -> None:
        reply.language = reply.language or translation.get_language() or self.c.language
        self.turn.replies.append(reply)

    def wait(self, state: str) -> None:
        self.c.state = state

    def done(self) -> None:
        self.c.state = ""
        self.c.misses = 0
        self.context.pop("pending", None)

    def menu(self, text: str | None = None) -> None:
        self.add(menu_reply(language=self.c.language, text=text))

    def language_set(self, language: str) -> None:
        self.c.language = language
        self.context["language_chosen"] = True
        translation.activate(language)

    # --- entry -------------------------------------------------------------------------

    def run(self, raw: str) -> None:
        text = CONTROL.sub("", unicodedata.normalize("NFC", raw or "")).strip()
        self.recognise()
        if self.c.handover != Handover.NONE:
            self.handed_over(text)
            return
        if not text:
            self.miss(_("I can read only text messages. Please write your problem in words."))
            return
        if len(text) > MAX_TEXT:
            self.say(_("Your message is too long for me. Please write the problem in a few lines."))
            return
        text = self.option_chosen(text)
        if self.command(text) or self.expected(text):
            return
        self.understand(text)

    def recognise(self) -> None:
        """On WhatsApp and SMS the number is the user's: a consumer registered on it alone is
        known from the first message (several on one number are asked which, when it matters)."""
        if (
            self.c.consumer is not None
            or self.c.channel not in MOBILE_CHANNELS
            or not self.c.mobile
        ):
            return
        if self.context.get("mobile_looked_up"):
            return
        self.context["mobile_looked_up"] = True
        found = list(Consumer.objects.filter(mobile=self.c.mobile).order_by("id")[:10])
        if len(found) == 1:
            self.consumer_set(found[0], verified=True)
        elif found:
            self.context["accounts"] = [
                (f"acct:{c.account_number}", f"…{c.account_number[-4:]} {c.name[:14]}")
                for c in found
            ]

    def option_chosen(self, text: str) -> str:
        """A tapped option arrives as its id; on plain-text channels people send its number."""
        offered = self.context.get("offered") or []
        number = text.translate(DIGITS)
        if number.isdigit() and offered and self.c.state != "ask_rating":
            index = int(number) - 1
            if 0 <= index < len(offered):
                return str(offered[index])
        return text

    # --- commands that work in any state ------------------------------------------------

    def command(self, text: str) -> bool:
        key = text_key(text)
        first = text_key(text.split()[0]) if text.split() else ""
        if text.startswith("lang:") or any(key in words for words in LANGUAGE_WORDS.values()):
            chosen = (
                text.removeprefix("lang:")
                if text.startswith("lang:")
                else next(lang for lang, words in LANGUAGE_WORDS.items() if key in words)
            )
            if chosen in Language.values:
                self.language_set(chosen)
                said = (
                    _("I will write in English.") if chosen == "en" else _("I will write in Hindi.")
                )
                self.menu(
                    said + " " + _("How can I help? Choose below or just write your problem.")
                )
                return True
        if text == MENU or key in MENU_WORDS:
            self.done()
            self.menu()
            return True
        if text == AGENT or key in AGENT_WORDS or text == "menu:human_agent":
            self.handover(reason="asked for an agent")
            return True
        if text.startswith("menu:"):
            self.done()
            self.menu_choice(text.removeprefix("menu:"))
            return True
        if text.startswith("cat:"):
            self.done()
            category = text.removeprefix("cat:")
            if category in Category.values:
                self.request_complaint(category=category, description="")
            else:
                self.menu()
            return True
        if self.c.channel in MOBILE_CHANNELS and self.c.mobile:
            if first in STOP_COMMANDS and len(text.split()) == 1:
                self.consent(granted=False)
                return True
            if first in START_COMMANDS and len(text.split()) == 1:
                self.consent(granted=True)
                return True
            if self.stakeholder_keyword(text):
                return True
        rest = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
        if first in NO_POWER_COMMANDS and rest:
            found = nlu_entities(rest)
            if "account_number" in found:
                self.done()
                self.context["description"] = text[:1000]
                if self.identify_by_account(str(found["account_number"])):
                    self.complaint_now(category=Category.NO_SUPPLY)
                return True
        if first in STATUS_COMMANDS and rest:
            found = nlu_entities(rest)
            if "complaint_number" in found:
                self.done()
                self.status(number=str(found["complaint_number"]))
                return True
        return False

    def stakeholder_keyword(self, text: str) -> bool:
        """Zone-group keywords (JOIN, LEAVE, DIGEST, INSTANT) for stakeholders on SMS/WhatsApp."""
        command = keyword_parse(text)
        if command.said_in is None or command.action is StakeholderAction.HELP:
            return False
        if (
            command.action is not StakeholderAction.JOIN
            and not memberships_active(mobile=self.c.mobile or "").exists()
        ):
            return False
        try:
            reply = stakeholder_keyword_handle(
                mobile=self.c.mobile or "", text=text, channel=self.c.channel
            )
        except SamparkError as error:
            self.say(error.text())
            return True
        self.add(
            Reply(
                reply.text,
                template_key=reply.template_key,
                variables=reply.variables,
                language=reply.language,
            )
        )
        return True

    def consent(self, *, granted: bool) -> None:
        mobile = self.c.mobile or ""
        consumers_consent_set(mobile=mobile, channel=self.c.channel, granted=granted)
        if not granted and memberships_active(mobile=mobile).exists():
            left = stakeholder_keyword_handle(mobile=mobile, text="STOP", channel=self.c.channel)
            self.add(
                Reply(
                    left.text,
                    template_key=left.template_key,
                    variables=left.variables,
                    language=left.language,
                )
            )
        if granted:
            self.say(_("You will get outage and restoration messages on this number again."))
        else:
            self.say(
                _(
                    "You will no longer get outage messages on this number. Send START to "
                    "get them again. You can still write to us any time."
                )
            )
        self.done()

    # --- answers the current state expects ---------------------------------------------

    def expected(self, text: str) -> bool:
        state = self.c.state
        if not state:
            return False
        entities = nlu_entities(text)
        handler = getattr(self, f"on_{state}", None)
        if handler is None:
            self.done()
            return False
        return bool(handler(text, entities))

    def on_choose_account(self, text: str, entities: dict[str, object]) -> bool:
        account = (
            text.removeprefix("acct:")
            if text.startswith("acct:")
            else entities.get("account_number")
        )
        if account is None:
            return self.not_expected(
                _("Please choose one of your connections."), list(self.context.get("accounts", []))
            )
        choices = [pair[0].removeprefix("acct:") for pair in self.context.get("accounts", [])]
        if str(account) not in choices:
            return self.not_expected(
                _("Please choose one of your connections."), list(self.context.get("accounts", []))
            )
        consumer = consumer_by_account(account_number=str(account))
        self.consumer_set(consumer, verified=True)
        self.resume()
        return True

    def on_ask_account(self, text: str, entities: dict[str, object]) -> bool:
        if text == NO_ACCOUNT or text_key(text) in SKIP_ACCOUNT_WORDS:
            self.ask_location()
            return True
        account = entities.get("account_number")
        if account is None:
            return self.not_expected(
                _("Please send your 10-digit account number; it is printed on your bill."),
                [(NO_ACCOUNT, _("I don't have it"))],
            )
        if self.identify_by_account(str(account)):
            self.resume()
        return True

    def on_ask_mobile(self, text: str, entities: dict[str, object]) -> bool:
        raw = entities.get("mobile") or entities.get("account_number") or text
        try:
            mobile = mobile_to_e164(str(raw))
        except SamparkError:
            return self.not_expected(_("Please send a 10-digit mobile number."))
        self.c.mobile = mobile
        consumer = self.c.consumer
        if consumer is not None:
            self.c.verified = mobile in (consumer.mobile, consumer.alt_mobile)
            if not self.c.verified:
                self.say(
                    _(
                        "This mobile is not the one registered on the account, so I will not "
                        "show the account's details; I can still register a complaint and tell "
                        "you about the supply."
                    )
                )
        self.resume()
        return True

    def on_ask_location(self, text: str, entities: dict[str, object]) -> bool:
        account = entities.get("account_number")
        if account is not None:
            if self.identify_by_account(str(account)):
                self.resume()
            return True
        if len(text) < 3:
            return self.not_expected(_("Please write the place: street, locality or village."))
        self.context["location"] = text[:300]
        self.resume()
        return True

    def on_confirm_complaint(self, text: str, entities: dict[str, object]) -> bool:
        answer = self.yes_no(text, entities)
        if answer is None:
            return self.not_expected(_("Shall I register it? Please answer yes or no."), yes_no())
        category = str(self.context.get("category", Category.OTHER))
        self.done()
        if answer:
            self.complaint_now(category=category)
        else:
            self.menu(_("All right, I have not registered anything."))
        return True

    def on_offer_register(self, text: str, entities: dict[str, object]) -> bool:
        answer = self.yes_no(text, entities)
        if answer is None:
            return False  # a new request instead: let the NLU read it
        self.done()
        if answer:
            self.complaint_now(category=Category.NO_SUPPLY)
        else:
            self.menu()
        return True

    def on_ask_category(self, text: str, entities: dict[str, object]) -> bool:
        return False  # the menu's options are commands; free text goes to the NLU

    def on_ask_complaint_number(self, text: str, entities: dict[str, object]) -> bool:
        number = entities.get("complaint_number")
        if number is None:
            return self.not_expected(
                _("Please send the complaint number, for example %(example)s.")
                % {"example": "MV-261128-00042"}
            )
        self.done()
        if self.context.pop("for_compensation", False):
            self.add(actions.compensation_claim(self.c, number=str(number)))
        else:
            self.status(number=str(number))
        return True

    def on_confirm_resolution(self, text: str, entities: dict[str, object]) -> bool:
        answer = self.yes_no(text, entities)
        if answer is None:
            return self.not_expected(
                _("Is your problem solved? Please answer yes or no."), yes_no()
            )
        reply, state = actions.resolution_answer(self.c, confirmed=answer)
        self.done()
        self.add(reply)
        self.wait(state)
        return True

    def on_ask_rating(self, text: str, entities: dict[str, object]) -> bool:
        rating = entities.get("rating")
        if text.startswith("rate:") and text[5:].isdigit():
            rating = int(text[5:])
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            self.done()
            return False  # not a rating: they moved on
        self.done()
        self.add(actions.rating_record(self.c, rating=rating))
        return True

    def on_offer_agent(self, text: str, entities: dict[str, object]) -> bool:
        answer = self.yes_no(text, entities)
        if answer is None:
            return False
        self.done()
        if answer:
            self.handover(reason="the bot could not understand")
        else:
            self.menu()
        return True

    def not_expected(self, prompt: str, options: list[tuple[str, str]] | None = None) -> bool:
        """The answer did not fit: ask again once, then offer an agent instead of looping."""
        self.c.misses += 1
        if self.c.misses >= MISSES_BEFORE_AGENT:
            self.done()
            self.c.misses = MISSES_BEFORE_AGENT
            self.offer_agent()
            return True
        self.say(prompt, options)
        return True

    def yes_no(self, text: str, entities: dict[str, object]) -> bool | None:
        if text in (YES, NO):
            return text == YES
        answer = entities.get("yes_no")
        return None if answer is None else answer == "yes"

    # --- understanding a free message ----------------------------------------------------

    def understand(self, text: str) -> None:
        prediction = nlu_classify(text)
        self.turn.intent = prediction.intent
        self.turn.confidence = prediction.confidence
        entities = prediction.entities
        if entities.get("abusive"):
            self.miss(
                _(
                    "Please keep the conversation respectful. I am here to help with your "
                    "electricity problems."
                )
            )
            return
        number = entities.get("complaint_number")
        if not prediction.confident or prediction.intent == "out_of_scope":
            if number:
                self.status(number=str(number))
                return
            account = entities.get("account_number")
            if account and self.c.consumer is None:
                if self.identify_by_account(str(account)):
                    self.menu(_("Thank you, I have your connection. What is the problem?"))
                return
            self.miss(
                _(
                    "Sorry, I did not understand that. I can help with power cuts, "
                    "complaints, bills and meters."
                )
            )
            return
        self.c.misses = 0
        if entities.get("account_number") and self.c.consumer is None:
            self.context["account_hint"] = entities["account_number"]
        self.intent(prediction.intent, text=text, number=str(number) if number else None)

    def intent(self, intent: str, *, text: str, number: str | None) -> None:
        if intent == "greeting":
            self.greet()
        elif intent == "thanks":
            self.say(_("You are welcome. Write to us any time; for emergencies call 1912."))
        elif intent == "human_agent":
            self.handover(reason="asked for an agent")
        elif intent == "complaint_status":
            self.status(number=number)
        elif intent == "compensation":
            self.compensation(number=number)
        elif intent == "outage_info":
            self.outage_info()
        elif intent == "safety_hazard":
            self.hazard(description=text)
        elif intent in CATEGORY_FOR_INTENT:
            self.request_complaint(category=CATEGORY_FOR_INTENT[intent], description=text)
        else:
            self.menu()

    def menu_choice(self, choice: str) -> None:
        if choice == "other":
            self.say(_("What is the problem? Choose one:"), category_menu())
            self.wait("ask_category")
        elif choice in CATEGORY_FOR_INTENT or choice in (
            "outage_info",
            "complaint_status",
            "human_agent",
        ):
            self.intent(choice, text="", number=None)
        else:
            self.menu()

    def miss(self, text: str) -> None:
        self.c.misses += 1
        if self.c.misses >= MISSES_BEFORE_AGENT:
            self.offer_agent()
            return
        self.menu(text)

    def offer_agent(self) -> None:
        self.say(
            _("I am sorry I could not help. Would you like to talk to a 1912 agent?"),
            agent_or_menu(),
        )
        self.wait("offer_agent")

    def greet(self) -> None:
        consumer = self.c.consumer if self.c.verified else None
        if consumer is not None:
            text = _("Namaste %(name)s! I am the 1912 electricity helpline assistant.") % {
                "name": consumer.name.split()[0]
            }
        else:
            text = _("Namaste! I am the 1912 electricity helpline assistant.")
        self.menu(text + " " + _("How can I help? Choose below or just write your problem."))

    # --- identification --------------------------------------------------------------------

    def consumer_set(self, consumer: Consumer, *, verified: bool) -> None:
        self.c.consumer = consumer
        self.c.verified = verified
        self.c.org_unit_id = consumer.subdivision_id
        if not self.context.get("language_chosen"):
            self.c.language = consumer.language
            translation.activate(consumer.language)

    def identify_by_account(self, account: str) -> bool:
        try:
            consumer = consumer_by_account(account_number=account)
        except SamparkError:
            self.not_expected(
                _(
                    "No connection has account number %(account)s. Please check the 10 digits "
                    "on your bill."
                )
                % {"account": account},
                [(NO_ACCOUNT, _("I don't have it"))],
            )
            if self.c.state == "":
                return False
            self.wait("ask_account")
            return False
        mobile = self.c.mobile
        self.consumer_set(
            consumer, verified=bool(mobile) and mobile in (consumer.mobile, consumer.alt_mobile)
        )
        if mobile and not self.c.verified:
            self.say(
                _(
                    "This number is not the one registered on account %(account)s, so I will "
                    "not show its details; I can still register a complaint and tell you about "
                    "the supply."
                )
                % {"account": account}
            )
        return True

    def identified(self, *, pending: dict[str, object]) -> bool:
        """Whether we know the user's connection; if not, ask, remembering what they wanted."""
        if self.c.consumer is not None or self.context.get("location"):
            return True
        self.context["pending"] = pending
        accounts = self.context.get("accounts")
        if accounts and self.c.channel in MOBILE_CHANNELS:
            self.say(_("Which connection is it about?"), [tuple(pair) for pair in accounts])
            self.wait("choose_account")
            return False
        hint = self.context.pop("account_hint", None)
        if hint and self.identify_by_account(str(hint)):
            return self.c.consumer is not None and self.mobile_known()
        self.say(
            _("Please send your 10-digit account number (it is on your bill)."),
            [(NO_ACCOUNT, _("I don't have it"))],
        )
        self.wait("ask_account")
        return False

    def mobile_known(self) -> bool:
        if self.c.mobile:
            return True
        self.say(_("Please send your mobile number, so that we can update you on it."))
        self.wait("ask_mobile")
        return False

    def ask_location(self) -> None:
        self.say(
            _(
                "Please write where the problem is: house, street, locality or village, and a "
                "landmark."
            )
        )
        self.wait("ask_location")

    def resume(self) -> None:
        """Carry on with what the user asked for before we had to ask who they are."""
        pending = dict(self.context.get("pending") or {})
        self.c.state = ""
        self.c.misses = 0
        if self.c.consumer is None and not self.context.get("location"):
            self.identified(pending=pending)
            return
        if not self.c.mobile and self.c.channel not in MOBILE_CHANNELS:
            self.context["pending"] = pending
            if not self.mobile_known():
                return
        self.context.pop("pending", None)
        kind = pending.get("do")
        if kind == "complaint":
            self.request_complaint(
                category=str(pending.get("category")),
                description=str(self.context.get("description", "")),
                confirmed=bool(pending.get("confirmed")),
            )
        elif kind == "outage_info":
            self.outage_info()
        elif kind == "hazard":
            self.complaint_now(category=Category.SAFETY_HAZARD)
        else:
            self.menu(_("Thank you. What is the problem?"))

    # --- requests --------------------------------------------------------------------------

    def request_complaint(
        self, *, category: str, description: str, confirmed: bool = False
    ) -> None:
        if description:
            self.context["description"] = description[:1000]
        if category == Category.SAFETY_HAZARD:
            self.hazard(description=description)
            return
        pending: dict[str, object] = {
            "do": "complaint",
            "category": category,
            "confirmed": confirmed,
        }
        if not self.identified(pending=pending) or not self.mobile_known_for(pending):
            return
        outage = (
            actions.outage_covering(self.c.consumer) if category == Category.NO_SUPPLY else None
        )
        label = Category(category).label
        if outage is not None:
            text = (
                actions.outage_text(outage, language=self.c.language)
                + " "
                + _(
                    "Shall I still record your complaint? It will be linked to this outage, so no "
                    "separate lineman visit is needed."
                )
            )
        else:
            text = _("Shall I register a complaint: %(category)s?") % {"category": label}
            if self.c.consumer is not None and self.c.verified:
                text = _("Shall I register a complaint: %(category)s, for account %(account)s?") % {
                    "category": label,
                    "account": self.c.consumer.account_number,
                }
        self.context["category"] = category
        self.say(text, yes_no())
        self.wait("confirm_complaint")

    def mobile_known_for(self, pending: dict[str, object]) -> bool:
        if self.c.mobile or (self.c.consumer is not None and self.c.consumer.mobile):
            return True
        self.context["pending"] = pending
        return self.mobile_known()

    def complaint_now(self, *, category: str) -> None:
        self.add(actions.complaint_file(self.c, category=category))
        self.context.pop("location", None)
        self.context.pop("description", None)
        self.done()

    def hazard(self, *, description: str) -> None:
        """Safety first: the advice goes out before anything is asked."""
        if description:
            self.context["description"] = description[:1000]
        if not self.context.get("safety_told"):
            self.add(actions.safety_advice())
            self.context["safety_told"] = True
        pending: dict[str, object] = {"do": "hazard"}
        if self.c.consumer is None and not self.context.get("location"):
            self.context["pending"] = pending
            if self.c.mobile and self.identified(pending=pending):
                self.complaint_now(category=Category.SAFETY_HAZARD)
                self.context.pop("safety_told", None)
                return
            if self.c.state in ("choose_account",):
                return
            self.say(
                _(
                    "Where is the danger? Write the place and a landmark, or your 10-digit "
                    "account number."
                )
            )
            self.wait("ask_location")
            return
        if not self.mobile_known_for(pending):
            return
        self.complaint_now(category=Category.SAFETY_HAZARD)
        self.context.pop("safety_told", None)

    def outage_info(self) -> None:
        if not self.identified(pending={"do": "outage_info"}):
            return
        reply, known = actions.outage_answer(self.c)
        self.add(reply)
        self.done()
        if not known:
            self.wait("offer_register")

    def status(self, *, number: str | None) -> None:
        if number:
            complaint = actions.complaint_find(number)
            if complaint is None:
                self.say(
                    _("There is no complaint with number %(number)s. Please check it.")
                    % {"number": number}
                )
                self.wait("ask_complaint_number")
                return
            reply, state = actions.complaint_status_reply(self.c, complaint)
            self.add(reply)
            self.wait(state)
            return
        mine = actions.complaints_of(self.c)
        if len(mine) == 1:
            self.status(number=mine[0].number)
            return
        if mine:
            self.say(
                _("Which complaint?"),
                [(f"STATUS {c.number}", f"{c.number}") for c in mine],
            )
            return
        self.say(
            _("Please send the complaint number, for example %(example)s.")
            % {"example": "MV-261128-00042"}
        )
        self.wait("ask_complaint_number")

    def compensation(self, *, number: str | None) -> None:
        if number or actions.complaints_of(self.c) or self.c.verified:
            self.add(actions.compensation_claim(self.c, number=number))
            return
        self.context["for_compensation"] = True
        self.say(_("Please send the number of the complaint that was resolved late."))
        self.wait("ask_complaint_number")

    # --- agents ------------------------------------------------------------------------------

    def handover(self, *, reason: str) -> None:
        self.done()
        self.c.handover = Handover.WAITING
        self.c.handover_at = clock.now()
        self.c.handover_reason = reason[:200]
        if self.c.consumer is not None:
            self.c.org_unit_id = self.c.consumer.subdivision_id
        self.say(
            _(
                "I am passing this conversation to a 1912 agent, who will reply here. For an "
                "emergency, call 1912."
            )
        )

    def handed_over(self, text: str) -> None:
        """With an agent (or waiting for one) the bot stays quiet, except when asked back."""
        if text == MENU or text_key(text) in MENU_WORDS:
            self.c.handover = Handover.NONE
            self.c.agent = None
            self.done()
            self.menu()


def nlu_entities(text: str) -> dict[str, object]:
    from .nlu.entities import entities_extract

    return entities_extract(text)
