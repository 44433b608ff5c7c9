"""The chatbot: natural-language understanding (nlu/) for the dialogue engine.

Consumers write in Devanagari Hindi, romanised Hindi (Hinglish, with typos) and English; the NLU
turns one message into an intent, a confidence and the entities it mentions (account, mobile,
complaint number, yes/no, duration...), so the dialogue engine can act or show a menu.
"""
