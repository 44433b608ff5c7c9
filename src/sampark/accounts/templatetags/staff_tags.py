"""`{% if user|can:"complaint_work" %}`: the navigation shows only what a role may use."""

from __future__ import annotations

from typing import Any

from django import template

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action
from sampark.accounts.permissions import can as role_can

register = template.Library()


@register.filter
def can(user: Any, action: str) -> bool:
    return isinstance(user, StaffUser) and role_can(user, Action(action))
