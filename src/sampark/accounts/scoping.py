"""The one scoping function every staff query goes through.

A staff user sees the subtree of their jurisdiction: a JE their sub-division, an MD their
discom, a 1912 agent every discom the call centre serves (the state node), an admin everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, QuerySet

from sampark.core.errors import NotAllowed

from .models import Role, StaffUser

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    path_prefix: str | None  # None: everything (administrators)
    empty: bool = False  # staff without a jurisdiction see nothing

    def apply(self, queryset: QuerySet[M], *, org_path: str) -> QuerySet[M]:
        """Restrict `queryset` to rows whose org path (the lookup `org_path`) lies in scope."""
        if self.empty:
            return queryset.none()
        if self.path_prefix is None:
            return queryset
        return queryset.filter(**{f"{org_path}__startswith": self.path_prefix})

    def covers(self, path: str | None) -> bool:
        if self.empty:
            return False
        if self.path_prefix is None:
            return True
        return path is not None and path.startswith(self.path_prefix)


NOTHING = Scope(path_prefix=None, empty=True)


def staff_scope(user: StaffUser) -> Scope:
    if not user.is_authenticated or not user.is_active:
        raise NotAllowed()
    if user.is_superuser or user.role == Role.ADMIN:
        return Scope(path_prefix=None)
    jurisdiction = user.jurisdiction
    if jurisdiction is None:
        return NOTHING
    return Scope(path_prefix=jurisdiction.path)
