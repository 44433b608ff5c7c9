"""Providers retry and users double-tap: several workers at once (PostgreSQL only; SQLite
serializes writers, so the race cannot happen there)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from sampark.channels.models import ChatMessage, Conversation
from sampark.channels.services import Inbound, chat_message_receive, conversation_answer
from sampark.complaints.models import Complaint
from sampark.notifications.models import Notification
from sampark.testing.concurrency import race
from sampark.testing.factories import small_network_build

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]

THREADS = 8


def inbound(text: str, message_id: str, mobile: str) -> Inbound:
    return Inbound(
        channel="whatsapp",
        user_key=mobile,
        mobile=mobile,
        text=text,
        provider_message_id=message_id,
    )


def test_one_message_delivered_by_eight_retries_at_once_is_stored_once():
    net = small_network_build()
    message = inbound("hello", "wamid.race", net.consumer1.mobile)

    results = race(lambda: chat_message_receive(inbound=message), threads=THREADS)

    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r is not None for r in results) == 1
    assert ChatMessage.objects.filter(direction="in").count() == 1
    assert Conversation.objects.count() == 1


def test_eight_workers_answering_one_conversation_answer_each_message_once():
    cache.clear()
    net = small_network_build()
    mobile = net.consumer1.mobile
    chat_message_receive(inbound=inbound("बिजली नहीं आ रही है", "m1", mobile))
    chat_message_receive(inbound=inbound("हाँ", "m2", mobile))
    conversation = Conversation.objects.get()

    results = race(lambda: conversation_answer(conversation_id=conversation.pk), threads=THREADS)

    assert not [r for r in results if isinstance(r, Exception)]
    assert ChatMessage.objects.filter(direction="in", processed_at__isnull=True).count() == 0
    assert ChatMessage.objects.filter(author="bot").count() == 2  # one answer per message
    assert Complaint.objects.count() == 1
    assert Notification.objects.filter(recipient=mobile).count() == 2
