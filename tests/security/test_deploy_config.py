"""Deployment configuration: Django's deploy checks pass with production settings,
production cookies are Secure and __Host-, passwords are hashed strongly and never
expire by the calendar, and no secret is committed to the repository."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def production_env() -> dict[str, str]:
    """The test environment turned into a production one: DEBUG off, a random 64-character
    key, a real host name, and none of the test-only switches."""
    env = {
        k: v
        for k, v in os.environ.items()
        # Test-only switches from pyproject's pytest-env section.
        if k
        not in {
            "TESTING",
            "SECURE_SSL_REDIRECT",
            "DEBUG",
            "TEST_DATABASE_NAME",
            "REPORT_MIN_FILL_SECONDS",
            "CELERY_TASK_ALWAYS_EAGER",
            # Set by the browser tests for Playwright's event loop; never in production.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64)[:64],
        ALLOWED_HOSTS="example.gov",
        DJANGO_SETTINGS_MODULE="ereport.settings",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def run_python(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_checks_pass_with_production_settings():
    result = run_python("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
names = [
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE", "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH", "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_DOMAIN", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DEBUG",
    "REPORT_MIN_FILL_SECONDS",
]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production_settings() -> dict:
    result = run_python("-c", PRODUCTION_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_host_only(production_settings):
    values = production_settings

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert values["CSRF_COOKIE_NAME"].startswith("__Host-")
    # Browsers drop a __Host- cookie that names a domain or a narrower path.
    assert values["SESSION_COOKIE_PATH"] == values["CSRF_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_DOMAIN"] is None
    assert values["CSRF_COOKIE_DOMAIN"] is None


def test_production_cookies_are_http_only_and_same_site_lax(production_settings):
    values = production_settings

    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"


def test_production_forces_https_with_a_year_of_hsts(production_settings):
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_production_refuses_reports_filled_faster_than_a_person_could(production_settings):
    # The suites run with 0 (pyproject); production keeps the default.
    assert production_settings["REPORT_MIN_FILL_SECONDS"] >= 3


def test_staff_passwords_are_hashed_with_a_slow_algorithm():
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher()

    assert hasher.algorithm in {"argon2", "bcrypt_sha256", "scrypt", "pbkdf2_sha256"}
    if hasher.algorithm == "pbkdf2_sha256":
        assert hasher.iterations >= 600_000  # OWASP 2023 minimum


def test_passwords_never_expire_by_the_calendar():
    # NIST 800-63B 5.1.1.2 and CJIS 5.6.2.1.1 (2022+): no forced periodic change.
    names = {name for name in dir(settings) if name.isupper()}

    expiry = {n for n in names if "PASSWORD" in n and re.search("EXPIR|MAX_AGE|ROTAT", n)}

    assert expiry == set()
    assert settings.AUTH_PASSWORD_VALIDATORS  # length and breach checks replace expiry


# --- Secrets in the repository -------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": re.compile(r"BEGIN [A-Z ]*PRIVATE KEY"),
    "AWS access key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "SECRET_KEY literal": re.compile(r"SECRET_KEY\s*=\s*[\"']"),
    "password literal": re.compile(r"(?i)\bpassword\s*=\s*[\"'][^\"'\s]"),
}
# The development key, which settings refuse to use with DEBUG off.
KNOWN_DEV_ONLY = {("ereport/settings.py", '_DEV_SECRET_KEY = "django-insecure-development')}


def tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607 - git from PATH, read-only
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    )
    return [name for name in result.stdout.decode().split("\0") if name]


def secret_findings(files: list[str]) -> list[str]:
    findings = []
    for name in files:
        if name.startswith("tests/"):
            continue
        path = BASE_DIR / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            for kind, pattern in SECRET_PATTERNS.items():
                if not pattern.search(line):
                    continue
                if any(name == f and line.lstrip().startswith(s) for f, s in KNOWN_DEV_ONLY):
                    continue
                findings.append(f"{name}:{number}: {kind}")
    return findings


def test_the_scanner_finds_what_it_looks_for(tmp_path, monkeypatch):
    planted = {
        "key.pem": "-----BEGIN RSA PRIVATE KEY-----\n",
        "aws.cfg": "key=AKIAABCDEFGHIJKLMNOP\n",
        "conf.py": 'SECRET_KEY = "abc"\npassword = "hunter2"\n',
    }
    for name, text in planted.items():
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "BASE_DIR", tmp_path)

    findings = secret_findings(list(planted))

    assert len(findings) == 4


def test_no_secrets_are_committed():
    files = tracked_files()

    findings = secret_findings(files)

    assert len(files) > 50
    assert findings == []
