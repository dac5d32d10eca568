"""CSRF tokens for the pages' forms, masked as Django masks them, with the mask drawn in
one read of the operating system's random source.

Django draws each of a token's 32 mask characters with a call of its own
(`secrets.choice`): on a page with a form that was a tenth of the calls a request makes
(profiled). The token made here has Django's form (mask, then the secret enciphered
with it, both from CSRF_ALLOWED_CHARS), so CsrfViewMiddleware checks it as its own; a
new mask for every page still keeps the token out of reach of BREACH.

The context processor replaces Django's built-in `csrf` one (listed after it, its
`csrf_token` wins; Django's is lazy, so it is never drawn).
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_CHARS = len(CSRF_ALLOWED_CHARS)
# Bytes below 248 (4 x 62) fall on each character equally often; the rest are drawn again.
_EVEN = 256 - 256 % _CHARS
_UNEVEN = bytes(range(_EVEN, 256))
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[byte % _CHARS]) for byte in range(256))
# Django's cipher: the character at (secret's index + mask's index) modulo 62.
_ENCIPHERED = {
    (secret, mask): CSRF_ALLOWED_CHARS[(i + j) % _CHARS]
    for i, secret in enumerate(CSRF_ALLOWED_CHARS)
    for j, mask in enumerate(CSRF_ALLOWED_CHARS)
}


def new_mask() -> str:
    """32 characters of CSRF_ALLOWED_CHARS, each equally likely, from the OS's source."""
    drawn = b""
    while len(drawn) < CSRF_SECRET_LENGTH:
        drawn += secrets.token_bytes(CSRF_SECRET_LENGTH + 8).translate(None, _UNEVEN)
    return drawn[:CSRF_SECRET_LENGTH].translate(_TO_CHAR).decode("ascii")


def masked_token(request: HttpRequest) -> str:
    """What django.middleware.csrf.get_token(request) returns: the request's CSRF secret,
    masked afresh, and the cookie renewed with the response."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != CSRF_SECRET_LENGTH:
        return get_token(request)  # a first visit: Django makes and keeps the new secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = new_mask()
    return mask + "".join(map(_ENCIPHERED.__getitem__, zip(secret, mask, strict=True)))


def csrf(request: HttpRequest) -> dict:
    """The `csrf_token` of every template rendered with a request, drawn when used."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_token(request))}
