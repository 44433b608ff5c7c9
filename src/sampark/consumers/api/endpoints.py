"""GET /api/v1/consumers/lookup: the 1912 agent's first screen."""

from typing import Protocol

from django.http import HttpRequest
from ninja import Query, Router

from sampark.accounts.auth import STAFF, caller_of
from sampark.accounts.models import StaffUser
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_lookup_for_staff

from .schemas import ActiveOutageOut, ConsumerCardOut, LookupQuery, OpenComplaintOut


# Open complaints belong to the complaints app, which sits above this one: the composition
# root (config/api.py) hands the look-up in, so this package never imports complaints.
class OpenComplaints(Protocol):
    def __call__(
        self, *, user: StaffUser, consumers: list[Consumer]
    ) -> dict[int, list[OpenComplaintOut]]: ...


# Outages likewise belong to an app above this one (the outage register).
class ActiveOutages(Protocol):
    def __call__(self, *, consumers: list[Consumer]) -> dict[int, list[ActiveOutageOut]]: ...


def _no_outages(*, consumers: list[Consumer]) -> dict[int, list[ActiveOutageOut]]:
    return {}


def consumers_router(
    *, open_complaints: OpenComplaints, active_outages: ActiveOutages = _no_outages
) -> Router:
    router = Router(tags=["consumers"])

    @router.get("/lookup", response=list[ConsumerCardOut], auth=STAFF)
    def consumer_lookup(request: HttpRequest, query: Query[LookupQuery]) -> list[ConsumerCardOut]:
        """Consumers in your jurisdiction with this mobile or account number, any outage on
        their supply (reason and ETR) and their open complaints. Nothing in scope: 404."""
        user: StaffUser = caller_of(request).staff()
        found: list[Consumer] = consumer_lookup_for_staff(
            user=user, mobile=query.mobile, account_number=query.account_number
        )
        pending = open_complaints(user=user, consumers=found)
        outages = active_outages(consumers=found)
        return [
            ConsumerCardOut.of(
                c, open_complaints=pending.get(c.pk, []), active_outages=outages.get(c.pk, [])
            )
            for c in found
        ]

    return router
