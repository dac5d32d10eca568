"""The pages that tell residents how they are treated: privacy (what is collected, why,
who sees it, how long it is kept, how to ask for a copy) and accessibility; linked from
the footer of every page, and readable in every language the site offers."""

from __future__ import annotations

import re
import secrets

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.reports.wizard_data import main_text, start_report, step_post, step_url

pytestmark = pytest.mark.django_db

PRIVACY = reverse("privacy")
ACCESSIBILITY = reverse("accessibility")


def new_client() -> Client:
    """A browser on its own address, so rate limits never mix with other tests or runs."""
    octets = [secrets.randbelow(256), secrets.randbelow(256), secrets.randbelow(254) + 1]
    return Client(REMOTE_ADDR="10.{}.{}.{}".format(*octets))


def footer_links(response) -> list[str]:
    content = response.content.decode()
    footer = re.search(r"<footer\b.*?</footer>", content, re.S)
    assert footer, "the page has no footer"
    return re.findall(r'<a[^>]*\bhref="([^"]*)"', footer.group(0))


def html_lang(response) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]*)"', response.content.decode())
    assert match, "no lang attribute on <html>"
    return match.group(1)


# --- Linked from every page ---------------------------------------------------------------


def _wizard_page(client):
    start_report(client, "theft")
    return client.get(step_url(client, "theft", "about_you"))


def _saved_page(client):
    start_report(client, "theft")
    client.post(
        step_url(client, "theft", "about_you"),
        step_post("theft", "about_you") | {"save_later": "1"},
    )
    return client.get(reverse("reports:draft_saved"))


def _screening_result(client):
    start_report(client, "theft")
    return client.get(reverse("screening:result"))


PAGES = {
    "home": lambda client: client.get(reverse("screening:home")),
    "screening": lambda client: client.get(reverse("screening:start"), follow=True),
    "screening result": _screening_result,
    "wizard step": _wizard_page,
    "saved for later": _saved_page,
    "resume": lambda client: client.get(reverse("reports:resume")),
    "status lookup": lambda client: client.get(reverse("reports:status")),
    "verify a copy": lambda client: client.get(reverse("reports:verify")),
    "privacy": lambda client: client.get(PRIVACY),
    "accessibility": lambda client: client.get(ACCESSIBILITY),
    "staff sign-in": lambda client: client.get(reverse("staff:login")),
    "not found": lambda client: client.get("/no-such-page/"),
}


@pytest.mark.parametrize("open_page", PAGES.values(), ids=PAGES.keys())
def test_privacy_and_accessibility_are_linked_from_the_footer_of_every_page(open_page):
    response = open_page(new_client())

    assert response.status_code in (200, 404)
    links = footer_links(response)
    assert PRIVACY in links
    assert ACCESSIBILITY in links


# --- What the privacy page says -------------------------------------------------------------

PRIVACY_SAYS = {
    "what is collected": ["What we collect", "your name, date of birth, address"],
    "that photo metadata is removed": ["We remove location data (GPS)"],
    "why": ["Why", "To make a police report"],
    "who sees it": ["Who sees it", "Records clerks", "it is logged"],
    "how long it is kept": ["How long we keep it", "365 days after the decision", "30 days"],
    "how to ask for a copy": ["To ask for a copy of the information we hold about you"],
}


@pytest.mark.parametrize("phrases", PRIVACY_SAYS.values(), ids=PRIVACY_SAYS.keys())
def test_the_privacy_page_says(phrases):
    page = main_text(new_client().get(PRIVACY))

    for phrase in phrases:
        assert phrase in page


def test_the_privacy_page_gives_the_retention_periods_in_force(settings):
    settings.RETENTION_REJECTED_DAYS = 400
    settings.DRAFT_RETENTION_DAYS = 21

    page = main_text(new_client().get(PRIVACY))

    assert "deleted 400 days after the decision" in page
    assert "deleted after 21 days" in page
    assert "365" not in page


def test_the_privacy_page_names_who_to_ask_for_a_copy():
    page = main_text(new_client().get(PRIVACY))

    assert "call 311" in page
    assert f"{settings.AGENCY_NAME} records unit" in page


ACCESSIBILITY_SAYS = {
    "the standard": ["WCAG", "2.1", "AA"],
    "how it is checked": ["keyboard", "without JavaScript"],
    "how to report a problem": ["call 311", settings.PHONE_311_FULL],
    "the languages": ["English, Spanish, Somali and Hmong"],
}


@pytest.mark.parametrize("phrases", ACCESSIBILITY_SAYS.values(), ids=ACCESSIBILITY_SAYS.keys())
def test_the_accessibility_page_says(phrases):
    page = main_text(new_client().get(ACCESSIBILITY))

    for phrase in phrases:
        assert phrase in page


# --- In every language --------------------------------------------------------------------

LANGUAGE_PAGES = [
    pytest.param(code, path, id=f"{code}-{path.strip('/')}")
    for code, _name in settings.LANGUAGES
    for path in (PRIVACY, ACCESSIBILITY)
]


def h1_text(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "no <h1>"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.mark.parametrize(("code", "path"), LANGUAGE_PAGES)
def test_the_pages_render_in_every_language_the_site_offers(code, path):
    english = h1_text(new_client().get(path))
    client = new_client()

    switched = client.get(reverse("switch_language", args=[code]), {"next": path})
    response = client.get(path)

    assert switched.status_code == 302
    assert response.status_code == 200
    assert html_lang(response) == code
    assert (h1_text(response) == english) == (code == settings.LANGUAGE_CODE)
    assert PRIVACY in footer_links(response)
    assert ACCESSIBILITY in footer_links(response)


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_the_retention_periods_are_given_in_every_language(code, settings):
    settings.RETENTION_REJECTED_DAYS = 400
    settings.DRAFT_RETENTION_DAYS = 21
    client = new_client()
    client.get(reverse("switch_language", args=[code]), {"next": PRIVACY})

    page = main_text(client.get(PRIVACY))

    assert "400" in page
    assert "21" in page
