"""Anonymous API callers are rate-limited per address; staff and tokens are not."""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings

from sampark.accounts.services import api_token_create
from sampark.complaints.models import Complaint

API = "/api/v1/complaints"
BODY = {"account_number": "1234567890", "category": "no_supply"}


@override_settings(SAMPARK_PUBLIC_RATE="3/m")
def test_anonymous_caller_is_stopped_after_the_rate_with_the_error_shape(client, net, staff):
    cache.clear()
    answers = [client.post(API, BODY, content_type="application/json") for _ in range(3)]
    refused = client.post(API, BODY, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    tracked = client.get(f"{API}/{answers[0].json()['number']}")

    assert [a.status_code for a in answers] == [201, 200, 200]
    assert refused.status_code == 429 and tracked.status_code == 429
    assert refused.json()["code"] == "throttled" and refused.json()["fields"] == {}
    assert Complaint.objects.count() == 1
    other = client.post(API, BODY, content_type="application/json", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


@override_settings(SAMPARK_PUBLIC_RATE="1/m")
def test_tokens_and_staff_are_not_limited(client, net, staff):
    cache.clear()
    _token, key = api_token_create(owner=staff["agent"], name="website")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    first = client.post(API, BODY, content_type="application/json", **auth)
    codes = [first.status_code]
    codes += [client.post(API, BODY, content_type="application/json", **auth).status_code]
    client.force_login(staff["agent"])
    codes += [client.get(f"{API}/{first.json()['number']}").status_code for _ in range(3)]
    assert codes == [201, 200, 200, 200, 200]
