"""Who is calling the JSON API: an integration's bearer token, a signed-in staff member, or
(only where an endpoint allows it) an anonymous member of the public.

Every auth class returns a `Caller`; endpoints read it with `caller_of(request)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from sampark.core.errors import NotAuthenticated

from .models import ApiToken, StaffUser
from .services import api_token_authenticate


@dataclass(frozen=True)
class Caller:
    user: StaffUser | None = None  # a token acts as its owner
    token: ApiToken | None = None

    @property
    def is_staff(self) -> bool:
        return self.user is not None

    @property
    def label(self) -> str:
        """How the audit trail names a caller that is not simply a staff user."""
        if self.token is not None:
            return f"api:{self.token.name}"
        return "" if self.user is not None else "consumer"

    def staff(self) -> StaffUser:
        if self.user is None:
            raise NotAuthenticated()
        return self.user


ANONYMOUS = Caller()


class TokenAuth(HttpBearer):
    """`Authorization: Bearer smp_...` against hashed, unrevoked `ApiToken` rows."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        found = api_token_authenticate(raw_key=token.strip())
        if found is None:
            # A wrong key is an error even on endpoints open to the public: the client
            # believes it is authenticated and must be told it is not.
            raise AuthenticationError()
        return Caller(user=found.owner, token=found)


class StaffSessionAuth(APIKeyCookie):
    """The Django session of the staff pages, with ninja's CSRF check on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in user there are no cookie credentials to forge, so anonymous
        # posts (the public website form) skip the CSRF check instead of failing it.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if isinstance(user, StaffUser) and user.is_authenticated and user.is_active:
            return Caller(user=user)
        return None


def anonymous(request: HttpRequest) -> Caller:
    return ANONYMOUS


token_auth = TokenAuth()
session_auth = StaffSessionAuth()

STAFF: list[Any] = [token_auth, session_auth]
PUBLIC: list[Any] = [token_auth, session_auth, anonymous]


def caller_of(request: HttpRequest) -> Caller:
    found = getattr(request, "auth", None)
    return found if isinstance(found, Caller) else ANONYMOUS


def staff_of(request: HttpRequest) -> StaffUser:
    """The signed-in staff user of a page request (views run behind login_required)."""
    user = request.user
    assert isinstance(user, StaffUser)
    return user
