"""/webhooks/sms/<secret>/inbound: messages sent to our number (MO) from the SMS gateway.

The gateway calls with GET parameters, a form POST or a JSON POST (one message or a list). Field
names are configuration: SAMPARK_SMS_INBOUND_FROM_FIELD (default `from`), _TEXT_FIELD (`text`)
and _ID_FIELD (`id`, optional). The secret in the path is SAMPARK_SMS_INBOUND_SECRET, or the DLR
webhook's SAMPARK_SMS_DLR_SECRET when that is empty; a wrong one is a 404 and nothing changes.

Each message is stored in the sender's SMS conversation, keyed by the gateway's message id (or
a hash of sender, text and minute when the gateway sends no id), so a gateway retrying the same
message is answered once. The dialogue engine answers after commit: keyword commands
(NOPOWER <account>, STATUS <complaint>, STOP, START, the zone-group keywords, Hindi ones too)
and free text alike; replies go out as SMS. A malformed sender is a 400
`{"code", "message", "fields"}` and nothing is written.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sampark.core import clock
from sampark.core.errors import SamparkError, ValidationFailed
from sampark.core.phones import mobile_to_e164
from sampark.notifications.webhooks.sms import dlr_reports

from ..models import ChatChannel
from ..services import Inbound, chat_message_receive


def inbound_secret() -> str:
    return settings.SAMPARK_SMS_INBOUND_SECRET or settings.SAMPARK_SMS_DLR_SECRET


def mo_event(report: dict[str, Any], *, mobile: str, text: str) -> str:
    message_id = str(report.get(settings.SAMPARK_SMS_INBOUND_ID_FIELD) or "").strip()
    if message_id:
        return f"mo:{message_id[:100]}"
    minute = clock.now().strftime("%Y%m%d%H%M")
    digest = hashlib.sha1(f"{mobile}\n{text}\n{minute}".encode()).hexdigest()
    return f"mo:{digest}"


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_inbound(request: HttpRequest, secret: str) -> HttpResponse:
    expected = inbound_secret()
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Http404  # no hint that the address exists
    try:
        reports = dlr_reports(request)
    except ValueError:
        unreadable = SamparkError("The message could not be read.", code="bad_request")
        return JsonResponse(unreadable.as_dict(), status=400)
    messages = []
    try:
        for report in reports:
            sender = str(report.get(settings.SAMPARK_SMS_INBOUND_FROM_FIELD) or "")
            mobile = mobile_to_e164(sender, field=settings.SAMPARK_SMS_INBOUND_FROM_FIELD)
            text = str(report.get(settings.SAMPARK_SMS_INBOUND_TEXT_FIELD) or "").strip()
            messages.append((mobile, text, mo_event(report, mobile=mobile, text=text)))
        with transaction.atomic():
            stored = sum(
                chat_message_receive(
                    inbound=Inbound(
                        channel=ChatChannel.SMS,
                        user_key=mobile,
                        mobile=mobile,
                        text=text,
                        provider_message_id=event,
                    )
                )
                is not None
                for mobile, text, event in messages
            )
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=400)
    except SamparkError as error:
        return JsonResponse(error.as_dict(), status=error.status)
    return JsonResponse({"received": len(messages), "stored": stored})
