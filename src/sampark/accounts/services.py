"""Writes on staff accounts: API tokens for integrations."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from sampark.core import clock

from .models import ApiToken, StaffUser, token_digest

# Recording every use would turn each API read into a write; once a minute is enough to tell
# a live integration from a dead one.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def api_token_create(*, owner: StaffUser, name: str) -> tuple[ApiToken, str]:
    """Issue a token acting as `owner`. The raw key is returned once and never stored."""
    raw_key = ApiToken.new_raw_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name, owner=owner, digest=token_digest(raw_key), prefix=raw_key[:8]
        )
    return token, raw_key


def api_token_authenticate(*, raw_key: str) -> ApiToken | None:
    """The live token with this key (its owner active), or None. Notes when it was last used."""
    if not raw_key:
        return None
    token = (
        ApiToken.objects.select_related("owner__jurisdiction")
        .filter(digest=token_digest(raw_key), revoked=False, owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token.revoked = True
    token.save(update_fields=["revoked"])
    return token
