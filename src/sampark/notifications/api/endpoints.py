"""GET /api/v1/consumers/{account_number}/notifications: was this consumer told?"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from sampark.accounts.auth import STAFF, caller_of
from sampark.core.paginators import ApiPage
from sampark.notifications.selectors import notifications_for_consumer

from .schemas import NotificationOut, NotificationQuery

router = Router(tags=["notifications"])


@router.get(
    "/{account_number}/notifications",
    response=list[NotificationOut],
    auth=STAFF,
    summary="Messages sent to a consumer",
)
@paginate(ApiPage)
def consumer_notifications(
    request: HttpRequest, account_number: str, query: Query[NotificationQuery]
) -> Any:
    """Every message to the consumer, newest first, with its status and times; `topic`
    narrows to one subject (`outage:17`). Consumers outside your jurisdiction: 404."""
    found = notifications_for_consumer(
        user=caller_of(request).staff(), account_number=account_number, topic=query.topic
    )
    return found.notifications
