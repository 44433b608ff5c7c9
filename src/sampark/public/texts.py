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

# Replies to keywords.
HELP = Phrase(
    "{sender} हितधारक समूह: जुड़ने के लिए JOIN <ज़ोन> या जुड़ें <ज़ोन> भेजें, जैसे JOIN {example}. "
    "छोड़ने के लिए LEAVE, दैनिक सार के लिए DIGEST, हर बुलेटिन तुरंत पाने के लिए INSTANT.",
    "{sender} stakeholder groups: send JOIN <zone>, e.g. JOIN {example}. LEAVE to leave, "
    "DIGEST for one daily digest, INSTANT for every bulletin as it happens.",
)
ZONE_MISSING = Phrase(
    "ज़ोन का नाम भी भेजें, जैसे JOIN {example}. -{sender}",
    "Add the zone's name, e.g. JOIN {example}. -{sender}",
)
ZONE_UNKNOWN = Phrase(
    "'{text}' नाम का कोई ज़ोन नहीं मिला। ज़ोन का नाम या कोड भेजें, जैसे JOIN {example}. -{sender}",
    "No zone called '{text}'. Send the zone's name or code, e.g. JOIN {example}. -{sender}",
)
NOT_A_MEMBER = Phrase(
    "आप किसी हितधारक समूह में नहीं हैं। जुड़ने के लिए JOIN <ज़ोन> भेजें। -{sender}",
    "You are not in any stakeholder group. Send JOIN <zone> to join. -{sender}",
)
NOT_IN_ZONE = Phrase(
    "आप {zone} हितधारक समूह में नहीं हैं। -{sender}",
    "You are not in the {zone} stakeholder group. -{sender}",
)
DIGEST_CHOSEN = Phrase(
    "{zone}: अब आपको रोज़ {hour}:00 बजे एक सार मिलेगा। हर बुलेटिन के लिए INSTANT भेजें। -{sender}",
    "{zone}: you will get one daily digest at {hour}:00. Send INSTANT for every bulletin. "
    "-{sender}",
)
INSTANT_CHOSEN = Phrase(
    "{zone}: अब आपको हर बुलेटिन तुरंत मिलेगा। दैनिक सार के लिए DIGEST भेजें। -{sender}",
    "{zone}: you will get every bulletin as it happens. Send DIGEST for one daily digest. "
    "-{sender}",
)
