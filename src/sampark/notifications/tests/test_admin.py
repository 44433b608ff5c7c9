"""The outbox in the admin: filterable, searchable, read-only, text and segments visible."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sampark.notifications.models import Notification

from .conftest import RESTORED_HI, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, staff):
    client.force_login(staff["admin"])
    return client


def test_changelist_filters_and_search(admin):
    sent = row(status="sent", provider="console", provider_message_id="console-1")
    row(status="failed", recipient="+919839000002", channel="whatsapp")
    url = reverse("admin:notifications_notification_changelist")

    everything = admin.get(url)
    by_status = admin.get(url, {"status__exact": "sent", "channel__exact": "sms"})
    by_provider = admin.get(url, {"provider": "console", "template_key": "outage_restored"})
    other_template = admin.get(url, {"template_key": "outage_declared"})
    by_provider_id = admin.get(url, {"q": "console-1"})
    by_recipient = admin.get(url, {"q": "+919839000002"})
    by_topic = admin.get(url, {"q": "outage:17"})

    assert everything.status_code == 200
    assert list(by_status.context["cl"].result_list) == [sent]
    assert list(by_provider_id.context["cl"].result_list) == [sent]
    assert list(by_provider.context["cl"].result_list) == [sent]
    assert other_template.context["cl"].result_count == 0
    assert by_recipient.context["cl"].result_count == 1
    assert by_topic.context["cl"].result_count == 2


def test_detail_shows_text_and_segments_read_only(admin):
    message = row(segments=2)
    url = reverse("admin:notifications_notification_change", args=[message.pk])

    page = admin.get(url)
    post = admin.post(url, {"status": "delivered", "text": "changed"})

    assert page.status_code == 200
    content = page.content.decode()
    assert RESTORED_HI in content
    assert 'class="readonly">2<' in content.replace("\n", "")  # segments
    assert post.status_code == 403
    assert Notification.objects.get().status == "queued"
    assert admin.get(reverse("admin:notifications_notification_add")).status_code == 403
