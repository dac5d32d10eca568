"""Small request and page helpers shared by the apps."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address. Behind PROXY_COUNT trusted proxies, the address that the
    outermost one saw (each proxy appends to X-Forwarded-For; a client can forge the
    left-most entries, never the right-most ones)."""
    hops = settings.PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def tel_number(phone: str) -> str:
    """A US phone number as written on a page ("612-673-3000") as a tel: link's number
    ("+16126733000")."""
    return "+1" + "".join(ch for ch in phone if ch.isdigit())
