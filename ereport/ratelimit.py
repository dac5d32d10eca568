"""A small fixed-window rate limiter on the shared cache (Redis in production).

django-ratelimit has had no release since 2023, so we keep this instead: a counter per
(scope, key, window) that expires with its window; the key is a client address, a
browser session or a resume code, as the caller chooses. If the cache is down we let
requests through (and log it): refusing every resident because Redis restarted would be
worse than a few minutes without limits.

A refusal says how long to wait in words: the window's end is known, so "about 40
minutes" is the truth, where "a minute" would send a resident back to fail again.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ereport.http import client_ip

logger = logging.getLogger(__name__)


def allow(scope: str, key: str) -> bool:
    """Count one hit for `key` in `scope`; False once the scope's limit is passed."""
    limit, period = settings.RATELIMITS[scope]
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    # Redis (ereport.cache) counts in one round trip; any other cache in two.
    count_hit = getattr(cache, "count_hit", None)
    try:
        if count_hit is not None:
            count = count_hit(cache_key, period + 5)
        else:
            count = 1 if cache.add(cache_key, 1, timeout=period + 5) else cache.incr(cache_key)
    except Exception:
        logger.warning("rate limiter: cache unavailable, allowing %s", scope)
        return True
    return count <= limit


def first_refusal(checks: Iterable[tuple[str, str]]) -> str | None:
    """Count a hit in each (scope, key) in turn; the first scope whose limit is passed
    (the later ones are not counted), or None when every one allows it."""
    for scope, key in checks:
        if not allow(scope, key):
            return scope
    return None


def wait_seconds(scope: str) -> int:
    """How long until `scope`'s current window ends and its counters start again."""
    _limit, period = settings.RATELIMITS[scope]
    return max(1, math.ceil(period - time.time() % period))


def wait_in_words(seconds: int) -> str:
    """A wait as a person says it, rounded up: "about a minute", "about 40 minutes",
    "about an hour", "about 2 hours"."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes == 1:
        return _("about a minute")
    if minutes < 60:
        return ngettext("about %(n)d minute", "about %(n)d minutes", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours == 1:
        return _("about an hour")
    return ngettext("about %(n)d hour", "about %(n)d hours", hours) % {"n": hours}


def too_many_requests(request, scope: str):
    """The "please wait" page (429), with the true wait for `scope` in words and in a
    Retry-After header."""
    seconds = wait_seconds(scope)
    response = render(request, "errors/429.html", {"wait": wait_in_words(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def ratelimit(scope: str, methods: tuple[str, ...] = ("POST",)):
    """Limit a view's `methods` per client address, with the limits in RATELIMITS."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and not allow(scope, client_ip(request) or "unknown"):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
