"""OTP challenges with their SMS, and mobile registration from start to the old mobile's notice.

Each service is one transaction: the challenge (or the change) and its outbox rows commit
together, so a code is never sent for a challenge that was rolled back, and the dispatcher sends
after commit. Codes go by SMS whatever the consumer's WhatsApp choice: an OTP must reach the
number being proved, and SMS is what every phone has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sampark.accounts.models import StaffUser
from sampark.consumers.mobile_registration import (
    MobileSet,
    consumer_mobile_set,
    mobile_registration_check,
)
from sampark.consumers.mobile_verification import (
    ENTER_CODE,
    Issued,
    mobile_challenge_check,
    mobile_challenge_issue,
    mobile_challenge_resend,
)
from sampark.consumers.models import (
    Consumer,
    MobileChallenge,
    MobileChannel,
    OtpPurpose,
)
from sampark.core import clock
from sampark.core.errors import ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.notifications.models import NotificationChannel
from sampark.notifications.services import notification_enqueue
from sampark.outages.wording import when_text

T = TypeVar("T")
VOUCHED = (MobileChannel.SMS, MobileChannel.WHATSAPP)  # the message came from the number


def account_masked(account_number: str) -> str:
    return f"XXXXXX{account_number[-4:]}"


def _codes_send(issued: Issued) -> None:
    """The new mobile's code and the old mobile's, each one outbox row (keyed per send)."""
    challenge = issued.challenge
    consumer = challenge.consumer
    minutes = settings.SAMPARK_OTP_VALID_MINUTES
    topic, event = f"otp:{challenge.pk}", f"send:{challenge.sends}"
    if issued.code:
        variables: dict[str, object] = {"otp": issued.code, "minutes": minutes}
        template = "web_complaint_otp"
        if challenge.purpose == OtpPurpose.MOBILE_REGISTER and consumer is not None:
            template = "mobile_register_otp"
            variables["account"] = account_masked(consumer.account_number)
        notification_enqueue(
            topic=topic,
            event=f"{event}:new",
            channel=NotificationChannel.SMS,
            recipient=challenge.mobile,
            template_key=template,
            language=challenge.language,
            variables=variables,
        )
    if issued.old_code and consumer is not None:
        notification_enqueue(
            topic=topic,
            event=f"{event}:old",
            channel=NotificationChannel.SMS,
            recipient=challenge.old_mobile,
            template_key="mobile_change_old_otp",
            language=consumer.language,
            variables={
                "account": account_masked(consumer.account_number),
                "tail": challenge.mobile[-4:],
                "otp": issued.old_code,
                "minutes": minutes,
            },
            consumer=consumer,
        )


def complaint_otp_request(
    *, mobile: str, language: str, client_ip: str | None = None
) -> MobileChallenge:
    """Step 1 of the website's complaint form: a code to the complainant's mobile."""
    e164 = mobile_to_e164(mobile)
    with transaction.atomic():
        issued = mobile_challenge_issue(
            purpose=OtpPurpose.COMPLAINT,
            channel=MobileChannel.WEB,
            mobile=e164,
            language=language,
            client_ip=client_ip,
        )
        _codes_send(issued)
    return issued.challenge


def mobile_otp_resend(*, token: str, purpose: str) -> MobileChallenge:
    """New codes for a pending challenge, after the cool-down (mobile_challenge_resend)."""
    with transaction.atomic():
        issued = mobile_challenge_resend(token=token, purpose=purpose)
        _codes_send(issued)
    return issued.challenge


def mobile_registration_start(
    *,
    account_number: str,
    mobile: str,
    channel: str,
    language: str,
    name_letters: str = "",
    staff: StaffUser | None = None,
    note: str = "",
    client_ip: str | None = None,
) -> MobileChallenge:
    """Check the request (consumers.mobile_registration) and send its codes: one to the new
    mobile unless the channel vouches for it, one to the old mobile when self-service replaces
    another number. A challenge needing no code at all is ready for `..._finish` at once."""
    asked = mobile_registration_check(
        account_number=account_number,
        mobile=mobile,
        name_letters=name_letters,
        staff=staff,
        note=note,
    )
    with transaction.atomic():
        issued = mobile_challenge_issue(
            purpose=OtpPurpose.MOBILE_REGISTER,
            channel=MobileChannel.AGENT if staff is not None else channel,
            mobile=asked.mobile,
            language=language,
            send_code=staff is not None or channel not in VOUCHED,
            consumer=asked.consumer,
            old_mobile=asked.on_file,
            ask_old=staff is None and asked.replaces,
            requested_by=staff,
            note=note,
            client_ip=client_ip,
        )
        _codes_send(issued)
    return issued.challenge


def _proved_then(
    *, token: str, purpose: str, code: str, old_code: str, then: Callable[[MobileChallenge], T]
) -> T:
    """Check the codes and, once every one asked for is right, do `then` in the same
    transaction. A wrong code's attempt is committed before its error is raised."""
    failure: ValidationFailed | None = None
    with transaction.atomic():
        try:
            challenge = mobile_challenge_check(
                token=token, purpose=purpose, code=code, old_code=old_code
            )
            if not challenge.satisfied:
                missing = {}
                if challenge.otp_hash and challenge.verified_at is None:
                    missing["otp"] = ENTER_CODE
                if challenge.old_otp_hash and challenge.old_verified_at is None:
                    missing["old_otp"] = ENTER_CODE
                raise ValidationFailed(fields=missing)
        except ValidationFailed as error:
            failure = error
        else:
            return then(challenge)
    assert failure is not None
    raise failure


def mobile_registration_code(*, token: str, code: str = "", old_code: str = "") -> MobileChallenge:
    """One code at a time (the chatbot asks for them in turn): the challenge, maybe not yet
    satisfied. A wrong code raises ValidationFailed with the attempt counted."""
    return mobile_challenge_check(
        token=token, purpose=OtpPurpose.MOBILE_REGISTER, code=code, old_code=old_code
    )


def _told(mobile_set: MobileSet, *, language: str, confirm_new: bool) -> None:
    consumer, change = mobile_set.consumer, mobile_set.change
    account = account_masked(consumer.account_number)
    topic = f"mobile-change:{change.pk}"
    if confirm_new:
        notification_enqueue(
            topic=topic,
            event="registered",
            channel=NotificationChannel.SMS,
            recipient=mobile_set.new_mobile,
            template_key="mobile_registered",
            language=language,
            variables={"account": account},
            consumer=consumer,
        )
    if mobile_set.old_mobile:
        # The cooling-off notice: whoever held the old number hears of the change at once.
        when = when_text(change.created_at, consumer.language)
        notification_enqueue(
            topic=topic,
            event="old-told",
            channel=NotificationChannel.SMS,
            recipient=mobile_set.old_mobile,
            template_key="mobile_changed_notice",
            language=consumer.language,
            variables={"account": account, "tail": mobile_set.new_mobile[-4:], "when": when},
            consumer=consumer,
        )


def mobile_registration_finish(
    *,
    token: str,
    code: str = "",
    old_code: str = "",
    actor: StaffUser | None = None,
    actor_label: str = "",
    confirm_new: bool = True,
) -> MobileSet:
    """The codes back: the account's mobile set, the audit row written, the new mobile
    confirmed (unless `confirm_new` is False: a chat already says so) and the old one told."""

    def apply(challenge: MobileChallenge) -> MobileSet:
        done = consumer_mobile_set(challenge=challenge, actor=actor, actor_label=actor_label)
        _told(done, language=challenge.language, confirm_new=confirm_new)
        return done

    return _proved_then(
        token=token,
        purpose=OtpPurpose.MOBILE_REGISTER,
        code=code,
        old_code=old_code,
        then=apply,
    )


def complaint_otp_proved_then(*, token: str, code: str, then: Callable[[MobileChallenge], T]) -> T:
    """The complaint form's step 2: the code right, then `then` (which spends the challenge
    with mobile_challenge_use and registers the complaint) in the same transaction."""
    return _proved_then(
        token=token, purpose=OtpPurpose.COMPLAINT, code=code, old_code="", then=then
    )


def missed_call_answer(*, mobile: str) -> bool:
    """A missed call to the registration number: one SMS an hour to the caller, saying how to
    register by SMS or on the website. True when one was queued now."""
    e164 = mobile_to_e164(mobile, field=settings.SAMPARK_MISSED_CALL_FROM_FIELD)
    known = Consumer.objects.filter(mobile=e164).values_list("language", flat=True).first()
    link = settings.SAMPARK_PUBLIC_URL.rstrip("/") + reverse("webform:mobile")
    hour = timezone.localtime(clock.now()).strftime("%Y%m%d%H")
    queued = notification_enqueue(
        topic=f"missed-call:{e164}",
        event=hour,
        channel=NotificationChannel.SMS,
        recipient=e164,
        template_key="mobile_missed_call",
        language=known or "hi",
        variables={"link": link},
    )
    return queued is not None
