"""/webhooks/sms/<secret>/dlr: delivery reports from the generic HTTP SMS gateway.

Gateways call back with GET parameters, a form POST or a JSON POST (one report or a list); the
field names and status words are configuration (SAMPARK_SMS_DLR_*). The secret in the path is
the gateway's credential: a wrong one is a 404 and nothing changes. Statuses that are neither
delivered nor failed (submitted, buffered ...) are acknowledged and ignored.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sampark.core import clock
from sampark.core.errors import SamparkError

from ..providers.http_sms import HttpSmsProvider
from ..receipts import Receipt, ReceiptStatus, notification_receipts_apply


def dlr_reports(request: HttpRequest) -> list[dict[str, Any]]:
    """The reports in a request, whichever way the gateway sent them; ValueError if unreadable."""
    if request.method == "GET":
        return [request.GET.dict()]
    if request.content_type == "application/json":
        data = json.loads(request.body or b"null")
        items = data if isinstance(data, list) else [data]
        if not all(isinstance(item, dict) for item in items):
            raise ValueError("expected a JSON object or a list of objects")
        return items
    return [request.POST.dict()]


def dlr_receipt(report: dict[str, Any]) -> Receipt | None:
    message_id = str(report.get(settings.SAMPARK_SMS_DLR_ID_FIELD) or "").strip()
    word = str(report.get(settings.SAMPARK_SMS_DLR_STATUS_FIELD) or "").strip().lower()
    if not message_id:
        return None
    if word in {w.lower() for w in settings.SAMPARK_SMS_DLR_DELIVERED}:
        status = ReceiptStatus.DELIVERED
    elif word in {w.lower() for w in settings.SAMPARK_SMS_DLR_FAILED}:
        status = ReceiptStatus.FAILED
    else:
        return None
    error = f"gateway status {word}" if status == ReceiptStatus.FAILED else ""
    return Receipt(provider_message_id=message_id, status=status, at=clock.now(), error=error)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_dlr(request: HttpRequest, secret: str) -> HttpResponse:
    expected = settings.SAMPARK_SMS_DLR_SECRET
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Http404  # no hint that the address exists
    try:
        reports = dlr_reports(request)
    except ValueError:
        unreadable = SamparkError("The delivery report could not be read.", code="bad_request")
        return JsonResponse(unreadable.as_dict(), status=400)
    receipts = [r for r in map(dlr_receipt, reports) if r is not None]
    updated = notification_receipts_apply(provider=HttpSmsProvider.name, receipts=receipts)
    return JsonResponse({"received": len(reports), "updated": updated})
