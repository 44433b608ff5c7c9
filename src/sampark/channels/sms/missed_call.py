"""/webhooks/missed-call/<secret>: missed calls to the mobile-registration number.

Missed-call services (Exotel, Knowlarity, MyOperator and the like) call this with the caller's
number: GET parameters, a form POST or JSON (one call or a list), the field named by
SAMPARK_MISSED_CALL_FROM_FIELD (default `from`). The secret in the path is
SAMPARK_MISSED_CALL_SECRET; unset or wrong answers 404 and nothing changes.

The caller gets one SMS an hour (template `mobile_missed_call`): reply `REG <account number>`
to register that number on the account (the chatbot takes it from there: the reply comes from
the number, which proves it), or open the website's registration page. A malformed number is a
400 `{"code", "message", "fields"}` and nothing is queued for any caller of the request.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sampark.core.errors import SamparkError
from sampark.core.phones import mobile_to_e164
from sampark.notifications.webhooks.sms import dlr_reports

from ..mobile.services import missed_call_answer


@csrf_exempt
@require_http_methods(["GET", "POST"])
def missed_call(request: HttpRequest, secret: str) -> HttpResponse:
    expected = settings.SAMPARK_MISSED_CALL_SECRET
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Http404  # no hint that the address exists
    field = settings.SAMPARK_MISSED_CALL_FROM_FIELD
    try:
        reports = dlr_reports(request)
    except ValueError:
        unreadable = SamparkError("The call could not be read.", code="bad_request")
        return JsonResponse(unreadable.as_dict(), status=400)
    try:
        callers = [mobile_to_e164(str(r.get(field) or ""), field=field) for r in reports]
        with transaction.atomic():
            answered = sum(missed_call_answer(mobile=caller) for caller in callers)
    except SamparkError as error:
        return JsonResponse(error.as_dict(), status=400 if error.status == 422 else error.status)
    return JsonResponse({"received": len(callers), "answered": answered})
