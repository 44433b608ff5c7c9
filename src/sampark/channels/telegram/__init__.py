"""Telegram: the Bot API webhook that hands private-chat messages and button taps to the chatbot."""
