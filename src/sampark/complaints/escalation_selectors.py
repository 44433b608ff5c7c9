"""Reads on the escalation ladder and the "responsibility fixed" register, always scoped."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.accounts.scoping import staff_scope
from sampark.core import clock
from sampark.core.errors import ValidationFailed

from .models import Complaint, ComplaintEscalation, Explanation


class ExplanationState(models.TextChoices):
    PENDING = "pending", _("Awaiting reply")
    REPLIED = "replied", _("Replied")
    MISSED = "missed", _("No reply in time")


def explanations_register(*, user: StaffUser, status: str | None = None) -> QuerySet[Explanation]:
    """Explanations asked on complaints in the user's area, newest first.

    pending: no reply yet and still within time; replied: answered (perhaps late);
    missed: no reply by `due_at` (the absence is the record).
    """
    require(user, Action.CONSUMER_VIEW)
    found = staff_scope(user).apply(Explanation.objects.all(), org_path="complaint__org_unit__path")
    now = clock.now()
    if status == ExplanationState.PENDING:
        found = found.filter(replied_at__isnull=True, due_at__gt=now)
    elif status == ExplanationState.REPLIED:
        found = found.filter(replied_at__isnull=False)
    elif status == ExplanationState.MISSED:
        found = found.filter(replied_at__isnull=True, due_at__lte=now)
    elif status:
        raise ValidationFailed(fields={"status": _("Choose one of the listed states.")})
    return found.select_related("complaint", "officer").order_by("-requested_at", "-id")


def complaint_escalations(*, complaint: Complaint) -> QuerySet[ComplaintEscalation]:
    """The rungs a complaint reached, lowest first, with who was told and when."""
    return complaint.escalations.select_related("officer").order_by("level")
