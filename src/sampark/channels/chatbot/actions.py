"""What the bot does on the domain: outages, complaints, claims, consent, stakeholder keywords.

Each function takes the conversation and returns the replies to send; the dialogue engine
decides when to call them. Domain errors (sampark.core.errors) become polite replies here, so
a consumer never sees a stack trace or an HTTP status.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sampark.complaints.compensation import compensation_claim_lodge
from sampark.complaints.feedback import complaint_rate, complaint_resolution_answer
from sampark.complaints.models import Category, Channel, Complaint, Status
from sampark.complaints.selectors import complaint_get_public
from sampark.complaints.services import complaint_register
from sampark.consumers.models import Consumer
from sampark.core.errors import NotFound, SamparkError
from sampark.outages.models import Outage, OutageKind
from sampark.outages.selectors import outages_active_for_consumer
from sampark.outages.wording import when_text

from ..models import ChatChannel, Conversation
from .replies import Reply, rating_options, yes_no

COMPLAINT_CHANNEL = {
    ChatChannel.WHATSAPP: Channel.WHATSAPP,
    ChatChannel.TELEGRAM: Channel.TELEGRAM,
    ChatChannel.WEB: Channel.CHATBOT_WEB,
    ChatChannel.SMS: Channel.SMS,
}
OPEN_OR_AWAITING = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.WAITING_CONSUMER,
    Status.REOPENED,
    Status.RESOLVED,
)


def complaint_channel(conversation: Conversation) -> str:
    return COMPLAINT_CHANNEL[ChatChannel(conversation.channel)]


def _hours(hours: int) -> str:
    if hours % 24 == 0 and hours >= 48:
        return _("%(days)d days") % {"days": hours // 24}
    return _("%(hours)d hours") % {"hours": hours}


def outage_text(outage: Outage, *, language: str) -> str:
    """Why the power is off and until when, for one outage on the consumer's supply."""
    values = {
        "reason": outage.reason.text_in(language),
        "etr": when_text(outage.etr, language),
    }
    if outage.is_overdue:
        return (
            _(
                "Power is off on your supply because of: %(reason)s. Restoration is taking longer "
                "than the expected %(etr)s; the team is working and a new time will follow."
            )
            % values
        )
    if outage.kind == OutageKind.PLANNED:
        return (
            _("Power is off on your supply for planned work: %(reason)s. Expected back by %(etr)s.")
            % values
        )
    return (
        _("Power is off on your supply because of: %(reason)s. Expected back by %(etr)s.") % values
    )


def outage_covering(consumer: Consumer | None) -> Outage | None:
    if consumer is None:
        return None
    found = outages_active_for_consumer(consumer=consumer)
    return found[0] if found else None


def outage_answer(conversation: Conversation) -> tuple[Reply, bool]:
    """The answer to "why is my power off / when will it return" and whether an outage is known."""
    outage = outage_covering(conversation.consumer)
    if outage is not None:
        return Reply(outage_text(outage, language=conversation.language)), True
    return (
        Reply(
            _(
                "No interruption is recorded on your supply right now. Shall I register a "
                "no-supply complaint so that a lineman is sent?"
            ),
            yes_no(),
        ),
        False,
    )


def complaint_registered_text(complaint: Complaint, *, created: bool, language: str) -> str:
    values = {
        "number": complaint.number,
        "limit": _hours(complaint.sla_hours),
        "due": when_text(complaint.due_at, language),
    }
    if not created:
        return (
            _(
                "You already have complaint %(number)s open for this problem; your reminder is "
                "noted. It is due to be resolved by %(due)s."
            )
            % values
        )
    if complaint.outage_id is not None:
        outage = complaint.outage
        assert outage is not None
        values["etr"] = when_text(outage.etr, language)
        return (
            _(
                "Complaint %(number)s is registered and linked to the known outage on your "
                "supply, so no separate lineman visit is needed. Expected back by %(etr)s."
            )
            % values
        )
    if complaint.category == Category.SAFETY_HAZARD:
        return (
            _(
                "Emergency complaint %(number)s is registered and the field team is alerted. "
                "Time limit: %(limit)s."
            )
            % values
        )
    return (
        _(
            "Complaint %(number)s is registered. Time limit under the regulations: %(limit)s "
            "(by %(due)s). Keep this number to check its status."
        )
        % values
    )


def complaint_file(conversation: Conversation, *, category: str) -> Reply:
    """Register the complaint the conversation has gathered (consumer, or mobile + place)."""
    context = conversation.context
    try:
        registration = complaint_register(
            category=category,
            channel=complaint_channel(conversation),
            consumer=conversation.consumer,
            contact_mobile=conversation.mobile,
            contact_name=conversation.display_name[:120],
            location_text=str(context.get("location", ""))[:300],
            description=str(context.get("description", ""))[:1000],
            language=conversation.language,
            actor_label=f"chatbot ({conversation.channel})",
        )
    except SamparkError as error:
        return Reply(error.text())
    complaint = registration.complaint
    context["last_complaint"] = complaint.number
    text = complaint_registered_text(
        complaint, created=registration.created, language=conversation.language
    )
    return Reply(text)


def complaint_entitled(conversation: Conversation, complaint: Complaint) -> bool:
    """Whether this user may act on (and see the details of) the complaint: its verified
    consumer, or the mobile it was registered from."""
    if conversation.verified and complaint.consumer_id == conversation.consumer_id:
        return complaint.consumer_id is not None
    return bool(conversation.mobile) and complaint.contact_mobile == conversation.mobile


def complaint_find(number: str) -> Complaint | None:
    try:
        return complaint_get_public(number=number)
    except NotFound:
        return None


def complaint_status_reply(conversation: Conversation, complaint: Complaint) -> tuple[Reply, str]:
    """The status of one complaint, and the state to wait in next ('' for none)."""
    language = conversation.language
    values = {
        "number": complaint.number,
        "status": Status(complaint.status).label,
        "registered": when_text(complaint.registered_at, language),
        "due": when_text(complaint.due_at, language),
    }
    text = (
        _("Complaint %(number)s, registered %(registered)s: %(status)s. Due by %(due)s.") % values
    )
    entitled = complaint_entitled(conversation, complaint)
    conversation.context["complaint"] = complaint.number
    if complaint.status == Status.RESOLVED and entitled:
        text += " " + _("The field team has marked it resolved. Is your problem solved?")
        return Reply(text, yes_no()), "confirm_resolution"
    if complaint.status == Status.CLOSED and entitled and not complaint_rated(complaint):
        text += " " + _("How would you rate our service? 5 is best.")
        return Reply(text, rating_options()), "ask_rating"
    return Reply(text), ""


def complaint_rated(complaint: Complaint) -> bool:
    return hasattr(complaint, "feedback") and complaint.feedback is not None


def complaints_of(conversation: Conversation) -> list[Complaint]:
    """The user's own recent complaints that are open or awaiting their word."""
    rows = Complaint.objects.filter(status__in=OPEN_OR_AWAITING)
    if conversation.verified and conversation.consumer_id is not None:
        rows = rows.filter(consumer_id=conversation.consumer_id)
    elif conversation.mobile:
        rows = rows.filter(consumer__isnull=True, contact_mobile=conversation.mobile)
    else:
        return []
    return list(rows.order_by("-registered_at")[:5])


def resolution_answer(conversation: Conversation, *, confirmed: bool) -> tuple[Reply, str]:
    complaint = complaint_find(str(conversation.context.get("complaint", "")))
    if complaint is None or not complaint_entitled(conversation, complaint):
        return Reply(_("I could not find that complaint.")), ""
    try:
        complaint = complaint_resolution_answer(
            complaint=complaint, confirmed=confirmed, channel=complaint_channel(conversation)
        )
    except SamparkError as error:
        return Reply(error.text()), ""
    if confirmed:
        text = _("Thank you. Complaint %(number)s is closed. How would you rate our service?") % {
            "number": complaint.number
        }
        return Reply(text, rating_options()), "ask_rating"
    text = _(
        "Sorry that the problem remains. Complaint %(number)s is reopened and sent back to the "
        "field team."
    ) % {"number": complaint.number}
    return Reply(text), ""


def rating_record(conversation: Conversation, *, rating: int, comment: str = "") -> Reply:
    complaint = complaint_find(str(conversation.context.get("complaint", "")))
    if complaint is None or not complaint_entitled(conversation, complaint):
        return Reply(_("I could not find that complaint."))
    try:
        complaint_rate(
            complaint=complaint,
            rating=rating,
            comment=comment,
            channel=complaint_channel(conversation),
        )
    except SamparkError as error:
        if error.code == "already_rated":
            return Reply(
                _("You have already rated complaint %(number)s. Thank you for your feedback.")
                % {"number": complaint.number}
            )
        return Reply(error.text())
    return Reply(_("Thank you for rating us %(rating)d out of 5.") % {"rating": rating})


def compensation_claim(conversation: Conversation, *, number: str | None) -> Reply:
    """Lodge a claim on the named complaint, or on the user's latest late complaint."""
    if number:
        complaint = complaint_find(number)
        if complaint is None:
            return Reply(_("There is no complaint with number %(number)s.") % {"number": number})
    else:
        rows = Complaint.objects.filter(sla_breached_at__isnull=False)
        if conversation.verified and conversation.consumer_id is not None:
            rows = rows.filter(consumer_id=conversation.consumer_id)
        elif conversation.mobile:
            rows = rows.filter(contact_mobile=conversation.mobile)
        else:
            rows = rows.none()
        complaint = rows.order_by("-registered_at").first()
        if complaint is None:
            return Reply(
                _(
                    "None of your complaints has passed its time limit, so no compensation is "
                    "due. If you have a complaint number, send it with the word compensation."
                )
            )
    if not complaint_entitled(conversation, complaint):
        return Reply(
            _(
                "Compensation can be claimed only from the mobile registered on the account or "
                "the one the complaint came from."
            )
        )
    try:
        lodged = compensation_claim_lodge(
            complaint=complaint, channel=complaint_channel(conversation)
        )
    except SamparkError as error:
        return Reply(error.text())
    values = {"claim": lodged.claim.number, "number": complaint.number}
    if not lodged.created:
        return Reply(_("Your claim %(claim)s on complaint %(number)s is already lodged.") % values)
    return Reply(
        _(
            "Claim %(claim)s is lodged for complaint %(number)s. The amount is worked out under "
            "the UPERC Standards of Performance and is due within 60 days."
        )
        % values
    )


SAFETY_ADVICE_KEY = "safety"


def safety_advice() -> Reply:
    return Reply(
        _(
            "For your safety: stay at least 10 metres away, do not touch the wire, pole or "
            "anything touching them, keep children and animals away, and warn others. If "
            "someone got a shock, do not touch them with bare hands: switch off the mains or "
            "use dry wood. Call 1912 or 112 at once if there is fire or injury."
        )
    )
