"""API keys for records systems: made with 256 random bits, shown once, kept as their
SHA-256 (a key this long needs no salt or slow hash: nobody can guess it), found by a
prefix that is not secret, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reports import audit
from reports.models import AccessLog, ApiKey

KEY_START = "erk_"
# A write per call would be a write per call: "last used" to the minute is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_create(*, name: str, created_by=None) -> tuple[ApiKey, str]:
    """Make a key for the records system `name`. Returns the row and the key itself,
    which is never stored: show it once. Side effects: the row; an audit entry."""
    prefix = secrets.token_hex(6)  # 12 characters, unique per key
    key = f"{KEY_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            name=name.strip(),
            prefix=prefix,
            key_hash=_hash(key),
            created_by=created_by,
            created_at=timezone.now(),
        )
        audit.record(
            action=AccessLog.Action.API_KEY_CHANGE, user=created_by, detail=f"key for {name} made"
        )
    return api_key, key


def api_key_save_existing(*, api_key: ApiKey, actor=None) -> ApiKey:
    """Save a renamed key (only the name may change). Side effect: an audit entry."""
    with transaction.atomic():
        api_key.save(update_fields=["name"])
        audit.record(
            action=AccessLog.Action.API_KEY_CHANGE,
            user=actor,
            detail=f"key {api_key.prefix} renamed to {api_key.name}",
        )
    return api_key


def api_key_revoke(*, api_key: ApiKey, actor=None) -> ApiKey:
    """Revoke a key at once, for good (a new key is made instead of reviving one)."""
    with transaction.atomic():
        if api_key.revoked_at is None:
            api_key.revoked_at = timezone.now()
            ApiKey.objects.filter(pk=api_key.pk, revoked_at=None).update(
                revoked_at=api_key.revoked_at
            )
            audit.record(
                action=AccessLog.Action.API_KEY_CHANGE,
                user=actor,
                detail=f"key for {api_key.name} revoked",
            )
    return api_key


# What api_key_create makes: the start, 12 hex characters, 43 URL-safe characters.
_KEY_SHAPE = re.compile(re.escape(KEY_START) + r"([0-9a-f]{12})_[A-Za-z0-9_-]{43}")


def api_key_for(key: str) -> ApiKey | None:
    """The key row `key` belongs to (revoked or not), or None for an unknown key. A key
    of the wrong shape (a NUL, a typo) is refused before any query."""
    match = _KEY_SHAPE.fullmatch(key.strip())
    if match is None:
        return None
    api_key = ApiKey.objects.filter(prefix=match.group(1)).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(key.strip())):
        return None
    return api_key


def api_key_used(api_key: ApiKey) -> None:
    """Note when a key was last used (to the minute)."""
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
