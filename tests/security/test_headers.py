"""Security headers on every HTML page (ASVS V14.4), no caching of report pages and
files, and templates that need no 'unsafe-inline' (no inline script, style or event
handlers)."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ereport.middleware import ConstantCSPMiddleware
from screening import rules
from tests.reports.wizard_data import start_report, step_post, step_url, steps_of
from tests.security import (
    STAFF_PASSWORD,
    World,
    body_of,
    browser,
    csp_directives,
    make_staff,
    private_cache,
)
from tests.security.test_url_access import URL_TABLE

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def header_problems(response) -> list[str]:
    """What is missing or wrong in a page's security headers."""
    problems = []
    csp = response.get("Content-Security-Policy")
    if not csp:
        return ["no Content-Security-Policy"]
    directives = csp_directives(csp)
    expected = {
        "default-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
    for name, value in expected.items():
        if directives.get(name) != value:
            problems.append(f"CSP {name} is {directives.get(name)}, not {value}")
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*"):
        if any(unsafe in values for values in directives.values()):
            problems.append(f"CSP allows {unsafe}")
    wanted = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for name, value in wanted.items():
        if response.get(name) != value:
            problems.append(f"{name} is {response.get(name)!r}")
    permissions = (response.get("Permissions-Policy") or "").replace(" ", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        if feature not in permissions.split(","):
            problems.append(f"Permissions-Policy lacks {feature}")
    return problems


def test_header_check_notices_a_missing_header():
    from django.http import HttpResponse

    bare = HttpResponse("<p>hello</p>")

    assert "no Content-Security-Policy" in header_problems(bare)


def test_every_page_in_the_url_table_has_the_security_headers(django_capture_on_commit_callbacks):
    world = World(django_capture_on_commit_callbacks, first_address=140)

    problems, html_pages = [], 0
    for role in ("anonymous", "resident", "officer", "superuser"):
        client = world.clients[role]
        for name, (path_for, _answers) in URL_TABLE.items():
            response = client.get(path_for(world))
            body_of(response)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            if 300 <= response.status_code < 400:
                continue
            html_pages += 1
            problems += [f"{role} {name}: {p}" for p in header_problems(response)]

    assert html_pages > 60
    assert problems == []


def test_wizard_pages_and_error_pages_have_the_security_headers(settings):
    private_cache(settings)
    settings.RATELIMITS = {**settings.RATELIMITS, "status": (1, 60)}
    client = browser(150)
    start_report(client, "theft")
    pages = {}
    for step in steps_of("theft")[:-1]:
        pages[step] = client.get(step_url(client, "theft", step))
        client.post(step_url(client, "theft", step), step_post("theft", step))
    pages["declaration"] = client.get(step_url(client, "theft", "declaration"))
    pages["404"] = client.get("/no/such/page/")
    client.post(reverse("reports:status"), {"tracking_number": "x", "email": "y@example.org"})
    pages["429"] = client.post(reverse("reports:status"), {"tracking_number": "x", "email": "y"})

    assert pages["404"].status_code == 404
    assert pages["429"].status_code == 429
    assert pages["review"].status_code == 200
    problems = [f"{name}: {p}" for name, page in pages.items() for p in header_problems(page)]
    assert problems == []


def test_staff_sign_in_pages_have_the_security_headers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_staff("clerk", "clerk.headers")
    client = browser(151)

    login = client.get(reverse("staff:login"))
    client.post(reverse("staff:login"), {"username": "clerk.headers", "password": "wrong one!"})
    for _ in range(4):
        locked = client.post(
            reverse("staff:login"), {"username": "clerk.headers", "password": "wrong one!"}
        )
    other = browser(152)
    make_staff("clerk", "clerk.newcomer")
    other.post(reverse("staff:login"), {"username": "clerk.newcomer", "password": STAFF_PASSWORD})
    setup = other.get(reverse("staff:mfa_setup"))

    assert locked.status_code in (403, 429)
    assert setup.status_code == 200
    for page in (login, locked, setup):
        assert header_problems(page) == []


# --- No caching of report pages and files ------------------------------------------------


def test_report_pages_and_files_are_never_stored_by_caches(django_capture_on_commit_callbacks):
    world = World(django_capture_on_commit_callbacks, first_address=153)
    resident, officer, clerk = (world.clients[r] for r in ("resident", "officer", "clerk"))
    looked_up = browser(160)
    looked_up.post(
        reverse("reports:status"),
        {"tracking_number": world.report.tracking_number, "email": world.report.reporter_email},
    )
    report = world.report
    wizard = browser(161)
    start_report(wizard, "theft")
    pages = {
        "wizard step": wizard.get(step_url(wizard, "theft", "about_you")),
        "confirmation": resident.get(reverse("reports:confirmation")),
        "confirmation copy (PDF)": resident.get(reverse("reports:confirmation_copy")),
        "emailed link (PDF)": browser(162).get(
            reverse("reports:signed_copy", args=[world.copy_token])
        ),
        "status": looked_up.get(reverse("reports:status_detail")),
        "supplement": looked_up.get(reverse("reports:supplement")),
        "officer detail": officer.get(reverse("reports:officer_detail", args=[report.pk])),
        "officer copy (PDF)": officer.get(reverse("reports:officer_copy", args=[report.pk])),
        "officer attachment": officer.get(
            reverse("reports:officer_attachment", args=[report.pk, world.attachment.pk])
        ),
        "admin report page": clerk.get(reverse("admin:reports_report_change", args=[report.pk])),
        "admin copy (PDF)": clerk.get(reverse("admin:reports_report_copy", args=[report.pk])),
    }

    for name, response in pages.items():
        body_of(response)
        assert response.status_code == 200, name
        assert "no-store" in response.get("Cache-Control", ""), name


def test_private_files_are_downloads_that_cannot_run_in_the_page(
    django_capture_on_commit_callbacks,
):
    world = World(django_capture_on_commit_callbacks, first_address=163)

    pdf = world.clients["resident"].get(reverse("reports:confirmation_copy"))
    body = body_of(pdf)

    assert body.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf["X-Content-Type-Options"] == "nosniff"
    directives = csp_directives(pdf["Content-Security-Policy"])
    assert directives["default-src"] == ["'none'"]
    assert "sandbox" in directives


# --- Templates need no 'unsafe-inline' ----------------------------------------------------

INLINE = {
    "inline <script> body": re.compile(r"<script\b[^>]*>\s*[^\s<]", re.I),
    "<script> without src": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S),
    "on* event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def template_files() -> list[Path]:
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [p for p in BASE_DIR.glob("*/templates") if ".venv" not in p.parts]
    return sorted({f for root in roots for f in root.rglob("*.html")})


def test_the_template_scan_notices_inline_code():
    samples = [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color:red">',
        '<a href="#" onclick="go()">',
        '<a href="javascript:go()">',
    ]

    found = [[k for k, rx in INLINE.items() if rx.search(sample)] for sample in samples]

    assert all(found)


def test_templates_have_no_inline_script_style_or_handlers():
    files = template_files()

    findings = [
        f"{path.relative_to(BASE_DIR)}: {kind}"
        for path in files
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]

    assert len(files) > 40
    assert findings == []


# (what the resident answered before, the page they open): every screening page and outcome.
SCREENING_PAGES_AFTER = [
    ("now page", {}, "get", "/screening/now/"),
    ("incident page", {"now": "no"}, "get", "/screening/incident/"),
    ("place page", {"now": "no", "incident": "no"}, "get", "/screening/place/"),
    ("an answer refused", {}, "post", "/screening/now/"),
    ("restart", {}, "get", "/screening/"),
    ("911 outcome", {"now": "yes"}, "get", "/screening/result/"),
    (
        "eligible outcome",
        {"now": "no", "incident": "no", "place": "yes"},
        "get",
        "/screening/result/",
    ),
]
SCREENING_ANSWERS = {
    "now": lambda value: dict.fromkeys(rules.NOW_KEYS, value),
    "incident": lambda value: dict.fromkeys(rules.MAJOR_CRIME_KEYS + rules.OFFICER_KEYS, value),
    "place": lambda _value: {"in_city": "yes", "report_type": "theft"},
}


@pytest.mark.parametrize(("name", "answered", "method", "url"), SCREENING_PAGES_AFTER)
def test_screening_pages_and_outcomes_are_never_stored_by_caches(name, answered, method, url):
    client = browser(163)
    client.get(reverse("screening:start"))
    for page, value in answered.items():
        client.post(f"/screening/{page}/", SCREENING_ANSWERS[page](value))

    response = client.get(url) if method == "get" else client.post(url, {"emergency": "perhaps"})

    assert response.status_code in (200, 302), name
    assert "no-store" in response.get("Cache-Control", ""), name


def test_the_policy_built_once_is_the_one_django_csp_builds(client):
    response = client.get("/")

    assert response["Content-Security-Policy"] == build_policy(**asdict(PolicyParts()))
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_response_asking_for_its_own_policy_gets_what_django_csp_gives():
    def plain(request):
        return HttpResponse("plain")

    def with_nonce(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    def exempt(request):
        response = HttpResponse("exempt")
        response._csp_exempt = True
        return response

    def updated(request):
        response = HttpResponse("updated")
        response._csp_update = {"img-src": ["https://maps.example.org"]}
        return response

    def headers(middleware, view):
        response = middleware(view)(RequestFactory().get("/x/"))
        return {k: v for k, v in response.items() if k.startswith("Content-Security-Policy")}

    for view in (plain, with_nonce, exempt, updated):
        assert headers(ConstantCSPMiddleware, view) == headers(CSPMiddleware, view), view
    assert (
        "https://maps.example.org"
        in headers(ConstantCSPMiddleware, updated)["Content-Security-Policy"]
    )
    assert headers(ConstantCSPMiddleware, exempt) == {}
