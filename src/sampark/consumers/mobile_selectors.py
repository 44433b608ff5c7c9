"""Reads on mobile proofs and the audit log of consumers' mobiles."""

from __future__ import annotations

from django.db.models import QuerySet

from sampark.accounts.models import StaffUser
from sampark.core.errors import NotFound

from .models import Consumer, MobileChallenge, MobileChange, OtpPurpose
from .selectors import consumers_for_staff


def mobile_changes_of(*, consumer: Consumer) -> QuerySet[MobileChange]:
    """The account's mobile history, newest first (numbers masked)."""
    return (
        MobileChange.objects.filter(consumer=consumer)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def mobile_challenge_for_staff(*, user: StaffUser, token: str) -> MobileChallenge:
    """A registration started by staff, if its account lies in the user's jurisdiction."""
    found = (
        MobileChallenge.objects.filter(
            token=token, purpose=OtpPurpose.MOBILE_REGISTER, requested_by__isnull=False
        )
        .select_related("consumer")
        .first()
    )
    if found is None or found.consumer_id is None or not token:
        raise NotFound()
    if not consumers_for_staff(user=user).filter(pk=found.consumer_id).exists():
        raise NotFound()
    return found
