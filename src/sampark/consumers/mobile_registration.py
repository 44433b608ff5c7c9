"""Registering or changing a consumer's mobile without taking over someone else's account.

The rules (docs/mobile-registration.md has the reasoning):

- the new mobile proves itself: a code sent to it, or the channel vouches for it (a message
  from that number by SMS or WhatsApp);
- self-service (website, chatbot, SMS) proves the account with what is printed on the bill:
  the account number and the first three letters of the account holder's name;
- an account whose mobile on file is another number needs more: by self-service a second code,
  sent to that old mobile; otherwise a 1912 agent or the office checks the consumer and writes
  down how (the agent path needs no name letters and no old code, but always a note);
- one mobile may be on at most SAMPARK_MOBILE_MAX_ACCOUNTS accounts (families share a phone);
- an account takes at most SAMPARK_MOBILE_ACCOUNT_RATE self-service requests (name guessing
  and code floods of the old mobile stop there);
- every registration, change or re-verification writes a MobileChange row, and the caller
  tells the old mobile (sampark.channels.mobile.services).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.core import clock
from sampark.core.errors import Conflict, NotFound, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.core.throttle import window_allow

from .mobile_verification import mobile_challenge_use, mobile_digest, mobile_masked
from .models import (
    Consumer,
    MobileChallenge,
    MobileChange,
    MobileChangeKind,
    MobileChannel,
    MobileProof,
    OtpPurpose,
)
from .selectors import (
    UNKNOWN_ACCOUNT,
    account_number_clean,
    consumer_by_account,
    consumers_for_staff,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NAME_LETTERS = 3
TITLES = frozenset(
    {"shri", "sri", "shree", "smt", "shrimati", "mr", "mrs", "ms", "miss", "dr", "km", "kumari"}
)

NAME_MISMATCH = _(
    "These letters do not match the name on this account. Enter the first 3 letters of the "
    "name printed on your bill."
)
ENTER_LETTERS = _("Enter the first 3 letters of the name printed on your bill.")
ACCOUNT_BUSY = _(
    "Too many attempts for this account today. Call 1912 or visit your sub-division office."
)
TOO_MANY_ACCOUNTS = _(
    "This mobile is already registered on %(count)s accounts, the most allowed. Call 1912 "
    "or visit your sub-division office."
)
NOTE_NEEDED = _("Write how you checked the consumer (for example: name, address, last bill).")
MOBILE_MOVED = _("The mobile on this account changed meanwhile. Please start again.")


@dataclass(frozen=True)
class Asked:
    """A request that passed the checks: the account, the new mobile and the one on file."""

    consumer: Consumer
    mobile: str
    on_file: str  # "" when the account has no mobile

    @property
    def replaces(self) -> bool:
        return bool(self.on_file) and self.on_file != self.mobile


@dataclass(frozen=True)
class MobileSet:
    change: MobileChange
    consumer: Consumer
    old_mobile: str  # "" unless another number was replaced
    new_mobile: str


def _letters(text: str) -> str:
    """Letters (and Devanagari vowel signs) only, case-folded: "Sh. Ram-Kumar" -> "shramkumar"."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LM")


def name_starts(name: str) -> set[str]:
    """The accepted answers: the name's first letters, with and without a leading title."""
    words = [w for w in re.split(r"[\s.,/]+", name or "") if _letters(w)]
    starts = {_letters("".join(words))[:NAME_LETTERS]}
    while words and _letters(words[0]) in TITLES | {"m", "s"}:  # "M/S Gupta Traders"
        words = words[1:]
    starts.add(_letters("".join(words))[:NAME_LETTERS])
    return {start for start in starts if start}


def name_letters_match(*, name: str, typed: str) -> bool:
    return _letters(typed)[:NAME_LETTERS] in name_starts(name)


def _room_for(*, consumer: Consumer, mobile: str) -> None:
    if consumer.mobile == mobile:
        return
    others = Consumer.objects.filter(mobile=mobile).exclude(pk=consumer.pk).count()
    limit = settings.SAMPARK_MOBILE_MAX_ACCOUNTS
    if others >= limit:
        raise ValidationFailed(fields={"mobile": TOO_MANY_ACCOUNTS % {"count": limit}})


def mobile_registration_check(
    *,
    account_number: str,
    mobile: str,
    name_letters: str = "",
    staff: StaffUser | None = None,
    note: str = "",
) -> Asked:
    """Whether this mobile may be asked for on this account; ValidationFailed/NotFound naming
    the field otherwise. Writes nothing (the per-account count lives in the cache)."""
    fields: dict[str, StrOrPromise] = {}
    try:
        number = account_number_clean(account_number)
    except ValidationFailed as error:
        fields |= error.fields
    try:
        e164 = mobile_to_e164(mobile)
    except ValidationFailed as error:
        fields |= error.fields
    if staff is None and not _letters(name_letters):
        fields["name"] = ENTER_LETTERS
    if staff is not None and len(note.strip()) < 5:
        fields["note"] = NOTE_NEEDED
    if fields:
        raise ValidationFailed(fields=fields)
    if staff is not None:
        require(staff, Action.COMPLAINT_REGISTER)
        consumer = consumers_for_staff(user=staff).filter(account_number=number).first()
        if consumer is None:
            raise NotFound(fields={"account_number": UNKNOWN_ACCOUNT})
    else:
        consumer = consumer_by_account(account_number=number)
        key = f"mobile-register:{consumer.account_number}"
        if not window_allow(key=key, rate=settings.SAMPARK_MOBILE_ACCOUNT_RATE):
            raise ValidationFailed(fields={"account_number": ACCOUNT_BUSY})
        if not name_letters_match(name=consumer.name, typed=name_letters):
            raise ValidationFailed(fields={"name": NAME_MISMATCH})
    _room_for(consumer=consumer, mobile=e164)
    return Asked(consumer=consumer, mobile=e164, on_file=consumer.mobile or "")


def consumer_lock(*, consumer_id: int) -> Consumer:
    return Consumer.objects.select_for_update().get(pk=consumer_id)


def _proof(challenge: MobileChallenge) -> str:
    if challenge.requested_by_id is not None:
        return MobileProof.STAFF_CHECK
    if challenge.old_otp_hash:
        return MobileProof.OLD_MOBILE
    return MobileProof.ACCOUNT_DETAILS


def _label(*, actor: StaffUser | None, given: str, channel: str) -> str:
    if actor is not None:
        return actor.username
    return (given or f"consumer via {channel}")[:150]


def consumer_mobile_set(
    *, challenge: MobileChallenge, actor: StaffUser | None = None, actor_label: str = ""
) -> MobileSet:
    """Spend a proved registration challenge: the account's mobile becomes the challenge's
    (SMS consent on: the consumer asked to be reached), one MobileChange row. Conflict when the
    mobile on file is no longer the one the request saw. `actor`: the staff member finishing
    the agent path, checked against their jurisdiction."""
    if challenge.purpose != OtpPurpose.MOBILE_REGISTER or challenge.consumer_id is None:
        raise NotFound()
    with transaction.atomic():
        if actor is not None:
            require(actor, Action.COMPLAINT_REGISTER)
            if not consumers_for_staff(user=actor).filter(pk=challenge.consumer_id).exists():
                raise NotFound()
        used = mobile_challenge_use(challenge=challenge)
        consumer = consumer_lock(consumer_id=challenge.consumer_id)
        before = consumer.mobile or ""
        if before != used.old_mobile:
            raise Conflict(MOBILE_MOVED, code="mobile_moved")
        _room_for(consumer=consumer, mobile=used.mobile)
        now = clock.now()
        Consumer.objects.filter(pk=consumer.pk).update(
            mobile=used.mobile, consent_sms=True, updated_at=now
        )
        consumer.mobile, consumer.consent_sms = used.mobile, True
        change = mobile_change_row(
            consumer_id=consumer.pk,
            before=before,
            after=used.mobile,
            channel=used.channel,
            proof=_proof(used),
            actor=actor or used.requested_by,
            actor_label=_label(
                actor=actor or used.requested_by, given=actor_label, channel=used.channel
            ),
            note=used.note,
            challenge=used,
            now=now,
        )
        change.save(force_insert=True)
    replaced = before if change.kind == MobileChangeKind.CHANGED else ""
    return MobileSet(change=change, consumer=consumer, old_mobile=replaced, new_mobile=used.mobile)


def mobile_change_row(
    *,
    consumer_id: int,
    before: str,
    after: str,
    channel: str,
    proof: str,
    actor: StaffUser | None,
    actor_label: str,
    now: datetime,
    note: str = "",
    challenge: MobileChallenge | None = None,
) -> MobileChange:
    """The audit row (unsaved: bulk writers batch them) for an account's mobile going from
    `before` to `after` ("" for none)."""
    if not before:
        kind = MobileChangeKind.REGISTERED
    elif not after:
        kind = MobileChangeKind.REMOVED
    elif before == after:
        kind = MobileChangeKind.VERIFIED
    else:
        kind = MobileChangeKind.CHANGED
    old = before if kind in (MobileChangeKind.CHANGED, MobileChangeKind.REMOVED) else ""
    change = MobileChange(
        consumer_id=consumer_id,
        kind=kind,
        channel=channel,
        proof=proof,
        old_mobile_masked=mobile_masked(old),
        old_mobile_digest=mobile_digest(old),
        new_mobile_masked=mobile_masked(after),
        new_mobile_digest=mobile_digest(after),
        actor=actor,
        actor_label=actor_label[:150],
        note=note[:500],
        challenge=challenge,
        created_at=now,
    )
    return change


def consumer_mobile_edited(*, consumer: Consumer, before: str, actor: StaffUser) -> MobileChange:
    """Audit a mobile changed by hand in the admin site (the admin saves the consumer)."""
    change = mobile_change_row(
        consumer_id=consumer.pk,
        before=before,
        after=consumer.mobile or "",
        channel=MobileChannel.ADMIN,
        proof=MobileProof.STAFF_CHECK,
        actor=actor,
        actor_label=actor.username,
        note="edited in the admin site",
        now=clock.now(),
    )
    change.save(force_insert=True)
    return change
