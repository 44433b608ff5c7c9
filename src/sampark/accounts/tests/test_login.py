"""Staff sign-in, sign-out and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_in_with_password_lands_on_home(client, staff):
    response = client.post(reverse("staff:login"), {"username": "je1", "password": "test-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")
    home = client.get(reverse("staff:home"))
    assert home.status_code == 200
    assert staff["je"].first_name in home.content.decode()


def test_wrong_password_is_refused_and_nobody_is_signed_in(client, staff):
    response = client.post(reverse("staff:login"), {"username": "je1", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("staff:home")).status_code == 302


def test_pages_need_a_signed_in_user(client, staff):
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_root_redirects_to_staff_home(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:home")


def test_sign_out_is_post_only(client, staff):
    client.force_login(staff["je"])
    assert client.get(reverse("staff:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("staff:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_language_switch_sets_html_lang(client, staff):
    page = client.get(reverse("staff:login")).content.decode()
    assert '<html lang="hi">' in page
    response = client.post(
        reverse("staff:set_language"), {"language": "en", "next": reverse("staff:login")}
    )
    assert response.status_code == 302
    page = client.get(reverse("staff:login")).content.decode()
    assert '<html lang="en">' in page
