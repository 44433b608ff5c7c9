"""The consumer's word on a resolution, given in the chat (sampark.complaints.closure).

When the field marks a complaint resolved the consumer is asked by the outbox, not by the bot:
a yes/no template on WhatsApp, an SMS with an OTP otherwise. The answer arrives here as an
ordinary message, so the engine checks for it itself, with no state set from outside:

- `YES <otp>` (हाँ <otp>) on any channel: the code checked against the pending request;
- a bare yes/no (typed, or the template's quick-reply button) when no other question is open
  and one of the user's complaints awaits their word. On SMS, where the request carried a
  code, a bare yes is asked for the code; a no needs none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from sampark.complaints.closure import OTP_DIGITS, closure_confirm_by_otp
from sampark.complaints.models import ClosureConfirmation, ConfirmationStatus, Status
from sampark.core.errors import SamparkError
from sampark.public.normalize import text_key

from ..models import ChatChannel, Conversation
from . import actions, states
from .nlu.entities import entities_extract
from .replies import rating_options
from .words import CLOSURE_YES_COMMANDS, DIGITS

if TYPE_CHECKING:
    from .dialogue import Step


def _awaiting(conversation: Conversation) -> ClosureConfirmation | None:
    """The pending request on the user's own most recent complaint awaiting their word."""
    resolved = [c.pk for c in actions.complaints_of(conversation) if c.status == Status.RESOLVED]
    if not resolved:
        return None
    return (
        ClosureConfirmation.objects.filter(
            complaint_id__in=resolved, status=ConfirmationStatus.PENDING
        )
        .select_related("complaint")
        .order_by("-sent_at", "-id")
        .first()
    )


def code_sent(step: Step, text: str) -> bool:
    """`YES 123456`: close the user's resolved complaint with the code from our SMS."""
    words = text.split()
    if len(words) != 2 or text_key(words[0]) not in CLOSURE_YES_COMMANDS:
        return False
    code = words[1].translate(DIGITS)
    if len(code) != OTP_DIGITS or not code.isdigit():
        return False
    step.done()
    pending = _awaiting(step.c)
    if pending is None:
        step.say(_("None of your complaints is waiting for a confirmation code."))
        return True
    try:
        complaint = closure_confirm_by_otp(
            complaint=pending.complaint,
            otp=code,
            channel=actions.complaint_channel(step.c),
            rating_request=False,  # asked just below, in the conversation
        )
    except SamparkError as error:
        step.say(error.text())
        return True
    step.context["complaint"] = complaint.number
    step.say(
        _("Thank you. Complaint %(number)s is closed. How would you rate our service?")
        % {"number": complaint.number},
        rating_options(),
    )
    step.wait("ask_rating")
    return True


def answered(step: Step, text: str) -> bool:
    """A yes/no with no question of the bot's open: the answer to our confirmation request."""
    answer = states.answer_yes_no(step, text, entities_extract(text))
    if answer is None:
        return False
    pending = _awaiting(step.c)
    if pending is None:
        return False
    if answer and pending.otp_hash and step.c.channel == ChatChannel.SMS:
        step.say(
            _("Please send YES and the 6-digit code from our SMS, for example YES %(code)s.")
            % {"code": "123456"}
        )
        return True
    step.context["complaint"] = pending.complaint.number
    reply, state = actions.resolution_answer(step.c, confirmed=answer)
    step.done()
    step.add(reply)
    step.wait(state)
    return True
