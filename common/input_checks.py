"""Recognise messages that carry no question: empty, too long, only emoji or only markup.

Pure Python, shared by the NLU component (nlu_components/input_guard.py), which routes
such messages to the `entree_invalide` intent, by the action that answers them, and by the web
widget's server (the longest message, /api/config).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

MAX_MESSAGE_CHARS = 1000

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")


def _has_words(text: str) -> bool:
    """True when the text holds at least one letter or digit."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text)


def invalid_reason(text: Optional[str]) -> Optional[str]:
    """Why a message cannot be understood, or None when it can be.

    Reasons: "empty", "too_long", "markup" (only tags or code), "no_words"
    (emoji, punctuation, symbols only). A message that mixes markup and words
    is valid: the words are what the user means.
    """
    if text is None or not text.strip():
        return "empty"
    if len(text) > MAX_MESSAGE_CHARS:
        return "too_long"
    without_tags = _TAG.sub(" ", text)
    if without_tags != text:
        rest = re.sub(r"[\s\W_]+", " ", without_tags).strip()
        # "<script>alert(1)</script>" leaves only code words: treat as markup.
        if not rest or re.fullmatch(r"(alert|script|onerror|src|x|img|\d|\s)+", rest, re.I):
            return "markup"
    if not _has_words(text):
        return "no_words"
    return None
