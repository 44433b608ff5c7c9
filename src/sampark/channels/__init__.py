"""Inbound channels: the chatbot (NLU + dialogue engine) and the webhooks that feed it.

The top layer that consumes domain services: WhatsApp, Telegram, web chat and SMS all hand a
message to one dialogue engine (chatbot/), whose replies leave through the notifications outbox
(or, for web chat, in the HTTP answer). Conversations and their messages are this app's models.
"""
