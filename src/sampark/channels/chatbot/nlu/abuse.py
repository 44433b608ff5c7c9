"""A small Hindi/English abuse lexicon: flag a message for a human, never to refuse service.

Terms are written as people type them, romanised and in Devanagari; they pass through the same
`text_normalize` as the messages, so "चूतिया", "chutiya" and "chutiyaaa" all match, and one entry
covers the spellings the variant map folds together. Matching is on whole normalised words (or
word sequences for phrases), so "class" does not match "ass". Words that are also everyday
Hindi or English ("kutta" dog, "saala" brother-in-law, "chor" thief, लंड read as "land") are
left out on purpose.
"""

from __future__ import annotations

from functools import cache

from sampark.channels.chatbot.nlu.normalize import text_normalize

ABUSIVE_TERMS: tuple[str, ...] = (
    # Hindi, romanised
    "chutiya", "chutiye", "chutiyo", "chootiya", "chutia", "madarchod", "maderchod", "mc",
    "bhenchod", "behenchod", "bhainchod", "benchod", "bsdk", "bhosdike", "bhosdi",
    "bhosdiwale", "bhosadike", "gandu", "gaandu", "gand", "gaand", "harami", "haramkhor",
    "haramzada", "haramzade", "kamina", "kamine", "kaminey", "kutiya", "randi", "randwa",
    "lavda", "lauda", "loda", "lodu", "lund", "jhant", "jhaatu", "tatti", "suar", "suwar",
    "ullu ka pattha", "ullu ke patthe", "kutte ki aulad", "kutte ka bachcha", "suar ki aulad",
    "nalayak", "nikamme", "nikamma", "besharam", "dalla", "bakchod", "chodu",
    # Hindi, Devanagari
    "चूतिया", "चुतिया", "चूतिये", "मादरचोद", "भेनचोद", "बहनचोद", "भोसड़ी", "भोसड़ीके",
    "भोसड़ीवाले", "गांडू", "गांड", "हरामी", "हरामखोर", "हरामज़ादे", "कमीना", "कमीने", "कुतिया",
    "रंडी", "लौड़ा", "लोडू", "झांटू", "उल्लू का पट्ठा", "कुत्ते की औलाद", "सुअर की औलाद",
    "नालायक", "निकम्मे", "बेशर्म", "दल्ला",
    # English
    "fuck", "fucking", "fucked", "fucker", "fuckers", "motherfucker", "wtf", "stfu",
    "shit", "bullshit", "bastard", "bastards", "bitch", "asshole", "assholes", "dick", "dumbass",
    "idiot", "idiots", "moron", "morons", "scum", "screw you", "shut up", "go to hell", "crap",
)  # fmt: skip


@cache
def _lexicon() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """(single words, phrases as word tuples), normalised once per process."""
    words: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for term in ABUSIVE_TERMS:
        tokens = tuple(text_normalize(term).split())
        if len(tokens) == 1:
            words.add(tokens[0])
        elif tokens:
            phrases.add(tokens)
    return frozenset(words), tuple(sorted(phrases))


def abuse_found(*, words: list[str]) -> bool:
    """True when the normalised words of a message contain a lexicon word or phrase."""
    single, phrases = _lexicon()
    if any(word in single for word in words):
        return True
    for phrase in phrases:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(words[start : start + size]) == phrase:
                return True
    return False
