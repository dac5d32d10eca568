"""Real-browser tests: Debian's Chromium (driven by Playwright) against pytest-django's live
server, which runs the whole site (Celery eager, so case copies are made in-process).

Every page a test opens records what the browser complains about: console errors, Content
Security Policy refusals and uncaught JavaScript errors. A test whose pages complained
fails, with the messages, even if everything it asserted held.
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Browsers ask every site for /favicon.ico on their own; the site has none (not a page
# problem, and not something a resident sees).
_IGNORED_URL_ENDINGS = ("/favicon.ico",)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each test gets fresh contexts (cookies)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which Django's ORM takes
    # for an async context: the tests' own database calls (users, reports) are plain
    # synchronous code, so allow them while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings):
    """The rate limits count per client address, and every browser here is 127.0.0.1 (as
    are the other test runs sharing this Redis): these tests are not about the limits."""
    settings.RATELIMITS = {
        scope: (100_000, period) for scope, (_n, period) in settings.RATELIMITS.items()
    }


def _watch(page, problems: list[str]) -> None:
    def on_console(message):
        text = message.text
        location = (message.location or {}).get("url", "") or ""
        if location.endswith(_IGNORED_URL_ENDINGS):
            return
        if "Content Security Policy" in text or "Refused to" in text:
            if getattr(page, "_axe_running", False) and "inline style" in text:
                return  # axe's own copies of stylesheets (see tests/e2e/axe.py)
            problems.append(f"CSP on {page.url}: {text}")
        elif message.type == "error":
            problems.append(f"console error on {page.url}: {text} ({location})")

    def on_page_error(error):
        problems.append(f"JavaScript error on {page.url}: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)


@pytest.fixture
def new_page(browser, live_server, request):
    """Open a page in a new browser context (its own cookies): new_page(**context_options).
    Every page opened here is watched for console errors and CSP refusals."""
    problems: list[str] = []
    request.node._browser_problems = problems
    contexts = []

    def open_page(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-US")
        options.setdefault("timezone_id", "America/Chicago")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        _watch(page, problems)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A resident's browser: desktop size, JavaScript on."""
    return new_page(viewport={"width": 1280, "height": 900})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    problems = getattr(item, "_browser_problems", None)
    if problems:
        raise AssertionError("The browser reported problems:\n" + "\n".join(problems))
    return result


@pytest.fixture
def file_without_browser(live_server):
    """File a report through the real pages with Django's test client (quicker than a
    browser, for tests about what happens after): file(report_type, overrides) -> Report.
    Its case copy is made on commit, as the live server would make it."""
    from django.test import Client

    from reports.models import Report
    from tests.reports import wizard_data

    def file(report_type: str = "theft", overrides=None) -> Report:
        before = set(Report.objects.values_list("pk", flat=True))
        response = wizard_data.file_report(Client(), report_type, overrides)
        assert response.url == "/report/confirmation/", response.url
        return Report.objects.exclude(pk__in=before).get()

    return file
