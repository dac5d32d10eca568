"""A small fixed-window rate limiter on the shared cache (Redis in production).

django-ratelimit has had no release since 2023, so we keep this instead: a counter per
(scope, client address, window) that expires with its window. If the cache is down we
let requests through (and log it): refusing every resident because Redis restarted
would be worse than a few minutes without limits.
"""

from __future__ import annotations

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from ereport.http import client_ip

logger = logging.getLogger(__name__)


def allow(scope: str, key: str) -> bool:
    """Count one hit for `key` in `scope`; False once the scope's limit is passed."""
    limit, period = settings.RATELIMITS[scope]
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    try:
        count = 1 if cache.add(cache_key, 1, timeout=period + 5) else cache.incr(cache_key)
    except Exception:
        logger.warning("rate limiter: cache unavailable, allowing %s", scope)
        return True
    return count <= limit


def too_many_requests(request):
    return render(request, "errors/429.html", status=429)


def ratelimit(scope: str, methods: tuple[str, ...] = ("POST",)):
    """Limit a view's `methods` per client address, with the limits in RATELIMITS."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and not allow(scope, client_ip(request) or "unknown"):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
