"""Writes on conversations: receive a message, answer it, hand it to an agent and back.

Every channel (WhatsApp, Telegram, SMS, web chat) calls these with an `Inbound`; the dialogue
engine (chatbot.dialogue) decides the answer; replies leave through the notifications outbox,
except on web chat, where the browser fetches them.

Webhooks answer fast: `chat_message_receive` only stores the message (idempotent on the
provider's message id) and schedules `conversation_answer` after commit. The answer locks the
conversation row, so two workers never answer the same user at once, and answers every
message not yet answered, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sampark.accounts.models import StaffUser
from sampark.accounts.permissions import Action, require
from sampark.core import clock
from sampark.core.errors import Conflict, ValidationFailed
from sampark.core.models import Language
from sampark.core.throttle import window_allow
from sampark.notifications.models import Notification, NotificationChannel
from sampark.notifications.services import notification_enqueue

from .chatbot.dialogue import dialogue_handle
from .chatbot.replies import Reply
from .models import Author, ChatChannel, ChatMessage, Conversation, Direction, Handover

STORED_TEXT = 16_384  # what is kept of a (rejected) huge message
REPLY_LIMIT = 1000
WINDOW = timedelta(hours=24)  # WhatsApp's customer-service window


@dataclass(frozen=True)
class Inbound:
    """One message from a user, as a channel parsed it."""

    channel: str  # a ChatChannel value
    user_key: str  # E.164 mobile (WhatsApp, SMS), chat id (Telegram), session key (web)
    text: str  # what the user wrote, or the id of the button/list row they chose
    provider_message_id: str = ""  # the provider's id: a retried delivery is answered once
    mobile: str | None = None  # a mobile the channel vouches for (WhatsApp, SMS)
    display_name: str = ""
    language: str = ""  # the language a new conversation starts in (web chat: the page's)


def conversation_lock(*, conversation_id: int) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation_id)


def _conversation_ensure(inbound: Inbound) -> Conversation:
    now = clock.now()
    defaults: dict[str, object] = {"created_at": now, "updated_at": now, "mobile": inbound.mobile}
    if inbound.language in Language.values:
        # The page's language is the user's choice: a registered language does not override it.
        defaults["language"] = inbound.language
        defaults["context"] = {"language_chosen": True}
    try:
        with transaction.atomic():
            conversation, _created = Conversation.objects.get_or_create(
                channel=inbound.channel, user_key=inbound.user_key, defaults=defaults
            )
    except IntegrityError:  # the same user's first two messages raced
        conversation = Conversation.objects.get(channel=inbound.channel, user_key=inbound.user_key)
    name = inbound.display_name.strip()[:120]
    if name and name != conversation.display_name:
        Conversation.objects.filter(pk=conversation.pk).update(display_name=name)
    return conversation


def _store(inbound: Inbound) -> ChatMessage | None:
    if inbound.channel not in ChatChannel.values:
        raise ValidationFailed(fields={"channel": _("Unknown channel.")})
    if not inbound.user_key:
        raise ValidationFailed(fields={"user": _("The sender is missing.")})
    conversation = _conversation_ensure(inbound)
    try:
        with transaction.atomic():
            return ChatMessage.objects.create(
                conversation=conversation,
                channel=inbound.channel,
                direction=Direction.IN,
                author=Author.USER,
                # NUL cannot be stored in PostgreSQL text; other controls are kept as sent.
                text=(inbound.text or "").replace("\x00", "")[:STORED_TEXT],
                provider_message_id=inbound.provider_message_id[:120],
                created_at=clock.now(),
            )
    except IntegrityError:
        if (
            inbound.provider_message_id
            and ChatMessage.objects.filter(
                channel=inbound.channel, provider_message_id=inbound.provider_message_id[:120]
            ).exists()
        ):
            return None  # a retry of a message we have
        raise


def chat_message_receive(*, inbound: Inbound) -> ChatMessage | None:
    """Store an inbound message and answer it after commit (a background task).

    None when the provider's message id was received before (a retry): nothing changes.
    """
    from .tasks import conversation_answer_task

    with transaction.atomic():
        message = _store(inbound)
        if message is None:
            return None
        conversation_id = message.conversation_id
        transaction.on_commit(lambda: conversation_answer_task.enqueue(conversation_id))
    return message


def chat_message_answer_now(*, inbound: Inbound) -> list[ChatMessage]:
    """Store an inbound web-chat message and answer it in the same request: the bot's replies."""
    with transaction.atomic():
        message = _store(inbound)
        if message is None:
            return []
        return conversation_answer(conversation_id=message.conversation_id)


def conversation_answer(*, conversation_id: int) -> list[ChatMessage]:
    """Answer every message of the conversation not yet answered, oldest first."""
    with transaction.atomic():
        conversation = conversation_lock(conversation_id=conversation_id)
        pending = list(
            conversation.messages.filter(
                direction=Direction.IN, processed_at__isnull=True
            ).order_by("id")
        )
        sent: list[ChatMessage] = []
        for message in pending:
            sent += _answer(conversation, message)
        conversation.updated_at = clock.now()
        conversation.save()
    return sent


def _answer(conversation: Conversation, message: ChatMessage) -> list[ChatMessage]:
    now = clock.now()
    conversation.last_inbound_at = message.created_at
    if conversation.mobile is None and message.channel in (ChatChannel.WHATSAPP, ChatChannel.SMS):
        conversation.mobile = conversation.user_key
    replies: list[Reply]
    key = f"chat:{conversation.channel}:{conversation.user_key}"
    if not window_allow(key=key, rate=settings.SAMPARK_CHAT_RATE):
        replies = _flood_reply(conversation)
    else:
        turn = dialogue_handle(conversation=conversation, text=message.text)
        message.intent, message.confidence = turn.intent, turn.confidence
        replies = _joined(turn.replies)
    message.processed_at = now
    message.save(update_fields=["intent", "confidence", "processed_at"])
    return [_send(conversation, reply, author=Author.BOT) for reply in replies]


def _joined(replies: list[Reply]) -> list[Reply]:
    """One message per turn: providers send concurrently, so separate messages could arrive out
    of order (safety advice after the complaint number). The options are the last offered."""
    if len(replies) <= 1:
        return replies
    if any(reply.template_key for reply in replies):
        return replies  # registered templates go as themselves
    options = next((r.options for r in reversed(replies) if r.options), [])
    return [
        Reply(
            "\n\n".join(r.text for r in replies if r.text),
            options,
            language=replies[-1].language,
        )
    ]


def _flood_reply(conversation: Conversation) -> list[Reply]:
    """One polite reply per flood, then silence until the sender slows down."""
    told = conversation.context.get("flood_told_at")
    now = clock.now()
    if told and now.timestamp() - float(told) < 60:
        return []
    conversation.context["flood_told_at"] = now.timestamp()
    with translation.override(conversation.language):
        return [
            Reply(
                _(
                    "You are sending messages faster than I can answer. Please wait a minute; "
                    "every message you sent has been kept."
                )
            )
        ]


def _send(
    conversation: Conversation, reply: Reply, *, author: str, agent: StaffUser | None = None
) -> ChatMessage:
    message = ChatMessage.objects.create(
        conversation=conversation,
        channel=conversation.channel,
        direction=Direction.OUT,
        author=author,
        agent=agent,
        text=reply.text,
        options=[list(pair) for pair in reply.options],
        created_at=clock.now(),
    )
    if conversation.channel != ChatChannel.WEB:
        message.notification = _enqueue(conversation, message, reply)
        message.save(update_fields=["notification"])
    return message


def _enqueue(conversation: Conversation, message: ChatMessage, reply: Reply) -> Notification | None:
    """Queue the reply on the user's channel. Plain-text channels get options as numbered lines,
    which the engine accepts back as answers. Outside WhatsApp's 24-hour window only an approved
    template may be sent, so the text goes as that template's parameter."""
    text = message.text
    options = [(str(key), str(title)) for key, title in message.options]
    if conversation.channel == ChatChannel.SMS and options:
        text += "\n" + "\n".join(f"{n}. {title}" for n, (_key, title) in enumerate(options, 1))
        options = []
    template = "chat_message"
    variables: dict[str, object] = {"text": text}
    if reply.template_key:
        template, variables = reply.template_key, dict(reply.variables)
    last = conversation.last_inbound_at
    window_closed = last is None or clock.now() - last > WINDOW
    if (
        conversation.channel == ChatChannel.WHATSAPP
        and template == "chat_message"
        and window_closed
    ):
        template, variables = "chat_followup", {"text": text}
        options = []
    channel = {
        ChatChannel.WHATSAPP: NotificationChannel.WHATSAPP,
        ChatChannel.SMS: NotificationChannel.SMS,
        ChatChannel.TELEGRAM: NotificationChannel.TELEGRAM,
    }[ChatChannel(conversation.channel)]
    return notification_enqueue(
        topic=f"chat:{conversation.pk}",
        event=f"m:{message.pk}",
        channel=channel,
        recipient=conversation.user_key,
        template_key=template,
        language=reply.language or conversation.language,
        variables=variables,
        consumer=conversation.consumer if conversation.verified else None,
        urgent=True,
        options=options,
    )


def _desk_check(*, conversation: Conversation, agent: StaffUser) -> None:
    from .selectors import conversation_get_for_staff

    require(agent, Action.CHAT_HANDLE)
    conversation_get_for_staff(user=agent, conversation_id=conversation.pk)


def chat_agent_reply(*, conversation: Conversation, agent: StaffUser, text: str) -> ChatMessage:
    """An agent's message into a handed-over conversation, sent on the conversation's channel.

    Replying takes a waiting conversation; one another agent has is a Conflict."""
    _desk_check(conversation=conversation, agent=agent)
    body = (text or "").strip()
    if not body:
        raise ValidationFailed(fields={"text": _("Write a reply.")})
    if len(body) > REPLY_LIMIT:
        raise ValidationFailed(
            fields={
                "text": _("Keep the reply under %(limit)d characters.") % {"limit": REPLY_LIMIT}
            }
        )
    with transaction.atomic():
        locked = conversation_lock(conversation_id=conversation.pk)
        _take(locked, agent)
        message = _send(locked, Reply(body), author=Author.AGENT, agent=agent)
        locked.updated_at = clock.now()
        locked.save()
    return message


def _take(conversation: Conversation, agent: StaffUser) -> None:
    if conversation.handover == Handover.AGENT and conversation.agent_id not in (None, agent.pk):
        raise Conflict(_("Another agent is handling this conversation."), code="taken")
    if conversation.handover == Handover.NONE:
        conversation.handover_at = clock.now()
        conversation.handover_reason = "agent started the conversation"
    conversation.handover = Handover.AGENT
    conversation.agent = agent


def chat_handover_take(*, conversation: Conversation, agent: StaffUser) -> Conversation:
    """An agent takes a waiting conversation (Conflict if another agent has it)."""
    _desk_check(conversation=conversation, agent=agent)
    with transaction.atomic():
        locked = conversation_lock(conversation_id=conversation.pk)
        _take(locked, agent)
        locked.updated_at = clock.now()
        locked.save()
    return locked


def chat_handover_close(*, conversation: Conversation, agent: StaffUser) -> Conversation:
    """The agent hands the conversation back to the chatbot; the user is told."""
    _desk_check(conversation=conversation, agent=agent)
    with transaction.atomic():
        locked = conversation_lock(conversation_id=conversation.pk)
        if locked.handover == Handover.NONE:
            raise Conflict(_("This conversation is already with the chatbot."), code="not_handed")
        if locked.handover == Handover.AGENT and locked.agent_id not in (None, agent.pk):
            raise Conflict(_("Another agent is handling this conversation."), code="taken")
        locked.handover = Handover.NONE
        locked.agent = None
        locked.state = ""
        locked.updated_at = clock.now()
        locked.save()
        with translation.override(locked.language):
            goodbye = Reply(
                _("The agent has closed this chat. Write here any time; the assistant will answer.")
            )
        _send(locked, goodbye, author=Author.BOT)
    return locked


def handovers_reassure(*, now: datetime | None = None) -> int:
    """Users waiting for an agent longer than SAMPARK_HANDOVER_WAIT_MINUTES hear, once per
    handover, that their message is kept and how to reach 1912 in an emergency: nobody is left
    wondering whether anyone is there. Returns the number told."""
    now = now or clock.now()
    limit = now - timedelta(minutes=settings.SAMPARK_HANDOVER_WAIT_MINUTES)
    waiting = Conversation.objects.filter(
        handover=Handover.WAITING, handover_at__lte=limit
    ).values_list("pk", flat=True)
    told = 0
    for conversation_id in list(waiting[:500]):
        with transaction.atomic():
            conversation = conversation_lock(conversation_id=conversation_id)
            stamp = conversation.handover_at.isoformat() if conversation.handover_at else ""
            if (
                conversation.handover != Handover.WAITING
                or conversation.context.get("reassured_for") == stamp
            ):
                continue
            conversation.context["reassured_for"] = stamp
            with translation.override(conversation.language):
                reply = Reply(
                    _(
                        "All our agents are busy. Your messages are kept and an agent will reply "
                        "here as soon as one is free. For danger to life, call 1912 now."
                    ),
                    language=conversation.language,
                )
            _send(conversation, reply, author=Author.BOT)
            conversation.save(update_fields=["context"])
            told += 1
    return told
