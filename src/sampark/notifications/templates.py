"""Message templates: Hindi and English texts with named variables, DLT ids from settings.

Every message Sampark sends is one of these. Variables are checked (none missing, none unknown)
so a template can never go out with a hole in it; SMS segments are counted for the operator.
DLT template ids come from `SAMPARK_DLT_TEMPLATES` (template key -> registered id) and the
principal entity id from `SAMPARK_DLT_ENTITY_ID`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.conf import settings

from sampark.core.errors import ValidationFailed

from .segments import sms_length


@dataclass(frozen=True)
class Template:
    key: str
    hi: str
    en: str
    urgent: bool = True  # quiet hours hold back only non-urgent messages
    # Variables taken but not printed: e-mail headers the smtp_email provider sets (subject,
    # message_id, in_reply_to, references), all optional.
    headers: frozenset[str] = frozenset()

    def variables(self) -> set[str]:
        names = set()
        for text in (self.hi, self.en):
            names |= {name for _, name, _, _ in string.Formatter().parse(text) if name}
        return names


@dataclass(frozen=True)
class Rendered:
    key: str
    language: str
    text: str
    segments: int
    encoding: str
    dlt_template_id: str
    dlt_entity_id: str
    urgent: bool


MAIL_HEADERS = frozenset({"subject", "message_id", "in_reply_to", "references"})
REVIEW_PACK_HI = (
    "नमस्कार,\n\n{discom_hi} की {day} की दैनिक समीक्षा रिपोर्ट संलग्न है (PDF और XLSX)।\n"
    "शिकायतें: {received} प्राप्त, {resolved} निस्तारित; अभी {pending} लंबित, जिनमें "
    "{overdue} समय-सीमा पार।\nऑनलाइन: {url}"
)
REVIEW_PACK_EN = (
    "Hello,\n\nThe daily review pack of {discom_en} for {day} is attached (PDF and XLSX).\n"
    "Complaints: {received} received, {resolved} resolved; {pending} pending now, {overdue} of "
    "them past the time limit.\nOnline: {url}"
)
EMAIL_REGISTERED_HI = (
    "नमस्कार,\n\nआपकी शिकायत दर्ज हो गई है। शिकायत संख्या: {number}\n"
    "निस्तारण की समय-सीमा: {hours} घंटे, {due_hi} तक।\n"
    "इस ई-मेल का उत्तर देकर आप इसी शिकायत में और जानकारी जोड़ सकते हैं (विषय में शिकायत संख्या "
    "रहने दें)। बिजली से जान का खतरा हो तो तुरंत 1912 पर कॉल करें।"
)
EMAIL_REGISTERED_EN = (
    "Hello,\n\nYour complaint is registered. Complaint number: {number}\n"
    "Time limit for resolving it: {hours} hours, by {due_en}.\n"
    "Reply to this e-mail to add to the same complaint (keep the number in the subject). "
    "If electricity puts a life in danger, call 1912 at once."
)
EMAIL_REPEAT_HI = (
    "नमस्कार,\n\nइस समस्या की आपकी शिकायत {number} पहले से दर्ज है; आपका ई-मेल उसमें जोड़ दिया "
    "गया है। निस्तारण की समय-सीमा: {hours} घंटे, {due_hi} तक।"
)
EMAIL_REPEAT_EN = (
    "Hello,\n\nYour complaint {number} about this problem is already registered; your e-mail "
    "has been added to it. Time limit for resolving it: {hours} hours, by {due_en}."
)
EMAIL_DETAILS_HI = (
    "नमस्कार,\n\nआपका ई-मेल मिला, पर शिकायत दर्ज करने के लिए हमें आपका 10 अंकों का खाता "
    "संख्या (बिजली बिल पर) या मोबाइल नंबर चाहिए। कृपया इस ई-मेल का उत्तर खाता संख्या या मोबाइल "
    "नंबर, समस्या और स्थान लिखकर दें। बिजली से जान का खतरा हो तो तुरंत 1912 पर कॉल करें।"
)
EMAIL_DETAILS_EN = (
    "Hello,\n\nWe received your e-mail, but to register a complaint we need your 10-digit "
    "account number (on your electricity bill) or your mobile number. Please reply to this "
    "e-mail with the account number or mobile, the problem and the place. If electricity puts "
    "a life in danger, call 1912 at once."
)

# {sender} is the utility's verified sender name (SAMPARK_SENDER_NAME): bulletins are signed,
# since fake groups forwarding fake outage notices are a known problem.
TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "outage_declared",
            hi="बिजली आपूर्ति बाधित: {area}. कारण: {reason}. अनुमानित बहाली: {etr}. "
            "शिकायत की आवश्यकता नहीं। -{sender}",
            en="Power supply off in {area}. Reason: {reason}. Expected back by {etr}. "
            "No need to complain. -{sender}",
        ),
        Template(
            "outage_etr_revised",
            hi="{area}: बिजली बहाली का नया अनुमानित समय {etr}. कारण: {reason}. -{sender}",
            en="{area}: new expected restoration time {etr}. Reason: {reason}. -{sender}",
        ),
        Template(
            "outage_overdue",
            hi="{area}: बहाली में देरी के लिए खेद है। नया समय शीघ्र बताया जाएगा; कार्य जारी है। -{sender}",
            en="{area}: sorry, restoration is taking longer than expected. Work is on; a new "
            "time will follow shortly. -{sender}",
        ),
        Template(
            "outage_restored",
            hi="{area}: बिजली आपूर्ति बहाल हो गई है। अब भी बिजली न हो तो 1912 पर बताएं। -{sender}",
            en="{area}: power supply has been restored. Still no power? Call 1912. -{sender}",
        ),
        Template(
            "planned_announced",
            hi="सूचना: {area} में {start} से {etr} तक रखरखाव हेतु बिजली बंद रहेगी। कारण: {reason}. "
            "-{sender}",
            en="Notice: power off in {area} from {start} to {etr} for maintenance. "
            "Reason: {reason}. -{sender}",
            urgent=False,
        ),
        Template(
            "planned_reminder",
            hi="याद दिलाना: {area} में {start} से {etr} तक बिजली बंद रहेगी। -{sender}",
            en="Reminder: power off in {area} from {start} to {etr}. -{sender}",
            urgent=False,
        ),
        Template(
            "planned_cancelled",
            hi="{area} में {start} की निर्धारित बिजली कटौती रद्द कर दी गई है। -{sender}",
            en="The planned power cut in {area} at {start} has been cancelled. -{sender}",
            urgent=False,
        ),
        Template(
            "sdo_outage_overdue",
            hi="ध्यान दें: आउटेज {outage_ref} ({area}) का ETR {etr} निकल गया, बहाली नहीं हुई। -{sender}",
            en="Attention: outage {outage_ref} ({area}) passed its ETR {etr} without "
            "restoration. -{sender}",
        ),
        Template(
            "bulletin_outage",
            hi="[{sender} बुलेटिन] {event}: {area}. कारण: {reason}. अनुमानित बहाली: {etr}.",
            en="[{sender} bulletin] {event}: {area}. Reason: {reason}. Expected back: {etr}.",
        ),
        Template(
            "bulletin_restored",
            hi="[{sender} बुलेटिन] {event}: {area}. बहाली का समय: {time}.",
            en="[{sender} bulletin] {event}: {area}. Restored at {time}.",
        ),
        Template(
            "bulletin_cancelled",
            hi="[{sender} बुलेटिन] {event}: {area}, {start} की कटौती नहीं होगी।",
            en="[{sender} bulletin] {event}: {area}; no power cut at {start}.",
        ),
        Template(
            "bulletin_digest",
            hi="[{sender} दैनिक सार] {zone}: {summary}",
            en="[{sender} daily digest] {zone}: {summary}",
            urgent=False,
        ),
        Template(
            "stakeholder_otp",
            hi="{zone} हितधारक समूह से जुड़ने का OTP: {otp}. 10 मिनट तक मान्य। -{sender}",
            en="OTP to join the {zone} stakeholder group: {otp}. Valid for 10 minutes. -{sender}",
        ),
        Template(
            "stakeholder_joined",
            hi="आप {zone} हितधारक समूह में जुड़ गए हैं। छोड़ने के लिए LEAVE भेजें। -{sender}",
            en="You have joined the {zone} stakeholder group. Send LEAVE to leave. -{sender}",
        ),
        Template(
            "stakeholder_left",
            hi="आप {zone} हितधारक समूह से हट गए हैं। -{sender}",
            en="You have left the {zone} stakeholder group. -{sender}",
        ),
        # Replies to the other stakeholder keywords (public/keywords.py).
        Template(
            "stakeholder_help",
            hi="{sender} हितधारक समूह: जुड़ने के लिए JOIN <ज़ोन> या जुड़ें <ज़ोन> भेजें, जैसे JOIN {example}. "
            "छोड़ने के लिए LEAVE, दैनिक सार के लिए DIGEST, हर बुलेटिन तुरंत पाने के लिए INSTANT.",
            en="{sender} stakeholder groups: send JOIN <zone>, e.g. JOIN {example}. "
            "LEAVE to leave, DIGEST for one daily digest, INSTANT for every bulletin as it "
            "happens.",
        ),
        Template(
            "stakeholder_zone_missing",
            hi="ज़ोन का नाम भी भेजें, जैसे JOIN {example}. -{sender}",
            en="Add the zone's name, e.g. JOIN {example}. -{sender}",
        ),
        Template(
            "stakeholder_zone_unknown",
            hi="'{text}' नाम का कोई ज़ोन नहीं मिला। ज़ोन का नाम या कोड भेजें, जैसे JOIN {example}. "
            "-{sender}",
            en="No zone called '{text}'. Send the zone's name or code, e.g. JOIN {example}. "
            "-{sender}",
        ),
        Template(
            "stakeholder_not_member",
            hi="आप किसी हितधारक समूह में नहीं हैं। जुड़ने के लिए JOIN <ज़ोन> भेजें। -{sender}",
            en="You are not in any stakeholder group. Send JOIN <zone> to join. -{sender}",
        ),
        Template(
            "stakeholder_not_in_zone",
            hi="आप {zone} हितधारक समूह में नहीं हैं। -{sender}",
            en="You are not in the {zone} stakeholder group. -{sender}",
        ),
        # The chatbot's and agents' replies. On WhatsApp, chat_message goes as a free-form
        # session message (allowed within 24 hours of the user's last message); chat_followup is
        # the approved template that carries the same text once that window has closed.
        Template("chat_message", hi="{text}", en="{text}"),
        Template(
            "chat_followup",
            hi="1912 हेल्पडेस्क से आपके संदेश का उत्तर: {text} -{sender}",
            en="Reply to your message from the 1912 helpdesk: {text} -{sender}",
        ),
        Template(
            "stakeholder_digest_chosen",
            hi="{zone}: अब आपको रोज़ {hour}:00 बजे एक सार मिलेगा। हर बुलेटिन के लिए INSTANT भेजें। "
            "-{sender}",
            en="{zone}: you will get one daily digest at {hour}:00. Send INSTANT for every "
            "bulletin. -{sender}",
        ),
        Template(
            "stakeholder_instant_chosen",
            hi="{zone}: अब आपको हर बुलेटिन तुरंत मिलेगा। दैनिक सार के लिए DIGEST भेजें। -{sender}",
            en="{zone}: you will get every bulletin as it happens. Send DIGEST for one daily "
            "digest. -{sender}",
        ),
        # One digest per officer per escalation sweep (complaints/escalation.py).
        Template(
            "escalation_digest",
            hi="{count} शिकायतें आपके स्तर ({role}, स्तर {level}) तक पहुँचीं: समय-सीमा पार, उपभोक्ता "
            "ने समाधान अस्वीकार किया या दूसरी टीम चाहिए। देखें और स्पष्टीकरण दें: {link} -{sender}",
            en="{count} complaint(s) escalated to you ({role}, level {level}): overdue, resolution "
            "rejected or another team needed. Review and explain: {link} -{sender}",
        ),
        # SoP compensation raised without the consumer asking (complaints/compensation.py).
        Template(
            "compensation_claim_raised",
            hi="शिकायत {number} के निस्तारण में देरी पर आपका क्षतिपूर्ति दावा {claim} दर्ज किया गया: "
            "₹{amount}, भुगतान {pay_by} तक। -{sender}",
            en="Compensation claim {claim} for the delay on complaint {number} is registered: "
            "Rs {amount}, to be paid by {pay_by}. -{sender}",
            urgent=False,
        ),
        # Closure only with the consumer's word (complaints/closure.py): a yes/no on WhatsApp
        # (the approved template carries Yes / No quick-reply buttons), an OTP by SMS.
        Template(
            "closure_question",
            hi="शिकायत {number}: फील्ड टीम ने इसे हल बताया है। क्या आपकी समस्या हल हो गई? "
            "हाँ या नहीं लिखें। {hours} घंटे में उत्तर न मिलने पर शिकायत बंद हो जाएगी। -{sender}",
            en="Complaint {number}: the field team has marked it resolved. Is your problem "
            "solved? Reply YES or NO. Without an answer in {hours} hours it will be closed. "
            "-{sender}",
        ),
        Template(
            "closure_otp",
            hi="शिकायत {number} हल बताई गई है। हल हो गई हो तो OTP {otp} फील्ड टीम को दें या "
            "हाँ {otp} भेजें; नहीं तो नहीं भेजें। {hours} घंटे तक मान्य। -{sender}",
            en="Complaint {number} is marked resolved. If solved, give OTP {otp} to the field "
            "team or reply YES {otp}; if not, reply NO. Valid {hours} hours. -{sender}",
        ),
        # Proving a mobile and registering it on an account (channels/mobile/services.py,
        # docs/mobile-registration.md). {account} is masked (XXXXXX7890), {tail} 4 digits.
        Template(
            "web_complaint_otp",
            hi="1912 वेबसाइट पर शिकायत दर्ज करने का OTP: {otp}. {minutes} मिनट तक मान्य। यह किसी को "
            "न बताएं। -{sender}",
            en="OTP to register your complaint on the 1912 website: {otp}. Valid for {minutes} "
            "minutes. Do not share it. -{sender}",
        ),
        Template(
            "mobile_register_otp",
            hi="बिजली खाता {account} पर यह मोबाइल नंबर दर्ज करने का OTP: {otp}. {minutes} मिनट तक "
            "मान्य। यह किसी को न बताएं। -{sender}",
            en="OTP to register this mobile on electricity account {account}: {otp}. Valid for "
            "{minutes} minutes. Do not share it. -{sender}",
        ),
        Template(
            "mobile_change_old_otp",
            hi="बिजली खाता {account} का मोबाइल ...{tail} पर बदलने का अनुरोध मिला। आपने किया तो OTP "
            "{otp} ({minutes} मिनट), नहीं तो किसी को न दें। -{sender}",
            en="Someone asked to change the mobile of electricity account {account} to a number "
            "ending {tail}. If it is you, the OTP is {otp} (valid {minutes} min). If not, do not "
            "share it. -{sender}",
        ),
        Template(
            "mobile_registered",
            hi="यह मोबाइल नंबर बिजली खाता {account} पर दर्ज हो गया है। बिजली कटौती और शिकायत की "
            "सूचना अब इसी पर मिलेगी। -{sender}",
            en="This mobile is now registered on electricity account {account}. Outage and "
            "complaint messages will come to it. -{sender}",
        ),
        Template(
            "mobile_changed_notice",
            hi="बिजली खाता {account} का मोबाइल {when} बदलकर ...{tail} किया गया। आपने नहीं कहा था "
            "तो तुरंत 1912 पर कॉल करें। -{sender}",
            en="The mobile of electricity account {account} was changed to a number ending "
            "{tail} at {when}. If you did not ask for this, call 1912 at once. -{sender}",
        ),
        Template(
            "mobile_missed_call",
            hi="यह मोबाइल नंबर अपने बिजली कनेक्शन पर दर्ज करने के लिए इस संदेश के उत्तर में REG और "
            "10 अंकों की खाता संख्या भेजें, या {link} खोलें। -{sender}",
            en="To register this mobile on your electricity connection, reply REG and your "
            "10-digit account number, or open {link}. -{sender}",
        ),
        # After a closure confirmed by OTP outside a chat, the consumer is asked for a rating;
        # the reply reaches the chatbot (channels/chatbot/rating.py).
        Template(
            "complaint_rating_request",
            hi="शिकायत {number} बंद हो गई है। हमारी सेवा को 1 से 5 के बीच अंक दें: एक अंक भेजें "
            "और चाहें तो साथ में अपनी राय लिखें। -{sender}",
            en="Complaint {number} is closed. How did we do? Reply with a number 1 to 5 and, if "
            "you like, a comment. -{sender}",
            urgent=False,
        ),
        # The JE told of a new complaint; the link opens it on the phone page (complaints/field).
        Template(
            "field_complaint_new",
            hi="नई शिकायत {number}: {category}, {place}. खोलें: {link} -{sender}",
            en="New complaint {number}: {category}, {place}. Open: {link} -{sender}",
        ),
        # The 1912 call centre owes every unserved caller a call back (callcentre/services.py).
        Template(
            "callback_missed",
            hi="खेद है, 1912 पर आपकी कॉल का उत्तर नहीं दिया जा सका। हम {minutes} मिनट में आपको "
            "वापस कॉल करेंगे। चाहें तो यहाँ चैट करें: {link} -{sender}",
            en="Sorry we missed your call to 1912. We will call you back within {minutes} "
            "minutes. Or chat with us now: {link} -{sender}",
        ),
        Template(
            "callback_requested",
            hi="आपका नंबर सुरक्षित है: 1912 आपको {minutes} मिनट में वापस कॉल करेगा। चाहें तो यहाँ "
            "चैट करें: {link} -{sender}",
            en="Your place is kept: 1912 will call you back within {minutes} minutes. Or chat "
            "with us now: {link} -{sender}",
        ),
        # Keeping the consumer informed, one message per step (complaints/informing.py).
        Template(
            "complaint_registered",
            hi="आपकी शिकायत {number} दर्ज हो गई है। निस्तारण की समय-सीमा: {due}. -{sender}",
            en="Your complaint {number} is registered. It is due to be resolved by {due}. "
            "-{sender}",
        ),
        Template(
            "complaint_assigned",
            hi="शिकायत {number} संबंधित अभियंता को सौंप दी गई है। -{sender}",
            en="Complaint {number} has been given to the engineer responsible. -{sender}",
        ),
        Template(
            "complaint_assigned_officer",
            hi="शिकायत {number} अभियंता {name} ({phone}) को सौंप दी गई है। -{sender}",
            en="Complaint {number} has been given to engineer {name} ({phone}). -{sender}",
        ),
        Template(
            "complaint_on_site",
            hi="शिकायत {number}: हमारी टीम मौके पर पहुँच गई है, काम जारी है। -{sender}",
            en="Complaint {number}: our team has reached the site and is at work. -{sender}",
        ),
        # Answers to mails to the complaints address (channels/email): both languages in one
        # mail, the complaint's language first; the headers thread them under the sender's mail.
        Template(
            "email_complaint_registered",
            hi=f"{EMAIL_REGISTERED_HI}\n\n{EMAIL_REGISTERED_EN}\n\n-{{sender}}",
            en=f"{EMAIL_REGISTERED_EN}\n\n{EMAIL_REGISTERED_HI}\n\n-{{sender}}",
            headers=MAIL_HEADERS,
        ),
        Template(
            "email_complaint_repeat",
            hi=f"{EMAIL_REPEAT_HI}\n\n{EMAIL_REPEAT_EN}\n\n-{{sender}}",
            en=f"{EMAIL_REPEAT_EN}\n\n{EMAIL_REPEAT_HI}\n\n-{{sender}}",
            headers=MAIL_HEADERS,
        ),
        Template(
            "email_details_needed",
            hi=f"{EMAIL_DETAILS_HI}\n\n{EMAIL_DETAILS_EN}\n\n-{{sender}}",
            en=f"{EMAIL_DETAILS_EN}\n\n{EMAIL_DETAILS_HI}\n\n-{{sender}}",
            headers=MAIL_HEADERS,
        ),
        # The daily review pack to a discom's officers (review/pack_services.py), with the PDF
        # and XLSX attached (files named by the `attachments` header variable, one per line).
        Template(
            "review_pack",
            hi=f"{REVIEW_PACK_HI}\n\n{REVIEW_PACK_EN}\n\n-{{sender}}",
            en=f"{REVIEW_PACK_EN}\n\n{REVIEW_PACK_HI}\n\n-{{sender}}",
            headers=frozenset({"subject", "attachments"}),
        ),
    )
}


def template_get(key: str) -> Template:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise ValidationFailed(fields={"template": f"Unknown template '{key}'."}) from None


def template_render(*, key: str, language: str, variables: dict[str, object]) -> Rendered:
    """Fill a template; `sender` is supplied from settings unless given."""
    template = template_get(key)
    values = {"sender": settings.SAMPARK_SENDER_NAME, **variables}
    expected = template.variables()
    missing = expected - values.keys()
    unknown = values.keys() - expected - {"sender"} - template.headers
    if missing or unknown:
        problems = {f"variables.{name}": "missing" for name in sorted(missing)}
        problems |= {f"variables.{name}": "not used by this template" for name in sorted(unknown)}
        raise ValidationFailed(fields=problems)
    text = (template.hi if language == "hi" else template.en).format(**values)
    length = sms_length(text)
    return Rendered(
        key=key,
        language=language,
        text=text,
        segments=length.segments,
        encoding=length.encoding,
        dlt_template_id=settings.SAMPARK_DLT_TEMPLATES.get(key, ""),
        dlt_entity_id=settings.SAMPARK_DLT_ENTITY_ID,
        urgent=template.urgent,
    )
