"""The wizard's forms are drawn in Python (ereport/forms.py: the USWDS form group and
Django's plain widgets) because the templates cost half a step's CPU. The templates stay
the reference: every step of every report type, as it opens and with every error, must
come out byte for byte as the templates draw it."""

from __future__ import annotations

import re
import uuid

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.utils import translation
from formtools.wizard.forms import ManagementForm

from ereport import forms as uswds
from ereport import fragments
from reports.questions.forms import AboutYouForm
from reports.registry import REPORT_TYPES
from tests.reports.wizard_data import start_report, step_post, step_url, steps_of

pytestmark = pytest.mark.django_db

# The CSRF token is masked afresh on every page: it is the one part that may differ.
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def page(client, report_type, step, data=None) -> str:
    url = step_url(client, report_type, step)
    response = client.post(url, data) if data is not None else client.get(url)
    return _TOKEN.sub("csrf", response.content.decode())


class _KeepsNothing(dict):
    def __setitem__(self, key, value) -> None:
        pass


def templates_only(patch) -> None:
    """Draw every field and widget with the templates, as before the Python paths, and
    every time (nothing drawn once per process: forms, header, footer)."""
    patch.setattr(fragments, "_KEPT", _KeepsNothing())
    patch.setattr(uswds.UswdsBoundField, "uswds_html", property(lambda self: ""))
    patch.setattr(uswds.PythonWidgetRenderer, "_ours_by_class", {})
    patch.setattr(uswds.PythonWidgetRenderer, "_is_djangos", lambda self, name: False)


@pytest.mark.parametrize("report_type", list(REPORT_TYPES))
def test_every_step_is_drawn_as_the_templates_draw_it(client, monkeypatch, report_type):
    start_report(client, report_type)
    for step in steps_of(report_type):
        # As the step opens, and with every error it can show (sent empty).
        for data in (None, {}):
            drawn = page(client, report_type, step, data)
            with monkeypatch.context() as patch:
                templates_only(patch)
                assert page(client, report_type, step, data) == drawn, (step, data)
        client.post(step_url(client, report_type, step), step_post(report_type, step))


def test_the_wizards_management_form_is_formtools_own_markup(client):
    start_report(client, "theft")
    response = client.get(step_url(client, "theft", "about_you"))

    formtools = str(ManagementForm(prefix="report_theft", initial={"current_step": "about_you"}))
    assert formtools in response.content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_unbound_form_is_drawn_once_and_the_same_as_crispy_forms_draws_it(monkeypatch, language):
    draws = []

    def counted(form):
        draws.append(form)
        return as_crispy_form(form)

    monkeypatch.setattr(uswds, "as_crispy_form", counted)
    key = f"test-{uuid.uuid4()}"
    with translation.override(language):
        first = uswds.unbound_form_html(AboutYouForm(prefix="about_you"), key)
        again = uswds.unbound_form_html(AboutYouForm(prefix="about_you"), key)
        drawn = as_crispy_form(AboutYouForm(prefix="about_you"))

    assert len(draws) == 1
    assert first == again == drawn
    assert ("First name" in first) == (language == "en")


def test_a_bound_form_is_never_drawn_from_the_process_cache():
    bound = AboutYouForm({"about_you-first_name": "Ana"}, prefix="about_you")

    assert uswds.unbound_form_html(bound, "test") is None
