"""One error type for everything a user can get wrong; one handler turns it into a response.

Services raise `SamparkError` subclasses with a stable `code`, a translated `message` and
per-field messages. The API renders them as `{"code", "message", "fields"}`; the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Text  # a plain or lazily translated message


class SamparkError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request could not be processed.")

    def __init__(
        self,
        message: Text | None = None,
        *,
        fields: Mapping[str, Text] | None = None,
        code: str | None = None,
    ) -> None:
        self.message: Text = message if message is not None else self.default_message
        self.fields = dict(fields or {})
        if code:
            self.code = code
        super().__init__(str(self.message))

    def text(self) -> str:
        """The message and every field message in one line (for a page's message banner)."""
        return " ".join([str(self.message), *(str(text) for text in self.fields.values())])

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": str(self.message),
            "fields": {name: str(text) for name, text in self.fields.items()},
        }


class ValidationFailed(SamparkError):
    status = 422
    code = "validation_failed"
    default_message = _("Some fields are not valid.")


class NotFound(SamparkError):
    status = 404
    code = "not_found"
    default_message = _("Not found.")


class NotAllowed(SamparkError):
    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class NotAuthenticated(SamparkError):
    status = 401
    code = "not_authenticated"
    default_message = _("Sign in or send a valid API token.")


class Conflict(SamparkError):
    status = 409
    code = "conflict"
    default_message = _("This conflicts with the current state.")


class MethodNotAllowed(SamparkError):
    status = 405
    code = "method_not_allowed"
    default_message = _("This address does not accept this method.")


class Throttled(SamparkError):
    status = 429
    code = "throttled"
    default_message = _("Too many requests. Wait a little and try again.")
