"""Sessions in the database, read through the cache, written with one statement.

Django's database store wraps each save in a transaction and checks that a new key is
free before inserting it: three or four statements for what one can do. A resident's
every step writes the session, so we write it with a single UPDATE (or INSERT for a new
session) and let the primary key refuse the astronomically rare duplicate key.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.db import IntegrityError
from django.utils.crypto import get_random_string

_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    """The cache is only a shortcut: with the cache down, sessions live on in the
    database and nobody loses their work."""

    def _cache_set(self, data, age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, age)
        except Exception:
            logger.warning("session cache unavailable; using the database alone")

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None
        if data is None:
            stored = self._get_session_from_db()
            data = self.decode(stored.session_data) if stored else {}
            if stored:
                self._cache_set(data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def _get_new_session_key(self) -> str:
        # 32 characters of 36: a collision is never expected, and the INSERT's primary key
        # catches it anyway (create() then tries another key).
        return get_random_string(32, _KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        if must_create:
            try:
                self.model.objects.create(
                    session_key=self._get_or_create_session_key(),
                    session_data=self.encode(data),
                    expire_date=self.get_expiry_date(),
                )
            except IntegrityError as exc:
                raise CreateError from exc
        else:
            updated = self.model.objects.filter(session_key=self.session_key).update(
                session_data=self.encode(data), expire_date=self.get_expiry_date()
            )
            if not updated:
                # The session was deleted meanwhile (logout elsewhere, expiry sweep).
                raise UpdateError
        self._cache_set(self._session, self.get_expiry_age())
