"""Inbound messages: the SMS gateway's MO webhook and the WhatsApp Cloud API webhook.

The top layer that consumes domain services: an inbound text goes to the stakeholder keyword
handler (sampark.public) and its reply is queued on the outbox (sampark.notifications), on the
channel it came in on. A plain package (no models), so not in INSTALLED_APPS.
"""
