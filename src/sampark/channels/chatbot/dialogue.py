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

import unicodedata
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from sampark.complaints.models import Category
from sampark.core import clock
from sampark.core.models import Language
from sampark.public.normalize import has_devanagari, text_key

from ..models import Conversation, Handover
from . import actions, closure, commands, identity, mobile, rating, states
from .nlu import nlu_classify
from .replies import (
    MENU,
    Reply,
    agent_or_menu,
    category_menu,
    menu_reply,
    yes_no,
)
from .words import CATEGORY_FOR_INTENT, CONTROL, DIGITS, MAX_TEXT, MENU_WORDS, MISSES_BEFORE_AGENT


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
        Step(conversation, turn).run(text)
        for reply in turn.replies:
            reply.text = reply.text.strip()
            reply.language = reply.language or conversation.language
        offered = [key for reply in turn.replies for key, _title in reply.options]
        conversation.context["offered"] = offered
        return turn


class Step:
    """One message's trip through the engine."""

    def __init__(self, conversation: Conversation, turn: Turn) -> None:
        self.c = conversation
        self.turn = turn
        self.context = conversation.context

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

    def run(self, raw: str) -> None:
        text = CONTROL.sub("", unicodedata.normalize("NFC", raw or "")).strip()
        identity.recognise(self)
        # Whoever writes in Devanagari reads it; an explicit choice of English still holds.
        chosen = self.context.get("language_chosen")
        if has_devanagari(text) and self.c.language != Language.HINDI and not chosen:
            self.c.language = Language.HINDI
            translation.activate(Language.HINDI)
        if self.c.handover != Handover.NONE:
            self.handed_over(text)
            return
        if not text:
            self.miss(_("I can read only text messages. Please write your problem in words."))
            return
        if len(text) > MAX_TEXT:
            self.say(_("Your message is too long for me. Please write the problem in a few lines."))
            return
        if rating.given(self, text):  # "4 polite lineman" after a rating request by SMS
            return
        text = self.option_chosen(text)
        if (
            commands.command(self, text)
            or mobile.handled(self, text)
            or closure.code_sent(self, text)
            or states.expected(self, text)
            or closure.answered(self, text)
        ):
            return
        self.understand(text)

    def option_chosen(self, text: str) -> str:
        """A tapped option arrives as its id; on plain-text channels people send its number."""
        offered = self.context.get("offered") or []
        number = text.translate(DIGITS)
        if number.isdigit() and offered and self.c.state != "ask_rating":
            index = int(number) - 1
            if 0 <= index < len(offered):
                return str(offered[index])
        return text

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
                if identity.identify_by_account(self, str(account)):
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
        elif choice == "mobile_register":
            mobile.start(self)
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
        if not identity.identified(self, pending=pending) or not identity.mobile_known_for(
            self, pending
        ):
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
            if self.c.mobile and identity.identified(self, pending=pending):
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
        if not identity.mobile_known_for(self, pending):
            return
        self.complaint_now(category=Category.SAFETY_HAZARD)
        self.context.pop("safety_told", None)

    def outage_info(self) -> None:
        if not identity.identified(self, pending={"do": "outage_info"}):
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
