"""The frame every page stands on: health checks, settings that refuse to start insecurely,
and the friendly error pages."""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from redis._parsers import _HiredisParser

from ereport.cache import SharedClientRedisCache

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


def test_each_web_worker_keeps_what_it_loaded_out_of_the_garbage_collectors_sight():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc; import ereport.wsgi; "
            "print(gc.get_threshold()[0], gc.get_freeze_count() > 10000)",
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert loaded.stdout.split() == ["5000", "True"]


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


# --- The two commands of the README, as written ----------------------------------------------


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a fresh process, in an environment with no security setting but `env`
    (as a developer's shell after `make run`)."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "SECRET_KEY_FILE",
            "ALLOWED_HOSTS",
            "DEBUG",
            "TESTING",
            "DATABASE_URL",
        }
    }
    return subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_demo_code_works_as_the_readme_writes_it(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    made = [run_manage("migrate", "--noinput", **database)]
    made.append(run_manage("setup_staff", "--demo", **database))

    code = run_manage("demo_code", "clerk", **database)

    assert [m.returncode for m in made] == [0, 0], [m.stderr[-2000:] for m in made]
    assert code.returncode == 0, code.stderr[-2000:]
    assert re.fullmatch(r"\d{6}\n", code.stdout)


SHOW_DEBUG = ("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({"DATABASE_URL": "postgres://u@db.example/ereport"}, "SECRET_KEY"),
        ({"DEBUG": "0"}, "SECRET_KEY"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "SECRET_KEY_FILE"),
    ],
    ids=["production-database", "debug-off", "secret-key-file"],
)
def test_manage_py_still_refuses_to_run_production_without_a_secret_key(env, refusal):
    result = run_manage(*SHOW_DEBUG, **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert refusal in result.stderr


def test_manage_py_with_a_real_secret_key_keeps_debug_off():
    result = run_manage(*SHOW_DEBUG, SECRET_KEY=GOOD_SECRET_KEY, ALLOWED_HOSTS="example.gov")

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_setup_staff_prints_the_address_actually_served(db, settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("setup_staff", "--demo", "--address", "http://0.0.0.0:9000", stdout=out)

    assert "Sign in at http://0.0.0.0:9000/staff/login/ ;" in out.getvalue()


def test_the_readme_names_the_staff_addresses_and_every_rate_limit_setting():
    readme = (PROJECT_DIR / "README.md").read_text()
    settings_source = (PROJECT_DIR / "ereport" / "settings.py").read_text()
    limits = set(re.findall(r'"(RATELIMIT_\w+)"', settings_source))

    assert "/officer/" in readme
    assert "/admin/" in readme
    assert len(limits) >= 8
    assert sorted(name for name in limits if f"`{name}`" not in readme) == []


def test_the_redis_cache_keeps_one_client_per_server(settings):
    cache = SharedClientRedisCache(settings.REDIS_URL or "redis://127.0.0.1:6379/1", {})
    cache.set("shared-client-test", "kept", 5)

    assert cache.get("shared-client-test") == "kept"
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("shared-client-test")


def test_the_redis_cache_reads_replies_with_the_c_parser(settings):
    cache = SharedClientRedisCache(settings.REDIS_URL or "redis://127.0.0.1:6379/1", {})
    pool = cache._cache.get_client().connection_pool
    connection = pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        pool.release(connection)


def test_the_redis_cache_counts_a_hit_in_one_round_trip_and_the_first_sets_the_expiry(
    settings,
):
    cache = SharedClientRedisCache(settings.REDIS_URL or "redis://127.0.0.1:6379/1", {})
    cache.delete("count-hit-test")

    client = cache._cache.get_client()
    key = cache.make_and_validate_key("count-hit-test")

    first = cache.count_hit("count-hit-test", 30)
    assert 0 < client.ttl(key) <= 30  # the first hit sets the expiry
    client.expire(key, 10)
    later = [cache.count_hit("count-hit-test", 30) for _ in range(2)]

    assert [first, *later] == [1, 2, 3]
    assert 0 < client.ttl(key) <= 10  # later hits never push the window's end back
    assert cache.get("count-hit-test") == 3  # Django's own reads see the same counter
    cache.delete("count-hit-test")


def test_a_counter_found_without_an_expiry_gets_one(settings):
    cache = SharedClientRedisCache(settings.REDIS_URL or "redis://127.0.0.1:6379/1", {})
    client = cache._cache.get_client(write=True)
    key = cache.make_and_validate_key("count-hit-forever")
    client.set(key, 5)  # as a counter written by something else would be

    count = cache.count_hit("count-hit-forever", 30)

    assert count == 6
    assert 0 < client.ttl(key) <= 30
    cache.delete("count-hit-forever")


def test_the_redis_cache_still_counts_after_redis_forgets_its_script(settings):
    cache = SharedClientRedisCache(settings.REDIS_URL or "redis://127.0.0.1:6379/1", {})
    cache.delete("count-hit-flush")
    first = cache.count_hit("count-hit-flush", 30)

    cache._cache.get_client(write=True).script_flush()  # as after a Redis restart
    second = cache.count_hit("count-hit-flush", 30)

    assert (first, second) == (1, 2)
    cache.delete("count-hit-flush")


def test_the_log_level_chosen_governs_celerys_loggers_too():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; settings.INSTALLED_APPS; "
            "import logging.config; logging.config.dictConfig(settings.LOGGING); "
            "import logging; print(logging.getLogger('celery').level == logging.WARNING)",
        ],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "DEBUG": "1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "ereport.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )

    assert loaded.stdout.split() == ["True"]
