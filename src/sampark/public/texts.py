"""Words that go out in messages to group members, in Hindi and English.

Like the notification templates (and unlike page text, which goes through gettext), message words
are fixed pairs here: what an SMS says must be exactly what is registered with DLT, whatever the
state of the translation catalog. Pages show the same texts stored on each bulletin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sampark.outages.models import OutageEventKind


@dataclass(frozen=True)
class Phrase:
    hi: str
    en: str

    def text(self, language: str, **values: Any) -> str:
        template = self.hi if language == "hi" else self.en
        return template.format(sender=settings.SAMPARK_SENDER_NAME, **values)


# The event named at the head of a bulletin.
EVENT_NAMES: dict[str, Phrase] = {
    OutageEventKind.ANNOUNCED: Phrase("नियोजित बिजली कटौती की सूचना", "Planned power cut announced"),
    OutageEventKind.DECLARED: Phrase("बिजली आपूर्ति बाधित", "Power supply off"),
    OutageEventKind.ETR_REVISED: Phrase("बहाली का समय बदला", "Restoration time revised"),
    OutageEventKind.PARTLY_RESTORED: Phrase("आपूर्ति आंशिक रूप से बहाल", "Supply partly restored"),
    OutageEventKind.RESTORED: Phrase("बिजली आपूर्ति बहाल", "Power supply restored"),
    OutageEventKind.CANCELLED: Phrase("नियोजित कटौती रद्द", "Planned power cut cancelled"),
}

# Scope elements, as the area of a bulletin.
SUBSTATION = Phrase("{name} उपकेंद्र", "{name} substation")
FEEDER = Phrase("{name} फीडर", "{name} feeder")
TRANSFORMER = Phrase("ट्रांसफार्मर {name}", "DT {name}")
MORE_PLACES = Phrase("+{count} अन्य", "+{count} more")

# What stands in the ETR slot when there is no estimate to give.
ETR_OFF_FROM = Phrase("{etr} ({start} से बंद)", "{etr} (off from {start})")

# The daily digest.
DIGEST_COUNTS = Phrase(
    "{declared} कटौती, {restored} बहाल, {still_off} अब भी बंद.",
    "{declared} outages, {restored} restored, {still_off} still off.",
)
DIGEST_PLANNED = Phrase(
    " {announced} नियोजित कटौती की सूचना.", " {announced} planned cuts announced."
)
DIGEST_LONGEST = Phrase(" सबसे लंबी: {duration}, {area}.", " Longest: {duration}, {area}.")
DURATION = Phrase("{hours} घंटे {minutes} मिनट", "{hours} h {minutes} min")

# Replies to keywords are notification templates (stakeholder_*), registered with DLT.
