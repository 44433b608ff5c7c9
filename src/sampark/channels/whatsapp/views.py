"""/webhooks/whatsapp/: the WhatsApp Cloud API webhook.

GET is Meta's subscription check. POST must carry a valid X-Hub-Signature-256 (HMAC-SHA256 of
the raw body with SAMPARK_WHATSAPP_APP_SECRET): otherwise 403 and nothing changes. Statuses update
outbox rows (sampark.notifications.webhooks.whatsapp); each incoming text message goes to the
stakeholder keyword handler and its reply is queued on WhatsApp (topic `keyword:<mobile>`, event
`wa:<message id>`: Meta's retries of the same message get one reply). Other message types, and
senders that are not valid mobiles for SAMPARK_PHONE_REGION's rules, are acknowledged and ignored.
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
from sampark.notifications.models import NotificationChannel
from sampark.notifications.webhooks.whatsapp import (
    whatsapp_inbound_texts,
    whatsapp_request_signed,
    whatsapp_statuses_apply,
    whatsapp_subscription_check,
)

from ..replies import keyword_message_answer

logger = logging.getLogger(__name__)


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
    received, updated = whatsapp_statuses_apply(payload)
    queued = 0
    for message in whatsapp_inbound_texts(payload):
        try:
            mobile = mobile_to_e164("+" + message.sender.lstrip("+"))
        except ValidationFailed:
            logger.info("whatsapp message %s from a non-mobile sender ignored", message.message_id)
            continue
        with transaction.atomic():
            reply = keyword_message_answer(
                mobile=mobile,
                text=message.text,
                channel=NotificationChannel.WHATSAPP,
                event=f"wa:{message.message_id[:100]}",
            )
        queued += reply is not None
    return JsonResponse({"received": received, "updated": updated, "queued": queued})
