"""The IVR machine's `Domain`, on the project's own services and selectors.

One instance serves one webhook of one call. Domain errors (sampark.core.errors) become "could
not" answers here, which the machine turns into a spoken apology and another way forward: a
caller never hears a stack trace. The same services as the chatbot's (channels/chatbot/
actions.py) are used for complaints, closure, ratings and compensation claims.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from sampark.callcentre.models import Call
from sampark.callcentre.selectors import queue_wait_estimate
from sampark.callcentre.services import call_link_complaint, callback_open
from sampark.complaints.compensation import (
    compensation_claim_lodge,
    complaint_compensable,
    complaint_late,
)
from sampark.complaints.feedback import complaint_rate, complaint_resolution_answer
from sampark.complaints.informing import complaint_consumer_address
from sampark.complaints.models import (
    SLA_RUNNING_STATUSES,
    Channel,
    CompensationClaim,
    Complaint,
    ComplaintFeedback,
    Status,
)
from sampark.complaints.selectors import complaint_get_public
from sampark.complaints.services import complaint_register
from sampark.consumers.models import Consumer
from sampark.consumers.selectors import consumer_by_account, consumers_by_mobile
from sampark.core import clock
from sampark.core.errors import NotFound, SamparkError
from sampark.outages.models import Outage, OutageKind
from sampark.outages.selectors import outages_active_for_consumer
from sampark.outages.services import outage_restoration_request

from .machine import Caller, ComplaintFacts, OutageFacts, Registered
from .selectors import complaints_by_keyed_digits, complaints_of_caller

log = logging.getLogger(__name__)


class CallDomain:
    def __init__(self, *, call: Call, mobile: str | None) -> None:
        self.call = call
        self.mobile = mobile  # the caller's number as E.164, None when withheld or not a mobile
        self._consumers: dict[int, Consumer] = {}

    def now(self) -> datetime:
        return timezone.localtime(clock.now())

    # --- who is calling ----------------------------------------------------------------------

    def consumers_on_caller(self) -> list[int]:
        if self.mobile is None:
            return []
        try:
            found = consumers_by_mobile(mobile=self.mobile)
        except SamparkError:
            return []
        self._consumers.update({c.pk: c for c in found})
        return [c.pk for c in found]

    def consumer_by_account(self, account: str) -> Caller | None:
        try:
            consumer = consumer_by_account(account_number=account)
        except SamparkError:
            return None
        self._consumers[consumer.pk] = consumer
        mobiles = {consumer.mobile, consumer.alt_mobile} - {None, ""}
        return Caller(consumer=consumer.pk, verified=self.mobile in mobiles)

    def _consumer(self, caller: Caller) -> Consumer | None:
        if caller.consumer is None:
            return None
        if caller.consumer not in self._consumers:
            found = (
                Consumer.objects.select_related("feeder", "subdivision")
                .filter(pk=caller.consumer)
                .first()
            )
            if found is None:
                return None
            self._consumers[caller.consumer] = found
        return self._consumers[caller.consumer]

    # --- outages --------------------------------------------------------------------------------

    def outage_for(self, caller: Caller, language: str) -> OutageFacts | None:
        consumer = self._consumer(caller)
        if consumer is None:
            return None
        found = outages_active_for_consumer(consumer=consumer)
        if not found:
            return None
        outage = found[0]  # the one expected to end last
        return OutageFacts(
            id=outage.pk,
            reason=outage.reason.text_in(language),
            etr=timezone.localtime(outage.etr),
            planned=outage.kind == OutageKind.PLANNED,
            overdue=outage.is_overdue,
        )

    def restoration_request(self, caller: Caller, *, outage: int) -> bool:
        consumer = self._consumer(caller)
        live = Outage.objects.filter(pk=outage).first()
        if consumer is None or live is None:
            return False
        try:
            outage_restoration_request(outage=live, consumer=consumer, mobile=self.mobile)
        except SamparkError:  # restored or cancelled meanwhile
            return False
        return True

    # --- complaints -------------------------------------------------------------------------------

    def complaint_register(
        self, caller: Caller, *, category: str, language: str
    ) -> Registered | None:
        consumer = self._consumer(caller)
        if consumer is None:
            return None
        try:
            registration = complaint_register(
                category=category,
                channel=Channel.IVR,
                consumer=consumer,
                contact_mobile=self.mobile,
                language=language,
                actor_label=f"IVR ({self.call.source})",
            )
        except SamparkError as error:
            log.warning("IVR call %s: complaint not registered: %s", self.call.call_id, error)
            return None
        complaint = registration.complaint
        call_link_complaint(call=self.call, complaint=complaint)
        return Registered(
            number=complaint.number,
            created=registration.created,
            linked_to_outage=complaint.outage_id is not None,
            # complaints.informing sends the number on registration (one message per step).
            told_by_sms=registration.created and complaint_consumer_address(complaint) is not None,
        )

    def _entitled(self, caller: Caller, complaint: Complaint) -> bool:
        """The caller may act on it: its verified consumer, or the number it came from (the
        chatbot's rule)."""
        if (
            caller.verified
            and caller.consumer is not None
            and complaint.consumer_id == caller.consumer
        ):
            return True
        return self.mobile is not None and complaint.contact_mobile == self.mobile

    def complaints_of_caller(self, caller: Caller) -> list[str]:
        rows = complaints_of_caller(
            consumer_id=caller.consumer, verified=caller.verified, mobile=self.mobile
        )
        return [c.number for c in rows]

    def complaints_numbered(self, caller: Caller, *, digits: str) -> list[str]:
        found = complaints_by_keyed_digits(digits=digits)
        own = [c for c in found if self._entitled(caller, c)]
        return [c.number for c in (own or found)]

    def _complaint(self, number: str) -> Complaint | None:
        try:
            return complaint_get_public(number=number)
        except NotFound:
            return None

    def complaint_facts(self, caller: Caller, *, number: str) -> ComplaintFacts | None:
        complaint = self._complaint(number)
        if complaint is None:
            return None
        claim = (
            CompensationClaim.objects.filter(complaint=complaint)
            .values_list("number", flat=True)
            .first()
        )
        late = complaint_late(complaint)
        running = complaint.status in SLA_RUNNING_STATUSES
        return ComplaintFacts(
            number=complaint.number,
            status=complaint.status,
            due=timezone.localtime(complaint.due_at) if running else None,
            entitled=self._entitled(caller, complaint),
            awaiting=complaint.status == Status.RESOLVED,
            rated=ComplaintFeedback.objects.filter(complaint=complaint).exists(),
            claim=claim or "",
            claimable=not claim and late and complaint_compensable(complaint=complaint),
        )

    def resolution_answer(self, caller: Caller, *, number: str, confirmed: bool) -> bool:
        complaint = self._complaint(number)
        if complaint is None or not self._entitled(caller, complaint):
            return False
        try:
            complaint_resolution_answer(
                complaint=complaint, confirmed=confirmed, channel=Channel.IVR
            )
        except SamparkError:
            return False
        return True

    def rate(self, caller: Caller, *, number: str, rating: int) -> bool:
        complaint = self._complaint(number)
        if complaint is None or not self._entitled(caller, complaint):
            return False
        try:
            complaint_rate(complaint=complaint, rating=rating, channel=Channel.IVR)
        except SamparkError:  # rated already: thanked all the same
            return False
        return True

    def claim_lodge(self, caller: Caller, *, number: str) -> tuple[str, bool] | None:
        complaint = self._complaint(number)
        if complaint is None or not self._entitled(caller, complaint):
            return None
        try:
            lodged = compensation_claim_lodge(complaint=complaint, channel=Channel.IVR)
        except SamparkError:
            return None
        return lodged.claim.number, lodged.created

    # --- agents ---------------------------------------------------------------------------------

    def long_wait_minutes(self, queue: str) -> int | None:
        """The expected wait in minutes when it is over the callback-offer limit and the caller
        can be called back (a mobile number); None otherwise."""
        if self.mobile is None:
            return None
        wait = queue_wait_estimate(queue=queue, discom=self.call.discom)
        seconds = wait.total_seconds()
        if seconds <= settings.SAMPARK_IVR_CALLBACK_OFFER_SECONDS:
            return None
        return max(1, math.ceil(seconds / 60))

    def callback_request(self) -> bool:
        return (
            callback_open(call=self.call, requested=True, reason="requested in the IVR") is not None
        )
