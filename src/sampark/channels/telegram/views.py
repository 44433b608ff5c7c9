"""/webhooks/telegram/: the Telegram Bot API webhook (set with setWebhook and a secret_token).

Telegram sends the secret in X-Telegram-Bot-Api-Secret-Token; unless it matches
SAMPARK_TELEGRAM_WEBHOOK_SECRET (which must be set) the answer is 403 and nothing changes. A
private-chat message or button tap goes to the chatbot (`chat_message_receive`: stored once per
update id, answered after commit by a background task), so Telegram gets its 200 at once.

A button tap is answered in the webhook's own reply (the Bot API runs a method named in the
reply body: answerCallbackQuery), which stops the client's progress spinner without a request of
our own; every other update gets `{"ok": true}`.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sampark.core.errors import SamparkError

from ..services import chat_message_receive
from .parsing import telegram_update_read


def telegram_request_authentic(request: HttpRequest) -> bool:
    secret = settings.SAMPARK_TELEGRAM_WEBHOOK_SECRET
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    if not telegram_request_authentic(request):
        return HttpResponseForbidden()
    try:
        update = telegram_update_read(json.loads(request.body))
    except ValueError:
        unreadable = SamparkError("The update could not be read.", code="bad_request")
        return JsonResponse(unreadable.as_dict(), status=400)
    if update.inbound is not None:
        chat_message_receive(inbound=update.inbound)
    if update.callback_query_id:
        answer = {"method": "answerCallbackQuery", "callback_query_id": update.callback_query_id}
        return JsonResponse(answer)
    return JsonResponse({"ok": True})
