"""Joining on the web: the form's details wait with a hashed OTP until the mobile proves itself.

`stakeholder_join_request` checks the details, stores them with the OTP's digest and queues the
OTP (template `stakeholder_otp`) to the mobile; `stakeholder_join_verify` makes the member when the
right code comes back within `OTP_VALID_MINUTES` and `OTP_MAX_ATTEMPTS`. A wrong, late or
over-tried code joins nobody. A mobile may ask for `SAMPARK_STAKEHOLDER_OTP_PER_HOUR` codes an
hour, so the form cannot be used to flood someone's phone.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from sampark.core import clock
from sampark.core.errors import NotFound, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.network.models import OrgUnit
from sampark.notifications.services import notification_enqueue

from .members import Joined, choices_check, stakeholder_group_ensure, stakeholder_member_join
from .models import JoinedVia, StakeholderOtp

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OTP_VALID_MINUTES = 10  # the stakeholder_otp template tells the member so
OTP_MAX_ATTEMPTS = 5
OTP_DIGITS = 6

TOO_MANY_CODES = _("Too many OTPs were sent to this mobile. Try again in an hour.")
WRONG_CODE = _("This OTP is not right. %(left)s attempts left.")
CODE_EXPIRED = _("This OTP has expired. Ask for a new one.")
TOO_MANY_ATTEMPTS = _("Too many wrong attempts. Ask for a new OTP.")
ALREADY_USED = _("This OTP has already been used.")


@dataclass(frozen=True)
class JoinRequest:
    token: str  # names the verify page
    otp: StakeholderOtp


def _digest(*, token: str, code: str) -> str:
    return salted_hmac("sampark.public.otp", f"{token}:{code}").hexdigest()


def stakeholder_join_request(
    *,
    zone: OrgUnit,
    mobile: str,
    name: str,
    role: str,
    language: str,
    channel: str,
    delivery: str,
) -> JoinRequest:
    """Hold the join details and send an OTP to the mobile."""
    mobile = mobile_to_e164(mobile)
    choices_check(role=role, language=language, channel=channel, delivery=delivery)
    now = clock.now()
    with transaction.atomic():
        group = stakeholder_group_ensure(zone=zone)
        recent = StakeholderOtp.objects.filter(
            mobile=mobile, created_at__gt=now - timedelta(hours=1)
        ).count()
        if recent >= settings.SAMPARK_STAKEHOLDER_OTP_PER_HOUR:
            raise ValidationFailed(fields={"mobile": TOO_MANY_CODES})
        token = secrets.token_urlsafe(18)
        code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
        otp = StakeholderOtp.objects.create(
            token=token,
            group=group,
            mobile=mobile,
            name=name.strip()[:120],
            role=role,
            language=language,
            channel=channel,
            delivery=delivery,
            code_digest=_digest(token=token, code=code),
            expires_at=now + timedelta(minutes=OTP_VALID_MINUTES),
            created_at=now,
        )
        # Queued in the outbox with the request (the dispatcher sends after commit).
        notification_enqueue(
            topic=f"stakeholder-otp:{otp.pk}",
            event="otp",
            channel=channel,
            recipient=mobile,
            template_key="stakeholder_otp",
            language=language,
            variables={"zone": zone.name_in(language), "otp": code},
        )
    return JoinRequest(token=token, otp=otp)


def stakeholder_otp_get(*, token: str) -> StakeholderOtp:
    otp = StakeholderOtp.objects.filter(token=token).select_related("group__zone").first()
    if otp is None or not token:
        raise NotFound()
    return otp


def stakeholder_join_verify(*, token: str, code: str) -> Joined:
    """Check the code; the right one in time makes (or updates) the membership."""
    now = clock.now()
    problem: StrOrPromise | None = None
    with transaction.atomic():
        otp = StakeholderOtp.objects.select_for_update().filter(token=token).first()
        if otp is None or not token:
            raise NotFound()
        if otp.verified_at is not None:
            problem = ALREADY_USED
        elif otp.expires_at <= now:
            problem = CODE_EXPIRED
        elif otp.attempts >= OTP_MAX_ATTEMPTS:
            problem = TOO_MANY_ATTEMPTS
        else:
            otp.attempts += 1
            typed = "".join(ch for ch in code if ch.isdigit())
            if not constant_time_compare(_digest(token=token, code=typed), otp.code_digest):
                left = OTP_MAX_ATTEMPTS - otp.attempts
                problem = WRONG_CODE % {"left": left} if left else TOO_MANY_ATTEMPTS
                otp.save(update_fields=["attempts"])  # counted even though nothing joins
            else:
                otp.verified_at = now
                otp.save(update_fields=["attempts", "verified_at"])
                joined = stakeholder_member_join(
                    group=otp.group,
                    mobile=otp.mobile,
                    via=JoinedVia.WEB,
                    name=otp.name,
                    role=otp.role,
                    language=otp.language,
                    channel=otp.channel,
                    delivery=otp.delivery,
                )
                zone = otp.group.zone
                notification_enqueue(
                    topic=f"stakeholder:{joined.member.pk}",
                    event="joined" if joined.created else f"updated:{otp.pk}",
                    channel=otp.channel,
                    recipient=otp.mobile,
                    template_key="stakeholder_joined",
                    language=otp.language,
                    variables={"zone": zone.name_in(otp.language)},
                )
    if problem is not None:
        raise ValidationFailed(fields={"code": problem})
    return joined
