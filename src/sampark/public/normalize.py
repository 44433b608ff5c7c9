"""Text keys for matching what people type: case, spacing, punctuation and the Devanagari
spellings that look alike (nukta or not, chandrabindu or anusvara) do not matter."""

from __future__ import annotations

import unicodedata

NUKTA = "\u093c"
CHANDRABINDU, ANUSVARA = "\u0901", "\u0902"


def text_key(text: str) -> str:
    """'जुड़ें' and 'जुडें', 'Z-LKO' and 'z lko', 'Lucknow Central' and 'LUCKNOW-CENTRAL' match."""
    # NFD splits precomposed nukta letters (U+095C ड़ = ड + nukta), so one removal catches both.
    text = unicodedata.normalize("NFD", text).replace(NUKTA, "").replace(CHANDRABINDU, ANUSVARA)
    kept = (ch for ch in text.casefold() if unicodedata.category(ch)[0] in "LMN")
    return unicodedata.normalize("NFC", "".join(kept))


def has_devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)
