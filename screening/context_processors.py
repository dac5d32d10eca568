"""What every template may say about the agency (settings.TEMPLATES names this)."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy

from screening.agency import agency_words
from screening.policy_store import request_policy

_NAMES = ("AGENCY_NAME", "PHONE_311", "PHONE_311_FULL", "PHONE_311_FULL_TEL", "AGENCY_LOGO_URL")

# Made once: each call of django.utils.functional.lazy() builds a new proxy class, which
# cost a fifth of the home page's time when it was called per request (py-spy, gunicorn).
_word = lazy(lambda words, name: words[name], str)


def agency(request) -> dict:
    """The agency's name, numbers and logo (the policy in force) and the site's fixed
    numbers and links (the settings).

    The policy's words are read only when a template shows one: the admin's pages never
    do, and do not pay the cache read."""
    words = SimpleLazyObject(
        lambda: agency_words(request_policy(request), getattr(request, "LANGUAGE_CODE", None))
    )
    return {
        "CITY_NAME": settings.CITY_NAME,
        "PHONE_EMERGENCY": settings.PHONE_EMERGENCY,
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "CRISIS_LINE_NAME": settings.CRISIS_LINE_NAME,
        "CRISIS_LINE_NUMBER": settings.CRISIS_LINE_NUMBER,
        **{name: _word(words, name) for name in _NAMES},
    }
