"""Forms of the staff complaint pages. They parse input; services decide what is allowed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import can
from sampark.accounts.selectors import engineers_covering

from .models import Category, Channel, Complaint, Status
from .selectors import ComplaintFilters
from .state_machine import ACTION_FOR_TARGET, TRANSITIONS

OPEN = ""  # status filter value: every open status (the default view)
ALL = "all"

# What the button that moves a complaint into each status says.
TRANSITION_LABELS: dict[str, Any] = {
    Status.IN_PROGRESS: _("Start work"),
    Status.WAITING_CONSUMER: _("Waiting for the consumer"),
    Status.RESOLVED: _("Mark resolved"),
    Status.CLOSED: _("Close: consumer confirmed"),
    Status.REOPENED: _("Reopen"),
    Status.CANCELLED: _("Cancel complaint"),
    Status.DUPLICATE: _("Mark as duplicate"),
}


class ComplaintListForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open (all open statuses)")), (ALL, _("All")), *Status.choices],
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    # Set by the review dashboards' links (not shown in the filter form).
    channel = forms.ChoiceField(required=False, choices=[("", ""), *Channel.choices])
    unit = forms.CharField(required=False, max_length=40)
    assignee = forms.IntegerField(required=False, min_value=0)
    registered_from = forms.DateField(required=False)
    registered_to = forms.DateField(required=False)  # included

    def filters(self) -> ComplaintFilters:
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or OPEN
        start, end = data.get("registered_from"), data.get("registered_to")
        return ComplaintFilters(
            status=status if status not in (OPEN, ALL) else None,
            category=data.get("category") or None,
            channel=data.get("channel") or None,
            org_code=data.get("unit") or None,
            assignee_id=data.get("assignee"),
            open_only=status == OPEN,
            overdue_only=bool(data.get("overdue")),
            registered_from=_local_midnight(start) if start else None,
            registered_to=_local_midnight(end + timedelta(days=1)) if end else None,
        )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


class ConsumerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mobile or account number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class ComplaintNumberForm(forms.Form):
    number = forms.CharField(label=_("Complaint number"), max_length=24)


class RegisterComplaintForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("What the consumer says"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def transitions_offered(*, complaint: Complaint, user: StaffUser) -> list[tuple[str, Any]]:
    """Buttons for the moves the lifecycle table allows from here and the user's role may make.

    "Assigned" is reached through the assign form, which also names the engineer.
    """
    return [
        (status, TRANSITION_LABELS[status])
        for status in Status.values
        if status in TRANSITIONS[complaint.status]
        and status in TRANSITION_LABELS
        and can(user, ACTION_FOR_TARGET[status])
    ]


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StaffUser) -> str:
        place = obj.jurisdiction.name_en if obj.jurisdiction else ""
        return f"{obj.get_full_name() or obj.username}, {obj.get_role_display()} {place}".strip()


class AssignForm(forms.Form):
    assignee = AssigneeField(label=_("Assign to"), queryset=StaffUser.objects.none())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, complaint: Complaint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, AssigneeField)
        # Only engineers whose area covers the complaint validate: the rest cannot be posted.
        field.queryset = engineers_covering(org_unit=complaint.org_unit)
