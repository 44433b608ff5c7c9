"""The website's complaint: registered once the complainant's mobile is proved by its OTP."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sampark.complaints.models import Category, Channel
from sampark.complaints.services import Registration, complaint_register
from sampark.consumers.mobile_verification import mobile_challenge_use
from sampark.consumers.models import Consumer, MobileChallenge
from sampark.consumers.selectors import consumer_by_account
from sampark.core.errors import ValidationFailed

from ..mobile.services import complaint_otp_proved_then
from .forms import GIVE_PLACE

ACTOR_LABEL = "consumer via website"


def web_complaint_submit(
    *,
    token: str,
    otp: str,
    category: str,
    language: str,
    account_number: str = "",
    location_text: str = "",
    description: str = "",
) -> Registration:
    """Step 2 of the form: the OTP, what and where. Everything but the code is checked first, so
    a typo in the account number costs no attempt; then, in one transaction, the code is checked,
    the challenge spent and the complaint registered (or the open one of the same consumer or
    mobile and category returned: `created` False). A wrong code registers nothing."""
    if category not in Category.values:
        raise ValidationFailed(fields={"category": _("Choose one of the listed categories.")})
    consumer: Consumer | None = None
    if account_number.strip():
        consumer = consumer_by_account(account_number=account_number)
    elif len(location_text.strip()) < 5:
        raise ValidationFailed(fields={"location_text": GIVE_PLACE})

    def register(challenge: MobileChallenge) -> Registration:
        used = mobile_challenge_use(challenge=challenge)
        return complaint_register(
            category=category,
            channel=Channel.WEB,
            consumer=consumer,
            contact_mobile=used.mobile,
            location_text=location_text.strip()[:300],
            description=description.strip()[:2000],
            language=language,
            actor_label=ACTOR_LABEL,
        )

    return complaint_otp_proved_then(token=token, code=otp, then=register)
