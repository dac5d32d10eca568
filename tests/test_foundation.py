"""The frame every page stands on: health checks, settings that refuse to start insecurely,
and the friendly error pages."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
GOOD_SECRET_KEY = "k3Jq9vXw-R2pZ8mYt4LcN7bH1sD6fG0aQeU5iO_yTrWxVzPnMlKjHgFdSaQwErTy"


def main_html(response) -> str:
    """The page's <main> element: what the page says, without the header and footer."""
    content = response.content.decode()
    return content[content.index("<main") : content.index("</main>")]


def main_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main_html(response))).split())


# --- health ----------------------------------------------------------------------------


def test_healthz_reports_every_service_answering(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": True, "cache": True, "broker": True},
    }


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_dead_cache_as_unavailable(client, db, settings):
    # Django's setting_changed handler drops the cache connections, so the health check
    # connects afresh to the address below.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "cache": False, "broker": True},
    }


def test_healthz_reports_a_dead_broker_as_unavailable(client, db, settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "cache": True, "broker": False},
    }


def test_healthz_skips_the_broker_when_tasks_run_in_process(client, db, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.json()["checks"]["broker"] is True


def test_livez_answers_without_touching_any_service(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# --- settings refuse to start insecurely -----------------------------------------------


def start_django(**env: str) -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh process with only the given security settings set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DEBUG", "TESTING"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ereport.settings'; "
            "django.setup()",
        ],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "report.example.gov"}, "SECRET_KEY"),
        ({"DEBUG": "0", "SECRET_KEY": GOOD_SECRET_KEY}, "ALLOWED_HOSTS"),
        ({"DEBUG": "0", "SECRET_KEY": GOOD_SECRET_KEY, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        (
            {
                "DEBUG": "0",
                "SECRET_KEY": "django-insecure-" + GOOD_SECRET_KEY,
                "ALLOWED_HOSTS": "report.example.gov",
            },
            "SECRET_KEY is the development key",
        ),
        (
            {"DEBUG": "0", "SECRET_KEY": "short-key", "ALLOWED_HOSTS": "report.example.gov"},
            "SECRET_KEY is missing or too weak",
        ),
        (
            {"DEBUG": "0", "SECRET_KEY": "a" * 60, "ALLOWED_HOSTS": "report.example.gov"},
            "SECRET_KEY is missing or too weak",
        ),
        ({"SECRET_KEY": GOOD_SECRET_KEY}, "ALLOWED_HOSTS"),  # DEBUG off by default
    ],
    ids=[
        "no-secret-key",
        "no-secret-key-with-hosts",
        "no-allowed-hosts",
        "empty-allowed-hosts",
        "insecure-secret-key",
        "short-secret-key",
        "repetitive-secret-key",
        "debug-unset-means-off",
    ],
)
def test_settings_refuse_to_start_insecurely(env, named):
    result = start_django(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_settings_start_with_a_real_secret_key_and_hosts():
    result = start_django(DEBUG="0", SECRET_KEY=GOOD_SECRET_KEY, ALLOWED_HOSTS="report.example.gov")

    assert (result.returncode, result.stderr) == (0, "")


def test_settings_start_in_debug_with_nothing_set():
    result = start_django(DEBUG="1")

    assert (result.returncode, result.stderr) == (0, "")


def test_settings_read_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(GOOD_SECRET_KEY + "\n")

    result = start_django(
        DEBUG="0", SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="report.example.gov"
    )

    assert (result.returncode, result.stderr) == (0, "")


def test_settings_refuse_a_weak_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("short-key\n")

    result = start_django(
        DEBUG="0", SECRET_KEY_FILE=str(key_file), ALLOWED_HOSTS="report.example.gov"
    )

    assert result.returncode != 0
    assert "SECRET_KEY is missing or too weak" in result.stderr


def test_settings_refuse_a_secret_key_file_that_cannot_be_read(tmp_path):
    missing = tmp_path / "no_such_file"

    result = start_django(
        DEBUG="0", SECRET_KEY_FILE=str(missing), ALLOWED_HOSTS="report.example.gov"
    )

    assert result.returncode != 0
    assert f"SECRET_KEY_FILE={missing} cannot be read" in result.stderr


# --- error pages -----------------------------------------------------------------------


def test_unknown_address_shows_the_friendly_not_found_page(client, db):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "Page not found" in main_text(response)
    assert "If this is an emergency, call 911 now." in main_text(response)
    assert '<a class="usa-link" href="tel:911">911</a>' in main_html(response)
