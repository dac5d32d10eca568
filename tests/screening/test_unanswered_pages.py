"""A screening page's form on a first visit is built once and shared by everyone; a page
shown again with the resident's answers, or posted, gets its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOW = reverse("screening:question", args=["now"])
NO_TO_ALL_NOW = {"emergency": "no", "in_progress": "no", "suspicious_now": "no", "threat": "no"}


def page_form(client: Client, path: str = NOW):
    return client.get(path).context["form"]


def test_two_residents_on_the_first_page_share_one_form():
    first, second = Client(), Client()
    first.get(reverse("screening:start"))
    second.get(reverse("screening:start"))

    assert page_form(first) is page_form(second)


def test_a_resident_who_answered_the_page_gets_the_form_with_their_answers():
    fresh, answered = Client(), Client()
    fresh.get(reverse("screening:start"))
    answered.get(reverse("screening:start"))
    answered.post(NOW, NO_TO_ALL_NOW)

    back = page_form(answered)

    assert back is not page_form(fresh)
    assert back.initial == NO_TO_ALL_NOW
    assert page_form(fresh).initial == {}


def test_a_posted_page_gets_a_form_of_its_own():
    client = Client()
    client.get(reverse("screening:start"))
    shared = page_form(client)

    refused = client.post(NOW, {"emergency": "perhaps"})

    assert refused.context["form"] is not shared
    assert refused.context["form"].is_bound
    assert not shared.is_bound
