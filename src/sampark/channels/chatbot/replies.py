"""What the bot says: replies with buttons, and the menus it offers.

Texts are gettext strings (Hindi in the project's catalog); the dialogue engine builds them
under `translation.override(<the conversation's language>)`. Option ids are stable and
language-free ("menu:no_supply", "yes", "rate:4"): channels send them back when tapped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sampark.public.keywords import KeywordReply

YES, NO = "yes", "no"
AGENT = "agent"
MENU = "menu"
NO_ACCOUNT = "no_account"


@dataclass
class Reply:
    text: str
    options: list[tuple[str, str]] = field(default_factory=list)
    # A reply that is a registered template (stakeholder keyword answers) goes out as that
    # template, so SMS stays DLT-compliant; other replies go as the chat_message template.
    template_key: str = ""
    variables: dict[str, object] = field(default_factory=dict)
    language: str = ""  # the language it was written in (set by the engine)

    @classmethod
    def registered(cls, answer: KeywordReply) -> Reply:
        """A zone-group keyword's answer, sent as the registered template it names."""
        return cls(
            answer.text,
            template_key=answer.template_key,
            variables=answer.variables,
            language=answer.language,
        )


def yes_no() -> list[tuple[str, str]]:
    return [(YES, _("Yes")), (NO, _("No"))]


def main_menu(*, language: str) -> list[tuple[str, str]]:
    """The short menu: at most 10 rows (a WhatsApp list), titles of at most 24 characters."""
    other_language = ("lang:en", "English") if language == "hi" else ("lang:hi", "हिन्दी")
    return [
        ("menu:no_supply", _("No power")),
        ("menu:outage_info", _("When will power return?")),
        ("menu:safety_hazard", _("Danger: wire, sparking")),
        ("menu:complaint_status", _("Complaint status")),
        ("menu:billing", _("Bill")),
        ("menu:meter", _("Meter or recharge")),
        ("menu:other", _("Other problem")),
        ("menu:human_agent", _("Talk to an agent")),
        ("menu:mobile_register", _("Register my mobile")),
        other_language,
    ]


def category_menu() -> list[tuple[str, str]]:
    return [
        ("cat:no_supply", _("No power")),
        ("cat:voltage_fluctuation", _("Low or high voltage")),
        ("cat:dt_failure", _("Transformer failed")),
        ("cat:line_breakdown", _("Line or cable fault")),
        ("cat:safety_hazard", _("Danger: wire, sparking")),
        ("cat:bill_reading", _("Bill")),
        ("cat:meter", _("Meter or recharge")),
        ("cat:new_connection", _("New connection")),
        ("cat:other", _("Something else")),
    ]


def rating_options() -> list[tuple[str, str]]:
    return [(f"rate:{n}", "⭐" * n) for n in range(5, 0, -1)]


def agent_or_menu() -> list[tuple[str, str]]:
    return [(AGENT, _("Talk to an agent")), (MENU, _("Main menu"))]


def menu_reply(*, language: str, text: str | None = None) -> Reply:
    return Reply(
        text or _("How can I help? Choose below or just write your problem."),
        main_menu(language=language),
    )
