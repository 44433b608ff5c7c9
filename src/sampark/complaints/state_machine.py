"""The complaint lifecycle as an explicit table: anything not listed is refused."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sampark.accounts.permissions import Action
from sampark.core.errors import Conflict

from .models import Status

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset(
        {S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CONSUMER, S.RESOLVED, S.CANCELLED, S.DUPLICATE}
    ),
    S.ASSIGNED: frozenset(
        {S.IN_PROGRESS, S.WAITING_CONSUMER, S.RESOLVED, S.CANCELLED, S.DUPLICATE}
    ),
    S.IN_PROGRESS: frozenset({S.WAITING_CONSUMER, S.RESOLVED, S.CANCELLED}),
    S.WAITING_CONSUMER: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CANCELLED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CONSUMER, S.RESOLVED, S.CANCELLED}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.DUPLICATE: frozenset(),
}

# Which permission a move into each state needs.
ACTION_FOR_TARGET: dict[str, Action] = {
    S.ASSIGNED: Action.COMPLAINT_ASSIGN,
    S.IN_PROGRESS: Action.COMPLAINT_WORK,
    S.WAITING_CONSUMER: Action.COMPLAINT_WORK,
    S.RESOLVED: Action.COMPLAINT_WORK,
    S.CLOSED: Action.COMPLAINT_CLOSE,
    S.REOPENED: Action.COMPLAINT_REOPEN,
    S.CANCELLED: Action.COMPLAINT_CANCEL,
    S.DUPLICATE: Action.COMPLAINT_CANCEL,
}


class IllegalTransition(Conflict):
    code = "illegal_transition"


def transition_check(*, from_status: str, to_status: str) -> None:
    if to_status not in Status.values:
        raise IllegalTransition(
            _("Unknown status “%(status)s”.") % {"status": to_status},
            fields={"status": _("Choose one of the listed statuses.")},
        )
    if to_status not in TRANSITIONS[from_status]:
        raise IllegalTransition(
            _("A complaint cannot move from “%(from)s” to “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
