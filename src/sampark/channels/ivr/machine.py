"""The 1912 IVR as a state machine that knows no telephony provider.

`start` and `step` take the call's `Session` (state name, context, consecutive failures) and
the caller's keys, move the session to its next state and return what to do next as
provider-neutral actions: `Say(text, language)`, `Gather(num_digits, timeout, finish_on_key)`,
`Enqueue(queue)`, `Hangup()`. The renderers (twiml.py, plivo.py, exotel.py) turn those into
each provider's format; services.py stores the session on the call row.

What the machine needs to know or do on the domain (who is calling, the outage on their supply,
registering a complaint...) goes through the `Domain` protocol; domain.py implements it with the
project's services. Nothing here touches the database or Django.

The flow (docs/ivr.md has it as a table): Hindi greeting with a key for English; the caller
identified by their number (several connections, or none: the account number by keypad, read
back); an outage on their supply is said first (reason, ETR) with its own short menu; otherwise
the main menu. Numbers keyed in are read back before use. Bad or missing input: one retry
prompt, and the second failure in a row goes to an agent. Waits longer than the configured
limit are offered a callback that keeps the caller's place; safety hazards skip that and go to
the emergency queue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from . import prompts
from .prompts import ENGLISH, HINDI

MAX_FAILURES = 2  # the second failed answer in a row reaches an agent

EMERGENCY = "emergency"
GENERAL = "general"
ENGLISH_QUEUE = "english"

NO_SUPPLY = "no_supply"
SAFETY_HAZARD = "safety_hazard"
BILL_READING = "bill_reading"
METER = "meter"

QUEUED = "queued"  # terminal: handed to the agents' queue
ENDED = "ended"  # terminal: the IVR said goodbye and hung up
TERMINAL = frozenset({QUEUED, ENDED})

CHOICES_SPOKEN = 3  # a caller's own complaints offered by number


# --- actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    text: str
    language: str


@dataclass(frozen=True)
class Gather:
    num_digits: int
    timeout: int  # seconds to wait for a key once the prompt has been said
    finish_on_key: str = ""


@dataclass(frozen=True)
class Enqueue:
    queue: str


@dataclass(frozen=True)
class Hangup:
    pass


Action = Say | Gather | Enqueue | Hangup


def actions_dump(actions: list[Action]) -> list[list[Any]]:
    """JSON-able form (stored on the call so that a replayed webhook gets the same answer)."""
    rows: list[list[Any]] = []
    for action in actions:
        if isinstance(action, Say):
            rows.append(["say", action.text, action.language])
        elif isinstance(action, Gather):
            rows.append(["gather", action.num_digits, action.timeout, action.finish_on_key])
        elif isinstance(action, Enqueue):
            rows.append(["enqueue", action.queue])
        else:
            rows.append(["hangup"])
    return rows


def actions_load(rows: list[list[Any]]) -> list[Action]:
    actions: list[Action] = []
    for row in rows:
        if row[0] == "say":
            actions.append(Say(str(row[1]), str(row[2])))
        elif row[0] == "gather":
            actions.append(Gather(int(row[1]), int(row[2]), str(row[3])))
        elif row[0] == "enqueue":
            actions.append(Enqueue(str(row[1])))
        else:
            actions.append(Hangup())
    return actions


# --- what the machine asks of the domain -----------------------------------------------------


@dataclass(frozen=True)
class Caller:
    consumer: int | None  # the connection the caller is about
    verified: bool  # calling from that connection's registered mobile


@dataclass(frozen=True)
class OutageFacts:
    id: int
    reason: str  # in the caller's language
    etr: datetime  # local time
    planned: bool
    overdue: bool


@dataclass(frozen=True)
class ComplaintFacts:
    number: str
    status: str
    due: datetime | None  # local; None once the clock no longer runs
    entitled: bool  # the caller may act on it: its consumer, or the number it came from
    awaiting: bool  # resolved, waiting for the consumer's word
    rated: bool
    claim: str  # the compensation claim's number, if one is lodged
    claimable: bool  # late in a compensable category and no claim yet


@dataclass(frozen=True)
class Registered:
    number: str
    created: bool  # False: the open complaint for the same problem was returned
    linked_to_outage: bool
    told_by_sms: bool  # the number goes to the consumer by message


class Domain(Protocol):
    def now(self) -> datetime: ...  # local time

    def consumers_on_caller(self) -> list[int]: ...

    def consumer_by_account(self, account: str) -> Caller | None: ...

    def outage_for(self, caller: Caller, language: str) -> OutageFacts | None: ...

    def complaint_register(
        self, caller: Caller, *, category: str, language: str
    ) -> Registered | None: ...

    def restoration_request(self, caller: Caller, *, outage: int) -> bool: ...

    def complaints_of_caller(self, caller: Caller) -> list[str]: ...

    def complaints_numbered(self, caller: Caller, *, digits: str) -> list[str]: ...

    def complaint_facts(self, caller: Caller, *, number: str) -> ComplaintFacts | None: ...

    def resolution_answer(self, caller: Caller, *, number: str, confirmed: bool) -> bool: ...

    def rate(self, caller: Caller, *, number: str, rating: int) -> bool: ...

    def claim_lodge(self, caller: Caller, *, number: str) -> tuple[str, bool] | None: ...

    def long_wait_minutes(self, queue: str) -> int | None: ...

    def callback_request(self) -> bool: ...


# --- the session ------------------------------------------------------------------------------


@dataclass
class Session:
    state: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    retries: int = 0  # failed answers in a row

    @property
    def language(self) -> str:
        return ENGLISH if self.context.get("lang") == ENGLISH else HINDI

    @property
    def caller(self) -> Caller:
        consumer = self.context.get("consumer")
        return Caller(
            consumer=int(consumer) if consumer is not None else None,
            verified=bool(self.context.get("verified")),
        )

    def say(self, key: str, /, **values: object) -> Say:
        return Say(prompts.prompt(key, self.language, **values), self.language)


Handler = Callable[[Session, Domain, str], list[Action] | None]
Prompt = Callable[[Session, Domain], list[Action]]
Timeout = Callable[[Session, Domain], list[Action]]


@dataclass(frozen=True)
class StateSpec:
    prompt: Prompt
    handle: Handler  # None: not one of the offered keys
    timeout: Timeout | None = None  # default: a failed answer


def start(s: Session, d: Domain) -> list[Action]:
    """The first answer to a new call: the Hindi greeting and the key for English."""
    s.context.setdefault("lang", HINDI)
    return _goto(s, d, "language")


def step(s: Session, d: Domain, digits: str | None) -> list[Action]:
    """The caller's keys in the current state (None or empty: nothing before the timeout)."""
    spec = STATES.get(s.state)
    if spec is None:  # a terminal state: nothing more to ask
        return [s.say("goodbye"), Hangup()]
    keys = "".join(ch for ch in (digits or "") if ch.isdigit())
    if not keys:
        return spec.timeout(s, d) if spec.timeout else _fail(s, d, "no_input")
    actions = spec.handle(s, d, keys)
    return actions if actions is not None else _fail(s, d, "invalid")


# --- moves shared by the states ---------------------------------------------------------------


def _goto(s: Session, d: Domain, state: str, *, same_question: bool = False) -> list[Action]:
    """Into `state`, saying its prompt. Moving on resets the count of failures; going between
    a number's entry and its read-back (`same_question`) keeps it."""
    s.state = state
    if not same_question:
        s.retries = 0
    return STATES[state].prompt(s, d)


def _fail(s: Session, d: Domain, key: str, *, back_to: str = "") -> list[Action]:
    """A failed answer: say why and ask again; the second in a row goes to an agent."""
    s.retries += 1
    lines: list[Action] = [s.say(key)]
    if s.retries >= MAX_FAILURES:
        return lines + _to_agent(s, d)
    if back_to:
        s.state = back_to  # the count of failures carries on
    return lines + STATES[s.state].prompt(s, d)


def _finish(s: Session, lines: Sequence[Action]) -> list[Action]:
    s.state = ENDED
    return [*lines, s.say("goodbye"), Hangup()]


def _enqueue(s: Session, queue: str, lines: Sequence[Action]) -> list[Action]:
    s.state = QUEUED
    s.context["queue"] = queue
    s.context["queued"] = True
    return [*lines, Enqueue(queue)]


def _to_agent(s: Session, d: Domain) -> list[Action]:
    """To the agents' queue, or first the offer of a callback when the wait is long."""
    queue = str(s.context.get("queue") or (ENGLISH_QUEUE if s.language == ENGLISH else GENERAL))
    s.context["queue"] = queue
    if queue != EMERGENCY and not s.context.get("offered"):
        minutes = d.long_wait_minutes(queue)
        if minutes is not None:
            s.context["offered"] = True
            s.context["wait_minutes"] = minutes
            return _goto(s, d, "callback_offer")
    return _enqueue(s, queue, [s.say("connecting")])


def _menu_key(s: Session, d: Domain, keys: str, table: dict[str, Prompt]) -> list[Action] | None:
    move = table.get(keys)
    return move(s, d) if move is not None else None


# --- language and identification ------------------------------------------------------------


def _prompt_language(s: Session, d: Domain) -> list[Action]:
    return [
        Say(prompts.prompt("greeting", HINDI), HINDI),
        Say(prompts.prompt("language_hindi", HINDI), HINDI),
        Say(prompts.prompt("language_english", ENGLISH), ENGLISH),
        Gather(num_digits=1, timeout=4),
    ]


def _on_language(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if keys not in ("1", "2"):
        return None
    s.context["lang"] = ENGLISH if keys == "2" else HINDI
    return _identify(s, d)


def _language_default(s: Session, d: Domain) -> list[Action]:
    s.context["lang"] = HINDI
    return _identify(s, d)


def _identify(s: Session, d: Domain) -> list[Action]:
    found = d.consumers_on_caller()
    if len(found) == 1:
        s.context.update(consumer=found[0], verified=True)
        return _identified(s, d)
    line = s.say("several_connections", count=len(found)) if found else s.say("not_registered")
    return [line, *_goto(s, d, "account")]


def _prompt_account(s: Session, d: Domain) -> list[Action]:
    return [s.say("enter_account"), Gather(num_digits=10, timeout=10, finish_on_key="#")]


def _on_account(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if len(keys) != 10:
        return _fail(s, d, "account_length")
    s.context["entered"] = keys
    return _goto(s, d, "account_check", same_question=True)


def _prompt_read_back(s: Session, d: Domain) -> list[Action]:
    digits = prompts.spell_digits(str(s.context.get("entered", "")))
    return [s.say("read_back", digits=digits), Gather(num_digits=1, timeout=6)]


def _on_account_check(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if keys == "2":
        return _goto(s, d, "account", same_question=True)
    if keys != "1":
        return None
    found = d.consumer_by_account(str(s.context.get("entered", "")))
    if found is None:
        return _fail(s, d, "account_unknown", back_to="account")
    s.context.update(consumer=found.consumer, verified=found.verified)
    return _identified(s, d)


def _identified(s: Session, d: Domain) -> list[Action]:
    """Any outage on the caller's supply first (reason and ETR), else the main menu."""
    outage = d.outage_for(s.caller, s.language)
    if outage is None:
        return _goto(s, d, "menu")
    s.context["outage"] = outage.id
    s.context["outage_heard"] = True
    return [_outage_line(s, d, outage), *_goto(s, d, "outage_menu")]


def _outage_line(s: Session, d: Domain, outage: OutageFacts) -> Say:
    if outage.overdue:
        return s.say("outage_overdue", reason=outage.reason)
    etr = prompts.when_spoken(outage.etr, today=d.now(), language=s.language)
    key = "outage_planned" if outage.planned else "outage_unplanned"
    return s.say(key, reason=outage.reason, etr=etr)


# --- menus --------------------------------------------------------------------------------------


def _prompt_outage_menu(s: Session, d: Domain) -> list[Action]:
    return [s.say("outage_menu"), Gather(num_digits=1, timeout=6)]


def _on_outage_menu(s: Session, d: Domain, keys: str) -> list[Action] | None:
    return _menu_key(
        s,
        d,
        keys,
        {
            "1": lambda s, d: _register(s, d, NO_SUPPLY),
            "2": _restoration_sms,
            "9": _to_agent,
        },
    )


def _restoration_sms(s: Session, d: Domain) -> list[Action]:
    if not d.restoration_request(s.caller, outage=int(s.context["outage"])):
        return [s.say("restored_already"), *_goto(s, d, "menu")]
    s.context["served"] = True
    return _finish(s, [s.say("restoration_sms")])


def _prompt_menu(s: Session, d: Domain) -> list[Action]:
    return [s.say("main_menu"), Gather(num_digits=1, timeout=6)]


def _on_menu(s: Session, d: Domain, keys: str) -> list[Action] | None:
    return _menu_key(
        s,
        d,
        keys,
        {
            "1": lambda s, d: _register(s, d, NO_SUPPLY),
            "2": lambda s, d: _register(s, d, SAFETY_HAZARD),
            "3": lambda s, d: _goto(s, d, "bill_menu"),
            "4": _status_start,
            "9": _to_agent,
        },
    )


def _prompt_bill_menu(s: Session, d: Domain) -> list[Action]:
    return [s.say("bill_menu"), Gather(num_digits=1, timeout=6)]


def _on_bill_menu(s: Session, d: Domain, keys: str) -> list[Action] | None:
    return _menu_key(
        s,
        d,
        keys,
        {
            "1": lambda s, d: _register(s, d, BILL_READING),
            "2": lambda s, d: _register(s, d, METER),
            "9": _to_agent,
        },
    )


def _register(s: Session, d: Domain, category: str) -> list[Action]:
    """Register the complaint and say its number twice, digit by digit. A safety hazard is an
    emergency: registered at once, then straight to the emergency queue (no callback offer)."""
    hazard = category == SAFETY_HAZARD
    if hazard:
        s.context["queue"] = EMERGENCY
    done = d.complaint_register(s.caller, category=category, language=s.language)
    if done is None:
        return [s.say("sorry_failed"), *_to_agent(s, d)]
    s.context["complaint"] = done.number
    s.context["served"] = True
    number = prompts.spell_code(done.number)
    if hazard:
        key = "hazard_registered" if done.created else "registered_before"
        lines = [s.say(key, number=number), s.say("hazard_connecting")]
        return _enqueue(s, EMERGENCY, lines)
    if not done.created:
        return _finish(s, [s.say("registered_before", number=number)])
    lines = [s.say("registered", number=number)]
    if done.linked_to_outage:
        lines.append(s.say("registered_outage"))
    if done.told_by_sms:
        lines.append(s.say("registered_sms"))
    return _finish(s, lines)


# --- complaint status, closure, rating, compensation -----------------------------------------


def _status_start(s: Session, d: Domain) -> list[Action]:
    own = d.complaints_of_caller(s.caller)
    if not own:
        return [s.say("status_none"), *_goto(s, d, "complaint")]
    if len(own) == 1:
        return _status_of(s, d, own[0])
    s.context["choices"] = own[:CHOICES_SPOKEN]
    return _goto(s, d, "choose")


def _prompt_choose(s: Session, d: Domain) -> list[Action]:
    lines: list[Action] = [
        s.say("choose_complaint", number=prompts.spell_code(number), key=index)
        for index, number in enumerate(s.context.get("choices", []), start=1)
    ]
    return [*lines, s.say("choose_other"), Gather(num_digits=1, timeout=6)]


def _on_choose(s: Session, d: Domain, keys: str) -> list[Action] | None:
    choices = list(s.context.get("choices", []))
    if keys == "0":
        return _goto(s, d, "complaint")
    if len(keys) == 1 and 1 <= int(keys) <= len(choices):
        return _status_of(s, d, str(choices[int(keys) - 1]))
    return None


def _prompt_complaint(s: Session, d: Domain) -> list[Action]:
    return [s.say("enter_complaint"), Gather(num_digits=11, timeout=10, finish_on_key="#")]


def _on_complaint(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if not 7 <= len(keys) <= 11:
        return _fail(s, d, "complaint_length")
    s.context["entered"] = keys
    return _goto(s, d, "complaint_check", same_question=True)


def _on_complaint_check(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if keys == "2":
        return _goto(s, d, "complaint", same_question=True)
    if keys != "1":
        return None
    found = d.complaints_numbered(s.caller, digits=str(s.context.get("entered", "")))
    if not found:
        return _fail(s, d, "complaint_unknown", back_to="complaint")
    if len(found) == 1:
        return _status_of(s, d, found[0])
    s.context["choices"] = found[:CHOICES_SPOKEN]  # the same digits in several discoms
    return _goto(s, d, "choose")


def _status_of(s: Session, d: Domain, number: str) -> list[Action]:
    facts = d.complaint_facts(s.caller, number=number)
    if facts is None:
        return _fail(s, d, "complaint_unknown", back_to="complaint")
    s.context["complaint"] = facts.number
    s.context["served"] = True
    spelled = prompts.spell_code(facts.number)
    status = prompts.status_spoken(facts.status, s.language)
    lines: list[Action] = [s.say("status", number=spelled, status=status)]
    if facts.due is not None:
        when = prompts.when_spoken(facts.due, today=d.now(), language=s.language)
        lines.append(s.say("status_due", when=when))
    if facts.claim:
        lines.append(s.say("claim_exists", claim=prompts.spell_code(facts.claim)))
    return lines + _offer_next(s, d, facts)


def _offer_next(s: Session, d: Domain, facts: ComplaintFacts) -> list[Action]:
    """What the caller may do on their own complaint: confirm a resolution, rate a closed one,
    claim compensation on a late one; else the closing menu."""
    if facts.entitled and facts.awaiting:
        return _goto(s, d, "resolution")
    if facts.entitled and facts.status == "closed" and not facts.rated:
        return _goto(s, d, "rating")
    if facts.entitled and facts.claimable:
        return _goto(s, d, "claim")
    return _goto(s, d, "more")


def _claim_or_more(s: Session, d: Domain) -> list[Action]:
    facts = d.complaint_facts(s.caller, number=str(s.context.get("complaint", "")))
    if facts is not None and facts.entitled and facts.claimable:
        return _goto(s, d, "claim")
    return _goto(s, d, "more")


def _prompt_resolution(s: Session, d: Domain) -> list[Action]:
    return [s.say("confirm_resolution"), Gather(num_digits=1, timeout=8)]


def _on_resolution(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if keys not in ("1", "2"):
        return None
    number = str(s.context.get("complaint", ""))
    confirmed = keys == "1"
    if not d.resolution_answer(s.caller, number=number, confirmed=confirmed):
        return [s.say("sorry_failed"), *_goto(s, d, "more")]
    spelled = prompts.spell_code(number)
    if confirmed:
        return [s.say("closed", number=spelled), *_goto(s, d, "rating")]
    return [s.say("reopened", number=spelled), *_claim_or_more(s, d)]


def _prompt_rating(s: Session, d: Domain) -> list[Action]:
    return [s.say("rate"), Gather(num_digits=1, timeout=8)]


def _on_rating(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if len(keys) != 1 or not 1 <= int(keys) <= 5:
        return None
    d.rate(s.caller, number=str(s.context.get("complaint", "")), rating=int(keys))
    return [s.say("rated"), *_claim_or_more(s, d)]


def _prompt_claim(s: Session, d: Domain) -> list[Action]:
    return [s.say("claim_offer"), Gather(num_digits=1, timeout=8)]


def _on_claim(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if keys == "2":
        return _goto(s, d, "more")
    if keys != "1":
        return None
    lodged = d.claim_lodge(s.caller, number=str(s.context.get("complaint", "")))
    if lodged is None:
        return [s.say("sorry_failed"), *_goto(s, d, "more")]
    claim, created = lodged
    key = "claim_lodged" if created else "claim_exists"
    return [s.say(key, claim=prompts.spell_code(claim)), *_goto(s, d, "more")]


def _prompt_more(s: Session, d: Domain) -> list[Action]:
    return [s.say("anything_else"), Gather(num_digits=1, timeout=5)]


def _on_more(s: Session, d: Domain, keys: str) -> list[Action] | None:
    if keys == "0" and s.caller.consumer is not None:
        return _goto(s, d, "menu")
    if keys == "9":
        return _to_agent(s, d)
    return None


# --- the callback offer ------------------------------------------------------------------------


def _prompt_callback_offer(s: Session, d: Domain) -> list[Action]:
    minutes = int(s.context.get("wait_minutes", 0))
    return [s.say("wait_offer", minutes=minutes), Gather(num_digits=1, timeout=6)]


def _on_callback_offer(s: Session, d: Domain, keys: str) -> list[Action] | None:
    queue = str(s.context.get("queue", GENERAL))
    if keys == "2":
        return _enqueue(s, queue, [s.say("connecting")])
    if keys != "1":
        return None
    if not d.callback_request():  # a withheld number cannot be called back: wait instead
        return _enqueue(s, queue, [s.say("connecting")])
    s.context["callback"] = True
    return _finish(s, [s.say("callback_booked")])


def _keep_waiting(s: Session, d: Domain) -> list[Action]:
    return _enqueue(s, str(s.context.get("queue", GENERAL)), [s.say("connecting")])


def _skip_rating(s: Session, d: Domain) -> list[Action]:
    return _claim_or_more(s, d)


def _goodbye(s: Session, d: Domain) -> list[Action]:
    return _finish(s, [])


STATES: dict[str, StateSpec] = {
    "language": StateSpec(_prompt_language, _on_language, _language_default),
    "account": StateSpec(_prompt_account, _on_account),
    "account_check": StateSpec(_prompt_read_back, _on_account_check),
    "outage_menu": StateSpec(_prompt_outage_menu, _on_outage_menu),
    "menu": StateSpec(_prompt_menu, _on_menu),
    "bill_menu": StateSpec(_prompt_bill_menu, _on_bill_menu),
    "choose": StateSpec(_prompt_choose, _on_choose),
    "complaint": StateSpec(_prompt_complaint, _on_complaint),
    "complaint_check": StateSpec(_prompt_read_back, _on_complaint_check),
    "resolution": StateSpec(_prompt_resolution, _on_resolution),
    "rating": StateSpec(_prompt_rating, _on_rating, _skip_rating),
    "claim": StateSpec(_prompt_claim, _on_claim, lambda s, d: _goto(s, d, "more")),
    "more": StateSpec(_prompt_more, _on_more, _goodbye),
    "callback_offer": StateSpec(_prompt_callback_offer, _on_callback_offer, _keep_waiting),
}
