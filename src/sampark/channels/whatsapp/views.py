"""/webhooks/whatsapp/: the WhatsApp Cloud API webhook.

GET is Meta's subscription check. POST must carry a valid X-Hub-Signature-256 (HMAC-SHA256 of
the raw body with SAMPARK_WHATSAPP_APP_SECRET): otherwise 403 and nothing changes. In one
transaction, statuses update outbox rows (sampark.notifications.webhooks.whatsapp) and every
message a user sent is handed to the chatbot (`chat_message_receive`), which stores it once per
WhatsApp message id (Meta retries deliveries for hours) and answers after commit in a background
task, so Meta gets its 200 quickly. Senders that are not valid mobiles for SAMPARK_PHONE_REGION's
rules are acknowledged and ignored.
"""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sampark.core.errors import SamparkError, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.notifications.webhooks.whatsapp import (
    InboundMessage,
    whatsapp_inbound_messages,
    whatsapp_request_signed,
    whatsapp_statuses_apply,
    whatsapp_subscription_check,
)

from ..models import ChatChannel
from ..services import Inbound, chat_message_receive

logger = logging.getLogger(__name__)


def inbound_from(message: InboundMessage) -> Inbound | None:
    """The chatbot's view of one WhatsApp message; None when the sender is not a mobile."""
    try:
        mobile = mobile_to_e164("+" + message.sender.lstrip("+"))
    except ValidationFailed:
        logger.info("whatsapp message %s from a non-mobile sender ignored", message.message_id)
        return None
    return Inbound(
        channel=ChatChannel.WHATSAPP,
        user_key=mobile,
        mobile=mobile,
        text=message.text,
        provider_message_id=message.message_id,
        display_name=message.profile_name,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return whatsapp_subscription_check(request)
    if not whatsapp_request_signed(request):
        return HttpResponseForbidden()
    try:
        payload = json.loads(request.body)
    except ValueError:
        unreadable = SamparkError("The payload could not be read.", code="bad_request")
        return JsonResponse(unreadable.as_dict(), status=400)
    inbounds = [i for m in whatsapp_inbound_messages(payload) if (i := inbound_from(m))]
    with transaction.atomic():
        received, updated = whatsapp_statuses_apply(payload)
        stored = sum(chat_message_receive(inbound=inbound) is not None for inbound in inbounds)
    # "queued": messages stored for the chatbot to answer (a retried delivery is not).
    return JsonResponse({"received": received, "updated": updated, "queued": stored})
