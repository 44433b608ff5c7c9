"""What each role may do. Jurisdiction (scoping.py) says where; this says what."""

from __future__ import annotations

from enum import StrEnum

from sampark.core.errors import NotAllowed

from .models import Role, StaffUser


class Action(StrEnum):
    COMPLAINT_REGISTER = "complaint_register"
    COMPLAINT_ASSIGN = "complaint_assign"
    COMPLAINT_WORK = "complaint_work"  # acknowledge, on site, resolve, wait on consumer
    COMPLAINT_CLOSE = "complaint_close"  # record the consumer's confirmation (a caller's word)
    COMPLAINT_REOPEN = "complaint_reopen"  # the problem is back, or was never fixed
    COMPLAINT_CANCEL = "complaint_cancel"  # cancelled / duplicate
    CONSUMER_VIEW = "consumer_view"
    OUTAGE_VIEW = "outage_view"
    OUTAGE_DECLARE = "outage_declare"  # declare, revise the ETR, restore, cancel
    CHAT_HANDLE = "chat_handle"  # take a chatbot handover and reply in the conversation
    COMPENSATION_DECIDE = "compensation_decide"  # approve, reject and pay SoP claims
    CALLBACK_WORK = "callback_work"  # call back a missed caller and record the outcome
    CALLCENTRE_SUPERVISE = "callcentre_supervise"  # agents, queues, call KPIs, staffing
    REVIEW_VIEW = "review_view"  # the review dashboards and accountability ranking


OFFICERS = {Role.SDO, Role.XEN, Role.SE, Role.CE, Role.MD, Role.CHAIRMAN, Role.ADMIN}
FIELD = {Role.JE} | OFFICERS
DESK = {Role.AGENT, Role.SUPERVISOR}

ALLOWED: dict[Action, set[Role]] = {
    Action.COMPLAINT_REGISTER: DESK | FIELD,
    Action.COMPLAINT_ASSIGN: {Role.SUPERVISOR} | OFFICERS,
    Action.COMPLAINT_WORK: FIELD,
    # Closing for the consumer is the desk recording what a caller said; the field closes only
    # through the consumer's code (complaints.closure), never on its own word.
    Action.COMPLAINT_CLOSE: DESK,
    Action.COMPLAINT_REOPEN: DESK | FIELD,
    Action.COMPLAINT_CANCEL: DESK | FIELD,
    Action.CONSUMER_VIEW: DESK | FIELD,
    Action.OUTAGE_VIEW: DESK | FIELD,
    Action.OUTAGE_DECLARE: FIELD,
    Action.CHAT_HANDLE: DESK,
    Action.COMPENSATION_DECIDE: OFFICERS,
    Action.CALLBACK_WORK: DESK,
    Action.CALLCENTRE_SUPERVISE: {Role.SUPERVISOR} | OFFICERS,
    Action.REVIEW_VIEW: {Role.SUPERVISOR} | OFFICERS,
}


def can(user: StaffUser, action: Action) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in ALLOWED[action]


def require(user: StaffUser, action: Action) -> None:
    if not can(user, action):
        raise NotAllowed()
