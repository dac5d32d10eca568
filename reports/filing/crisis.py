"""Words in a narrative that suggest the resident (or someone) is in danger now.

When a narrative contains one, the resident sees the 911 and crisis-line notice before
submitting (the report can still be submitted), and the clerks see the report first.
Matching is on whole words, case- and accent-insensitive: the built-in English and
Spanish phrases below, and the phrases the agency adds in its policy (any language).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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


# One pattern per set of the agency's phrases: a policy changes rarely, a narrative often.
@lru_cache(maxsize=8)
def _pattern(extra: tuple[str, ...]) -> re.Pattern:
    # A phrase with no letter or digit once folded would match everywhere: never used.
    phrases = [p for p in (*PHRASES, *extra) if re.search(r"\w", _fold(p))]
    alternatives = "|".join(re.escape(_fold(p)).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)")


def mentions_crisis(text: str, extra: tuple[str, ...] = ()) -> bool:
    """Whether `text` contains any crisis phrase, built-in or one of `extra` (the
    agency's), as whole words, whatever the case or accents."""
    return bool(_pattern(tuple(extra)).search(_fold(text or "")))
