"""API authentication: hashed bearer tokens, the staff session, the token command."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from sampark.accounts.models import ApiToken, token_digest
from sampark.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from sampark.core import clock

STAFF_ONLY = "/api/v1/complaints"


def call(client: Client, authorization: str | None, *, lang: str = "en") -> Any:
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return client.get(STAFF_ONLY, HTTP_ACCEPT_LANGUAGE=lang, **extra)


def test_token_is_stored_hashed_and_shown_once(staff):
    token, raw_key = api_token_create(owner=staff["agent"], name="website")

    stored = ApiToken.objects.get(pk=token.pk)
    assert raw_key.startswith("smp_") and len(raw_key) > 40
    assert stored.digest == token_digest(raw_key) and raw_key not in stored.digest
    assert stored.prefix == raw_key[:8]
    assert (stored.owner, stored.revoked, stored.last_used_at) == (staff["agent"], False, None)


def test_a_valid_token_authenticates_as_its_owner(client, staff):
    _, raw_key = api_token_create(owner=staff["agent"], name="website")

    response = call(client, f"Bearer {raw_key}")

    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer smp_not-a-real-key", "Bearer ", "Basic YWdlbnQ6cGFzcw==", "smp_no_scheme"],
)
def test_missing_or_wrong_credentials_are_401(client, staff, authorization):
    response = call(client, authorization)

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Sign in or send a valid API token.",
        "fields": {},
    }


def test_401_is_in_hindi_by_default(client, staff):
    response = client.get(STAFF_ONLY)

    assert response.json()["message"] == "साइन इन करें या मान्य एपीआई टोकन भेजें।"


def test_revoked_token_is_refused(client, staff):
    token, raw_key = api_token_create(owner=staff["agent"], name="old partner")
    api_token_revoke(token=token)

    assert call(client, f"Bearer {raw_key}").status_code == 401


def test_token_of_an_inactive_owner_is_refused(client, staff):
    _, raw_key = api_token_create(owner=staff["agent"], name="website")
    staff["agent"].is_active = False
    staff["agent"].save()

    assert call(client, f"Bearer {raw_key}").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(staff, monkeypatch, django_assert_num_queries):
    token, raw_key = api_token_create(owner=staff["agent"], name="website")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    api_token_authenticate(raw_key=raw_key)

    monkeypatch.setattr(clock, "now", lambda: start + timedelta(seconds=59))
    with django_assert_num_queries(1):  # the look-up only, no write
        api_token_authenticate(raw_key=raw_key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == start

    later = start + timedelta(minutes=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    api_token_authenticate(raw_key=raw_key)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later


def test_staff_session_authenticates(client, staff):
    client.force_login(staff["je"])

    assert call(client, None).status_code == 200


def test_inactive_staff_session_is_refused(client, staff):
    client.force_login(staff["je"])
    staff["je"].is_active = False
    staff["je"].save()

    assert call(client, None).status_code == 401


def test_session_reads_need_no_csrf_token(staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff["je"])

    assert browser.get(STAFF_ONLY).status_code == 200


def test_command_creates_a_working_token(client, staff):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "api_token", "create", "--user", "agent", "--name", "scada", stdout=out, stderr=err
    )

    raw_key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "scada" and token.owner == staff["agent"]
    assert token.digest == token_digest(raw_key)
    assert "not shown again" in err.getvalue() and raw_key not in err.getvalue()
    assert call(client, f"Bearer {raw_key}").status_code == 200


@pytest.mark.parametrize(
    ("user", "name", "problem"),
    [("nobody", "scada", "no staff user 'nobody'"), ("agent", "  ", "--name")],
)
def test_command_refuses_bad_input_and_writes_nothing(staff, user, name, problem):
    with pytest.raises(CommandError, match=problem):
        call_command("api_token", "create", "--user", user, "--name", name)

    assert not ApiToken.objects.exists()
