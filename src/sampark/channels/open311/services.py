"""Writes for the Open311 endpoint: a POSTed service request becomes a complaint.

The request is checked first (api_key, then every field), and only then is anything written:
the complaint (or the repeat on the consumer's open one) and the `Open311Request` row, in one
transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import ApiToken
from sampark.accounts.permissions import Action, can
from sampark.accounts.services import api_token_authenticate
from sampark.complaints.models import Channel
from sampark.complaints.services import complaint_register
from sampark.consumers.selectors import consumer_by_account
from sampark.core import clock
from sampark.core.errors import NotAllowed, NotAuthenticated, NotFound, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.network.models import DistributionTransformer

from ..models import Open311Request
from .catalogue import ACCOUNT_NUMBER
from .params import Submission
from .selectors import dt_near, place_by_code

NO_API_KEY = _("api_key is required to submit a service request.")
BAD_API_KEY = _("api_key is not valid.")
KEY_MAY_NOT = _("This api_key may not submit service requests.")
NOT_REGISTERED_MOBILE = _("This is not the mobile number registered for this account.")
GIVE_REGISTERED_MOBILE = _("Give the mobile number registered for this account.")
GIVE_MOBILE = _("Give a mobile number the field team can call.")
UNKNOWN_PLACE = _("No distribution transformer or feeder has this code.")

ACCOUNT_FIELD = f"attribute[{ACCOUNT_NUMBER}]"


@dataclass(frozen=True)
class Submitted:
    request: Open311Request

    @property
    def created(self) -> bool:
        return self.request.created


def open311_api_key_check(*, raw_key: str) -> ApiToken:
    """The integration behind `api_key`, if it may register complaints."""
    if not raw_key:
        raise NotAuthenticated(NO_API_KEY)
    token = api_token_authenticate(raw_key=raw_key)
    if token is None:
        raise NotAuthenticated(BAD_API_KEY)
    if not can(token.owner, Action.COMPLAINT_REGISTER):
        raise NotAllowed(KEY_MAY_NOT)
    return token


def _complainant(form: Submission) -> dict[str, Any]:
    """A consumer by account number (the mobile checked against the registered one), else an
    unregistered caller by mobile, name and place."""
    mobile = mobile_to_e164(form.mobile, field=form.mobile_field) if form.mobile else None
    if form.account_number:
        try:
            consumer = consumer_by_account(account_number=form.account_number, field=ACCOUNT_FIELD)
        except NotFound as missing:  # a bad value in a POST is a 400, not a missing resource
            raise ValidationFailed(fields=missing.fields) from None
        if consumer.mobile and mobile is None:
            raise ValidationFailed(fields={form.mobile_field: GIVE_REGISTERED_MOBILE})
        if consumer.mobile and mobile not in (consumer.mobile, consumer.alt_mobile):
            raise ValidationFailed(fields={form.mobile_field: NOT_REGISTERED_MOBILE})
        return {"consumer": consumer, "contact_mobile": mobile}
    if mobile is None:
        raise ValidationFailed(fields={form.mobile_field: GIVE_MOBILE})
    return {"contact_mobile": mobile, "contact_name": form.name[:120], **_place(form)}


def _place(form: Submission) -> dict[str, Any]:
    if form.address_id:
        found = place_by_code(code=form.address_id)
        if found is None:
            raise ValidationFailed(fields={"address_id": UNKNOWN_PLACE})
        key = "dt" if isinstance(found, DistributionTransformer) else "feeder"
        return {key: found}
    if form.lat is not None and form.long is not None:
        return {"dt": dt_near(lat=form.lat, long=form.long)}
    return {}


def _location_text(form: Submission) -> str:
    parts = [form.address_string]
    if form.lat is not None:
        parts.append(f"{form.lat}, {form.long}")
    if form.address_id:
        parts.append(form.address_id)
    return "; ".join(filter(None, parts))[:300]


def _description(form: Submission) -> str:
    """What the desk reads: the client's text and its photo link (it has no other place)."""
    if not form.media_url:
        return form.description
    return f"{form.description}\n{form.media_url}".strip()


def open311_request_submit(*, api_token: ApiToken, form: Submission, language: str) -> Submitted:
    """Register the complaint (or add the request to the consumer's open one of the same
    category) and record the POST with its token."""
    who = _complainant(form)
    with transaction.atomic():
        registration = complaint_register(
            category=form.service_code,
            channel=Channel.OPEN311,
            location_text=_location_text(form),
            description=_description(form),
            language=language,
            actor=api_token.owner,
            actor_label=f"api:{api_token.name}",
            **who,
        )
        row = Open311Request.objects.create(
            token=secrets.token_urlsafe(16),
            complaint=registration.complaint,
            created=registration.created,
            api_token=api_token,
            service_code=form.service_code,
            description=form.description,
            media_url=form.media_url,
            lat=form.lat,
            long=form.long,
            address_string=form.address_string,
            address_id=form.address_id,
            device_id=form.device_id,
            account_id=form.account_id,
            email=form.email,
            submitted_at=clock.now(),
        )
    return Submitted(request=row)
