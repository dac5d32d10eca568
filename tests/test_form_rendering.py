"""The wizard's forms are drawn in Python (ereport/forms.py: the USWDS form group and
Django's plain widgets) because the templates cost half a step's CPU. The templates stay
the reference: every step of every report type, as it opens and with every error, must
come out byte for byte as the templates draw it."""

from __future__ import annotations

import re

import pytest

from ereport import forms as uswds
from reports.registry import REPORT_TYPES
from tests.reports.wizard_data import start_report, step_post, step_url, steps_of

pytestmark = pytest.mark.django_db

# The CSRF token is masked afresh on every page: it is the one part that may differ.
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def page(client, report_type, step, data=None) -> str:
    url = step_url(client, report_type, step)
    response = client.post(url, data) if data is not None else client.get(url)
    return _TOKEN.sub("csrf", response.content.decode())


def templates_only(patch) -> None:
    """Draw every field and widget with the templates, as before the Python paths."""
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
