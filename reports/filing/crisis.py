"""Words in a narrative that suggest the resident (or someone) is in danger now.

When a narrative contains one, the resident sees the 911 and crisis-line notice before
submitting (the report can still be submitted), and the clerks see the report first.
Matching is on whole words, case- and accent-insensitive, in English and Spanish.
"""

from __future__ import annotations

import re
import unicodedata

PHRASES = (
    # English
    "suicide",
    "suicidal",
    "kill myself",
    "end my life",
    "hurt myself",
    "self harm",
    "self-harm",
    "want to die",
    "will kill me",
    "going to kill me",
    "gonna kill me",
    "kill me",
    "threatened to kill",
    # Spanish
    "suicidio",
    "suicidarme",
    "suicidar",
    "me voy a suicidar",
    "me quiero matar",
    "me voy a matar",
    "me van a matar",
    "matarme",
    "me va a matar",
    "me quiere matar",
    "quitarme la vida",
    "hacerme dano",
    "quiero morir",
    "me quiero morir",
    "amenazo con matar",
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(_fold(p)).replace(r"\ ", r"\s+") for p in PHRASES) + r")(?!\w)"
)


def mentions_crisis(text: str) -> bool:
    """Whether `text` contains any crisis phrase (whole words, any case or accents)."""
    return bool(_PATTERN.search(_fold(text or "")))
