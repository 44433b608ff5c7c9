"""Proving a mobile with a one-time code: issue, resend, check, use (MobileChallenge).

Nothing here sends: `mobile_challenge_issue` and `mobile_challenge_resend` return the codes in
memory and the caller queues them in the notifications outbox in the same transaction
(sampark.channels.mobile.services; the outbox layer sits above this one).

Rules (settings SAMPARK_OTP_*): six digits, valid `VALID_MINUTES` from the last send, the
`MAX_ATTEMPTS`-th wrong submission locks the challenge, a resend waits `RESEND_SECONDS` and
brings a new code, at most `PER_MOBILE_HOUR` codes go to one number in an hour (as the new or
the old mobile), and a new challenge replaces the pending one for the same number and purpose.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.core import clock
from sampark.core.errors import Conflict, NotFound, ValidationFailed

from .models import Consumer, MobileChallenge, OtpStatus
from .otp import otp_clean, otp_matches, otp_new

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_SENDS = 3  # the first code and two resends
HASH_PURPOSE = "sampark.consumers.mobile"

TOO_MANY_CODES = _("Too many OTPs were sent to this mobile. Try again in an hour.")
WAIT_RESEND = _("Wait %(seconds)s seconds before asking for a new OTP.")
NO_MORE_RESENDS = _("No more OTPs can be sent for this request. Start again.")
ENTER_CODE = _("Enter the 6-digit OTP.")
WRONG_CODE = _("This OTP is not right. %(left)s attempts left.")
TOO_MANY_ATTEMPTS = _("Too many wrong attempts. Ask for a new OTP.")
CODE_EXPIRED = _("This OTP has expired. Ask for a new one.")
ALREADY_USED = _("This OTP has already been used.")
REPLACED = _("A newer OTP was sent. Enter that one.")


@dataclass(frozen=True)
class Issued:
    """A challenge and its codes, in memory only: "" where no code was sent."""

    challenge: MobileChallenge
    code: str
    old_code: str


def mobile_masked(mobile: str | None) -> str:
    """ "+91••••••2345": enough for its owner to recognise it."""
    if not mobile:
        return ""
    return f"{mobile[:3]}••••••{mobile[-4:]}" if mobile.startswith("+91") else f"••••{mobile[-4:]}"


def mobile_digest(mobile: str | None) -> str:
    """A keyed digest: the same number gives the same value, the value gives no number."""
    if not mobile:
        return ""
    return salted_hmac("sampark.consumers.mobile-change", mobile, algorithm="sha256").hexdigest()


def _valid_until(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.SAMPARK_OTP_VALID_MINUTES)


def codes_sent_recently(*, mobile: str, now: datetime) -> int:
    """Codes sent to this number in the last hour, as the new mobile or as the old one."""
    since = now - timedelta(hours=1)
    total = MobileChallenge.objects.filter(
        Q(mobile=mobile) & ~Q(otp_hash="") | Q(old_mobile=mobile) & ~Q(old_otp_hash=""),
        sent_at__gt=since,
    ).aggregate(total=Sum("sends"))["total"]
    return int(total or 0)


def _room_check(*, mobiles: list[str], now: datetime, field: str = "mobile") -> None:
    for mobile in mobiles:
        if codes_sent_recently(mobile=mobile, now=now) >= settings.SAMPARK_OTP_PER_MOBILE_HOUR:
            raise ValidationFailed(fields={field: TOO_MANY_CODES})


def mobile_challenge_issue(
    *,
    purpose: str,
    channel: str,
    mobile: str,
    language: str,
    send_code: bool = True,
    consumer: Consumer | None = None,
    old_mobile: str = "",
    ask_old: bool = False,
    requested_by: StaffUser | None = None,
    note: str = "",
    client_ip: str | None = None,
) -> Issued:
    """A new challenge for `mobile` (E.164), replacing the pending one for the same number,
    purpose and account. `send_code` False: the channel vouches for the number, which counts as
    proved now. `ask_old`: a second code for `old_mobile`. Call inside the transaction that
    queues the codes."""
    now = clock.now()
    asked = [m for m, wanted in ((mobile, send_code), (old_mobile, ask_old)) if wanted and m]
    with transaction.atomic():
        _room_check(mobiles=asked, now=now)
        MobileChallenge.objects.filter(
            purpose=purpose, mobile=mobile, consumer=consumer, status=OtpStatus.PENDING
        ).update(status=OtpStatus.REPLACED)
        code, hashed = otp_new(purpose=HASH_PURPOSE) if send_code else ("", "")
        old_code, old_hashed = otp_new(purpose=HASH_PURPOSE) if ask_old and old_mobile else ("", "")
        challenge = MobileChallenge.objects.create(
            token=secrets.token_urlsafe(24),
            purpose=purpose,
            channel=channel,
            language=language,
            mobile=mobile,
            otp_hash=hashed,
            verified_at=None if send_code else now,
            consumer=consumer,
            old_mobile=old_mobile or "",
            old_otp_hash=old_hashed,
            requested_by=requested_by,
            note=note.strip()[:500],
            client_ip=client_ip or None,
            created_at=now,
            sent_at=now,
            expires_at=_valid_until(now),
        )
    return Issued(challenge=challenge, code=code, old_code=old_code)


def _locked(*, token: str, purpose: str) -> MobileChallenge:
    found = (
        MobileChallenge.objects.select_for_update(of=("self",))
        .filter(token=token, purpose=purpose)
        .select_related("consumer")
        .first()
    )
    if found is None or not token:
        raise NotFound()
    return found


def _usable(challenge: MobileChallenge, *, now: datetime) -> None:
    """Conflict unless the challenge can still take a code."""
    if challenge.status == OtpStatus.USED:
        raise Conflict(ALREADY_USED, code="otp_used")
    if challenge.status == OtpStatus.REPLACED:
        raise Conflict(REPLACED, code="otp_replaced")
    if challenge.status == OtpStatus.LOCKED:
        raise Conflict(TOO_MANY_ATTEMPTS, code="otp_locked")
    if challenge.expires_at <= now:
        raise Conflict(CODE_EXPIRED, code="otp_expired")


def mobile_challenge_resend(*, token: str, purpose: str) -> Issued:
    """New codes for the same challenge (the old ones stop working), a fresh time limit; the
    wrong attempts already made still count."""
    now = clock.now()
    with transaction.atomic():
        challenge = _locked(token=token, purpose=purpose)
        if challenge.status != OtpStatus.PENDING:
            _usable(challenge, now=now)  # a pending code past its time may be replaced
        waited = (now - challenge.sent_at).total_seconds()
        if waited < settings.SAMPARK_OTP_RESEND_SECONDS:
            left = int(settings.SAMPARK_OTP_RESEND_SECONDS - waited) + 1
            raise ValidationFailed(fields={"otp": WAIT_RESEND % {"seconds": left}})
        if challenge.sends >= MAX_SENDS:
            raise ValidationFailed(fields={"otp": NO_MORE_RESENDS})
        code = old_code = ""
        needs_new = bool(challenge.otp_hash) and challenge.verified_at is None
        needs_old = bool(challenge.old_otp_hash) and challenge.old_verified_at is None
        targets = ((challenge.mobile, needs_new), (challenge.old_mobile, needs_old))
        _room_check(mobiles=[m for m, need in targets if need], now=now, field="otp")
        if needs_new:
            code, challenge.otp_hash = otp_new(purpose=HASH_PURPOSE)
        if needs_old:
            old_code, challenge.old_otp_hash = otp_new(purpose=HASH_PURPOSE)
        challenge.sends += 1
        challenge.sent_at = now
        challenge.expires_at = _valid_until(now)
        challenge.save(update_fields=["otp_hash", "old_otp_hash", "sends", "sent_at", "expires_at"])
    return Issued(challenge=challenge, code=code, old_code=old_code)


def mobile_challenge_check(
    *, token: str, purpose: str, code: str = "", old_code: str = ""
) -> MobileChallenge:
    """Check the codes given for what is still unproved; the challenge (maybe only partly proved:
    see `satisfied`). A wrong code: ValidationFailed naming the field, the attempt saved first,
    so a caller running this inside its own transaction must let that commit (catch, leave the
    block, raise). Used, replaced, locked or expired: Conflict, nothing changed."""
    problem: dict[str, StrOrPromise] = {}
    with transaction.atomic():
        challenge = _locked(token=token, purpose=purpose)
        now = clock.now()
        _usable(challenge, now=now)
        given = []
        if challenge.otp_hash and challenge.verified_at is None and code:
            given.append(("otp", otp_clean(code), challenge.otp_hash, "verified_at"))
        if challenge.old_otp_hash and challenge.old_verified_at is None and old_code:
            given.append(
                ("old_otp", otp_clean(old_code), challenge.old_otp_hash, "old_verified_at")
            )
        malformed = {field: ENTER_CODE for field, typed, _stored, _at in given if not typed}
        if malformed:
            raise ValidationFailed(fields=malformed)
        wrong = []
        for field, typed, stored, at in given:
            if otp_matches(purpose=HASH_PURPOSE, stored=stored, code=typed):
                setattr(challenge, at, now)
            else:
                wrong.append(field)
        if wrong:
            challenge.attempts += 1
            left = settings.SAMPARK_OTP_MAX_ATTEMPTS - challenge.attempts
            if left <= 0:
                challenge.status = OtpStatus.LOCKED
            text = WRONG_CODE % {"left": left} if left > 0 else TOO_MANY_ATTEMPTS
            problem = {field: text for field in wrong}
        challenge.save(update_fields=["verified_at", "old_verified_at", "attempts", "status"])
    if problem:
        raise ValidationFailed(fields=problem)
    return challenge


def mobile_challenge_use(*, challenge: MobileChallenge) -> MobileChallenge:
    """Spend a proved challenge (inside the caller's transaction, with what it proved for)."""
    locked = _locked(token=challenge.token, purpose=challenge.purpose)
    now = clock.now()
    _usable(locked, now=now)
    if not locked.satisfied:
        fields = {}
        if locked.otp_hash and locked.verified_at is None:
            fields["otp"] = ENTER_CODE
        if locked.old_otp_hash and locked.old_verified_at is None:
            fields["old_otp"] = ENTER_CODE
        raise ValidationFailed(fields=fields)
    locked.status = OtpStatus.USED
    locked.used_at = now
    locked.save(update_fields=["status", "used_at"])
    return locked


def mobile_challenge_get(*, token: str, purpose: str) -> MobileChallenge:
    """A challenge by its token (what a page shows: where the codes went)."""
    found = (
        MobileChallenge.objects.filter(token=token, purpose=purpose)
        .select_related("consumer")
        .first()
    )
    if found is None or not token:
        raise NotFound()
    return found
