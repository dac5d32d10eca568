"""The pages' CSRF tokens (ereport/csrf.py): Django's form and checks, a new mask on
every page, each mask character equally likely."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client

from ereport.csrf import new_mask

pytestmark = pytest.mark.django_db

PAGE = "/screening/now/"


def token_on(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def test_a_first_visit_gets_a_cookie_and_a_token_made_from_it():
    client = Client(enforce_csrf_checks=True)
    page = client.get(PAGE)

    secret = page.cookies[settings.CSRF_COOKIE_NAME].value
    assert _unmask_cipher_token(token_on(page)) == secret


def test_a_returning_visit_gets_a_fresh_mask_of_the_same_secret():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value

    first, second = token_on(client.get(PAGE)), token_on(client.get(PAGE))

    assert first != second
    assert first[:32] != second[:32]
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    assert len(first) == 64 and set(first) <= set(CSRF_ALLOWED_CHARS)


def test_a_form_posted_with_the_pages_token_passes_the_csrf_check():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)
    token = token_on(client.get(PAGE))

    posted = client.post(PAGE, {"csrfmiddlewaretoken": token, "emergency": "no"})
    forged = client.post(PAGE, {"csrfmiddlewaretoken": "a" * 64, "emergency": "no"})

    assert posted.status_code != 403
    assert forged.status_code == 403


def test_the_renewed_cookie_goes_out_with_a_page_that_shows_a_token():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)

    again = client.get(PAGE)

    assert settings.CSRF_COOKIE_NAME in again.cookies


def test_each_mask_character_is_equally_likely():
    # 64,000 characters: each of the 62 expected 1,032 times (standard deviation ~32).
    # Mapping every byte modulo 62 would give the first eight characters 25% more.
    counts = Counter("".join(new_mask() for _ in range(2_000)))

    expected = 2_000 * 32 / len(CSRF_ALLOWED_CHARS)
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(abs(n - expected) < 0.15 * expected for n in counts.values()), counts
