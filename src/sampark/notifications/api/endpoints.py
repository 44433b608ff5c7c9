"""GET /api/v1/consumers/{account_number}/notifications: was this consumer told?"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from sampark.accounts.auth import STAFF, caller_of
from sampark.notifications.selectors import notifications_for_consumer

from .schemas import NotificationOut, NotificationQuery

MAX_PAGE = 200

router = Router(tags=["notifications"])


class Page(LimitOffsetPagination):
    """`limit` (1-200, default 50) and `offset`; the answer carries `items` and `count`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


@router.get(
    "/{account_number}/notifications",
    response=list[NotificationOut],
    auth=STAFF,
    summary="Messages sent to a consumer",
)
@paginate(Page)
def consumer_notifications(
    request: HttpRequest, account_number: str, query: Query[NotificationQuery]
) -> Any:
    """Every message to the consumer, newest first, with its status and times; `topic`
    narrows to one subject (`outage:17`). Consumers outside your jurisdiction: 404."""
    found = notifications_for_consumer(
        user=caller_of(request).staff(), account_number=account_number, topic=query.topic
    )
    return found.notifications
