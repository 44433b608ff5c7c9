"""Reads on consumers: public identification and scoped staff look-up."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core.errors import NotFound, ValidationFailed
from sampark.core.phones import mobile_to_e164

from .models import ACCOUNT_NUMBER_RE, Consumer

BAD_ACCOUNT = _("An account number has exactly 10 digits.")
UNKNOWN_ACCOUNT = _("No consumer has this account number.")
UNKNOWN_MOBILE = _("No consumer has this registered mobile number.")


def account_number_clean(raw: str, *, field: str = "account_number") -> str:
    text = re.sub(r"[\s-]", "", raw or "")
    if not re.fullmatch(ACCOUNT_NUMBER_RE, text):
        raise ValidationFailed(fields={field: BAD_ACCOUNT})
    return text


def _with_network(qs: QuerySet[Consumer]) -> QuerySet[Consumer]:
    return qs.select_related("dt", "feeder__substation", "subdivision")


def consumer_by_account(*, account_number: str, field: str = "account_number") -> Consumer:
    number = account_number_clean(account_number, field=field)
    found = _with_network(Consumer.objects.filter(account_number=number)).first()
    if found is None:
        raise NotFound(fields={field: UNKNOWN_ACCOUNT})
    return found


def consumers_by_mobile(*, mobile: str, field: str = "mobile") -> list[Consumer]:
    """All consumers registered on a mobile (one phone often serves a family's connections)."""
    e164 = mobile_to_e164(mobile, field=field)
    found = list(_with_network(Consumer.objects.filter(mobile=e164)).order_by("id")[:20])
    if not found:
        raise NotFound(fields={field: UNKNOWN_MOBILE})
    return found


def consumers_for_staff(*, user: StaffUser) -> QuerySet[Consumer]:
    require(user, Action.CONSUMER_VIEW)
    return staff_scope(user).apply(
        _with_network(Consumer.objects.all()), org_path="subdivision__path"
    )


def consumer_lookup_for_staff(
    *, user: StaffUser, mobile: str | None = None, account_number: str | None = None
) -> list[Consumer]:
    if not mobile and not account_number:
        raise ValidationFailed(fields={"query": _("Give a mobile number or an account number.")})
    qs = consumers_for_staff(user=user)
    if account_number:
        qs = qs.filter(account_number=account_number_clean(account_number))
    if mobile:
        qs = qs.filter(mobile=mobile_to_e164(mobile))
    found = list(qs.order_by("id")[:20])
    if not found:
        raise NotFound()
    return found
