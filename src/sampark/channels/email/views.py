"""/webhooks/email/: an inbound-mail provider (or a mail server's pipe) POSTs one raw mail.

The body is the mail as received (RFC 5322 bytes, any Content-Type). It must carry either
`X-Sampark-Signature: sha256=<hex HMAC-SHA256 of the body with SAMPARK_EMAIL_WEBHOOK_SECRET>`
or, for providers that can only add a fixed header, `X-Sampark-Token: <the secret>`; anything
else (or no secret configured) is a 403 and nothing is stored. The mail is stored once per
Message-ID and handled after commit by a worker; the answer is 202 at once.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sampark.core.errors import SamparkError

from .services import inbound_mail_accept

MAIL_MAX_BYTES = 25 * 1024 * 1024  # the usual mail size limit (Gmail's)


def email_request_authentic(request: HttpRequest, body: bytes) -> bool:
    secret = settings.SAMPARK_EMAIL_WEBHOOK_SECRET.encode()
    if not secret:
        return False
    signature = request.headers.get("X-Sampark-Signature", "")
    if signature.startswith("sha256="):
        expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(signature.removeprefix("sha256=").lower(), expected)
    token = request.headers.get("X-Sampark-Token", "")
    return bool(token) and hmac.compare_digest(token.encode(), secret)


@csrf_exempt
@require_POST
def email_webhook(request: HttpRequest) -> HttpResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAIL_MAX_BYTES:
        return JsonResponse({"code": "too_large", "message": "Mail too large."}, status=413)
    body = request.read(MAIL_MAX_BYTES + 1)  # not request.body: mails outgrow its 2.5 MB cap
    if len(body) > MAIL_MAX_BYTES:
        return JsonResponse({"code": "too_large", "message": "Mail too large."}, status=413)
    if not email_request_authentic(request, body):
        return HttpResponseForbidden()
    try:
        received = inbound_mail_accept(raw=body)
    except SamparkError as error:
        return JsonResponse(error.as_dict(), status=400)
    answer = {"received": True, "duplicate": not received.created, "state": received.mail.state}
    return JsonResponse(answer, status=202)
