"""An unanswered step's form is built once and shared by every resident's page (it holds
nothing of theirs); an answered or posted step always gets its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.reports.wizard_data import (
    input_value,
    start_report,
    step_post,
    step_url,
)

pytestmark = pytest.mark.django_db


def resident(report_type: str = "theft", language: str | None = None) -> Client:
    client = Client()
    if language:
        client.get(reverse("switch_language", args=[language]), {"next": "/"})
    start_report(client, report_type)
    return client


def step_form(client, step: str = "about_you", report_type: str = "theft"):
    return client.get(step_url(client, report_type, step)).context["wizard"]["form"]


def test_two_residents_on_an_unanswered_step_share_one_form():
    assert step_form(resident()) is step_form(resident())


def test_an_answered_step_gets_a_form_of_its_own():
    first, second = resident(), resident()
    first.post(step_url(first, "theft", "about_you"), step_post("theft", "about_you"))

    answered = step_form(first)

    assert answered.is_bound
    assert answered is not step_form(second)
    assert input_value(first.get(step_url(first, "theft", "about_you")), "about_you-first_name")


def test_a_resident_reading_another_language_gets_another_form():
    assert step_form(resident()) is not step_form(resident(language="es"))


def test_another_report_type_gets_another_form():
    damage = step_form(resident("property_damage"), report_type="property_damage")

    assert step_form(resident()) is not damage


def test_what_one_resident_typed_never_shows_on_anothers_unanswered_step():
    typist, reader = resident(), resident()
    typed = step_post("theft", "about_you") | {
        "about_you-first_name": "Typedbyfirst",
        "about_you-email": "not an email",
    }
    refused = typist.post(step_url(typist, "theft", "about_you"), typed)

    page = reader.get(step_url(reader, "theft", "about_you"))

    assert refused.status_code == 200  # shown again, with its error
    assert "Typedbyfirst" in refused.content.decode()
    assert "Typedbyfirst" not in page.content.decode()
    assert input_value(page, "about_you-first_name") is None
