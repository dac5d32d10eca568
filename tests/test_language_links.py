"""The header's language menu: links (as in USWDS's language selector) that set the
resident's language and bring them back to the page they were reading."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ereport import fragments
from tests.reports.wizard_data import pass_screening

pytestmark = pytest.mark.django_db

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def menu(response) -> str:
    html = response.content.decode()
    match = re.search(r'<nav class="ereport-languages".*?</nav>', html, re.S)
    assert match, "no language menu"
    return match.group(0)


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_a_language_link_sets_the_language_and_returns_to_the_page(client, code):
    switched = client.get(reverse("switch_language", args=[code]), {"next": "/status/"})
    page = client.get("/status/")

    assert switched.status_code == 302
    assert switched["Location"] == "/status/"
    assert f'<html lang="{code}"' in page.content.decode()


def test_the_language_cookie_is_lax_and_out_of_scripts_reach(client):
    switched = client.get(reverse("switch_language", args=["es"]), {"next": "/"})
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]

    assert cookie.value == "es"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    assert "no-store" in switched["Cache-Control"]


@pytest.mark.parametrize(
    "back",
    ["https://evil.example/", "//evil.example/", "http:/\\evil.example", "javascript:alert(1)", ""],
)
def test_a_return_address_off_the_site_leads_home(client, back):
    switched = client.get(reverse("switch_language", args=["es"]), {"next": back})

    assert switched.status_code == 302
    assert switched["Location"] == "/"


def test_a_language_the_site_does_not_offer_is_not_found(client):
    response = client.get(reverse("switch_language", args=["fr"]), {"next": "/"})

    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_posted_language_change_is_refused(client):
    response = client.post(reverse("switch_language", args=["es"]), {"next": "/"})

    assert response.status_code == 405


def test_the_menu_marks_the_current_language_and_links_to_the_others(client):
    nav = menu(client.get("/privacy/"))

    assert (
        '<span class="ereport-languages__current" lang="en" aria-current="true">English</span>'
        in nav
    )
    for code in OTHER_LANGUAGES:
        link = (
            f'href="{reverse("switch_language", args=[code])}?next={quote("/privacy/", safe="")}"'
        )
        assert link in nav
    assert 'lang="es" hreflang="es">español</a>' in nav


def test_the_menu_follows_the_language_in_use(client):
    client.get(reverse("switch_language", args=["so"]), {"next": "/"})
    nav = menu(client.get("/"))

    assert 'lang="so" aria-current="true">Soomaali</span>' in nav
    assert 'hreflang="en">English</a>' in nav


def test_each_page_links_back_to_itself_with_its_query(client):
    nav = menu(client.get("/status/?tracking=MPD-1&x=<b>"))
    href = re.search(r'href="([^"]+)" rel="nofollow" lang="es"', nav).group(1)

    back = client.get(href.replace("&amp;", "&"))

    assert back["Location"] == "/status/?tracking=MPD-1&x=%3Cb%3E"
    assert "<b>" not in nav


def test_a_language_link_mid_report_returns_to_the_same_step(client):
    pass_screening(client, "theft")
    step = client.get("/report/theft/", follow=True)
    path = step.redirect_chain[-1][0]
    href = re.search(r'href="([^"]+)" rel="nofollow" lang="es"', menu(step)).group(1)

    back = client.get(href, follow=True)

    assert back.redirect_chain[0][0] == path
    assert '<html lang="es"' in back.content.decode()


def test_a_page_with_no_form_sets_no_csrf_cookie():
    response = Client().get("/")

    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_menu_is_drawn_once_per_language(client):
    fragments._language_links.cache_clear()
    client.get("/")
    client.get("/privacy/")
    client.get(reverse("switch_language", args=["es"]), {"next": "/"})
    client.get("/")

    assert fragments._language_links.cache_info().currsize == 2


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_return_address_is_encoded_as_urllib_encodes_it(address):
    assert address.translate(fragments._QUOTED) == quote(address, safe="")
