"""Whether the database, the cache and the Celery broker answer, for load balancers."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("health check: database does not answer", exc_info=True)
        return False


def _cache() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception:
        logger.warning("health check: cache does not answer", exc_info=True)
        return False


def _broker() -> bool:
    if not settings.CELERY_BROKER_URL:
        return True  # embedded default: tasks run in-process, there is no broker to ask
    # Imported here: only the health check needs a broker connection of its own.
    from ereport.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.warning("health check: broker does not answer", exc_info=True)
        return False


def check_all() -> dict[str, bool]:
    return {"database": _database(), "cache": _cache(), "broker": _broker()}
