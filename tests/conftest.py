"""Suite-wide set-up: the real PostgreSQL and Redis must answer before anything runs."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
from django.conf import settings

_HOW_TO_START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": (
        'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
        "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
    ),
}


def _postgres_answers(url: str) -> bool:
    import psycopg2  # only needed for this check, before Django is set up

    parts = urlparse(url)
    try:
        psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
        return True
    except psycopg2.OperationalError:
        return False


def _redis_answers(url: str) -> bool:
    import redis  # only needed for this check

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=3).ping())
    except redis.RedisError:
        return False


def pytest_sessionstart(session):
    down = []
    database_url = os.environ["DATABASE_URL"]
    if database_url.startswith("postgres") and not _postgres_answers(database_url):
        down.append(("PostgreSQL", database_url))
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if url.startswith("redis") and not _redis_answers(url):
            down.append(("Redis", url))
            break
    if down:
        lines = [
            f"{service} is not answering at {url}. Start it with:\n    {_HOW_TO_START[service]}"
            for service, url in down
        ]
        pytest.exit("\n".join(lines), returncode=3)


@pytest.fixture(autouse=True)
def _english_unless_told():
    """Each test starts in the site's default language: a test that switches language
    (a request through LocaleMiddleware in this thread, translation.activate) must not
    change the words the next test expects."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (sessions, rate-limit counters), and the
    agency policy in force is asked of it afresh."""
    from django.core.cache import cache

    from screening.policy_store import forget_seen_version

    cache.clear()
    forget_seen_version()
    yield
