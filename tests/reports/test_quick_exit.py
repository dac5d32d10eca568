""" "Leave this site quickly" on the flows where the person responsible may be close to
the resident (harassment, order and visitation violations): on every page of the wizard,
a plain link that works without JavaScript, and the Escape key when JavaScript runs; and
not on the other flows."""

from __future__ import annotations

import re
import secrets
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reports.registry import REPORT_TYPES
from tests.reports.wizard_data import start_report, step_post, step_url, steps_of, visible_text

pytestmark = pytest.mark.django_db

SENSITIVE = ["harassment", "order_violation", "visitation_violation"]
OTHERS = [slug for slug in REPORT_TYPES if slug not in SENSITIVE]
LABEL = "Leave this site quickly"
SCRIPT = settings.BASE_DIR / "static" / "js" / "ereport.js"


def new_client() -> Client:
    """A browser on its own address, so rate limits never mix with other tests or runs."""
    octets = [secrets.randbelow(256), secrets.randbelow(256), secrets.randbelow(254) + 1]
    return Client(REMOTE_ADDR="10.{}.{}.{}".format(*octets))


class _Links(HTMLParser):
    """Every <a> with its attributes and its text."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[dict, str]] = []
        self._open: list[tuple[dict, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append((dict(attrs), []))

    def handle_data(self, data):
        for _attrs, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.links.append((attrs, " ".join("".join(text).split())))


def quick_exit_links(response) -> list[dict]:
    parser = _Links()
    parser.feed(response.content.decode())
    return [attrs for attrs, text in parser.links if text == LABEL]


def every_wizard_page(report_type: str):
    """Walk the type's wizard as a resident does: each page (GET), then its answers."""
    client = new_client()
    start_report(client, report_type)
    for step in steps_of(report_type):
        page = client.get(step_url(client, report_type, step))
        assert page.status_code == 200, (step, page)
        yield step, page
        if step != "declaration":
            response = client.post(
                step_url(client, report_type, step), step_post(report_type, step)
            )
            assert response.status_code == 302, (step, visible_text(response.content.decode()))


@pytest.mark.parametrize("report_type", SENSITIVE)
def test_every_page_of_a_sensitive_flow_has_a_plain_quick_exit_link(report_type):
    seen = []

    for step, page in every_wizard_page(report_type):
        links = quick_exit_links(page)
        assert len(links) == 1, (step, links)
        link = links[0]
        # A plain link: it works with JavaScript turned off.
        assert link["href"] == settings.QUICK_EXIT_URL, step
        assert link.get("data-quick-exit") == settings.QUICK_EXIT_URL
        assert "onclick" not in link
        assert "target" not in link  # leaves this tab, not a new one
        assert "noreferrer" in link.get("rel", "")  # the neutral site learns nothing of us
        seen.append(step)

    assert seen == list(steps_of(report_type))


@pytest.mark.parametrize("report_type", SENSITIVE)
def test_the_quick_exit_goes_where_the_settings_say(report_type, settings):
    settings.QUICK_EXIT_URL = "https://www.example.gov/weather/"
    client = new_client()
    start_report(client, report_type)

    links = quick_exit_links(client.get(step_url(client, report_type, "about_you")))

    assert [link["href"] for link in links] == ["https://www.example.gov/weather/"]


@pytest.mark.parametrize("report_type", OTHERS)
def test_other_flows_have_no_quick_exit(report_type):
    for step, page in every_wizard_page(report_type):
        assert quick_exit_links(page) == [], step
        assert LABEL not in page.content.decode(), step
        assert "data-quick-exit" not in page.content.decode(), step


def test_the_sensitive_flows_are_the_ones_the_registry_marks():
    assert sorted(slug for slug, t in REPORT_TYPES.items() if t.sensitive) == sorted(SENSITIVE)


def test_the_script_on_every_page_leaves_on_escape_without_a_history_entry():
    script = SCRIPT.read_text()

    assert re.search(r"""event\.key\s*===?\s*["']Escape["']""", script)
    assert "location.replace(" in script
    assert "data-quick-exit" in script


def test_the_pages_with_a_quick_exit_load_the_script():
    client = new_client()
    start_report(client, "harassment")

    content = client.get(step_url(client, "harassment", "about_you")).content.decode()

    assert '<script src="/static/js/ereport.js"></script>' in content
    assert "Or press the Escape key." in visible_text(content)


@pytest.mark.parametrize("report_type", SENSITIVE)
def test_a_page_shown_again_with_errors_keeps_the_quick_exit(report_type):
    client = new_client()
    start_report(client, report_type)

    page = client.post(
        step_url(client, report_type, "about_you"), step_post(report_type, "about_you", {})
    )

    assert page.status_code == 200
    assert "There is a problem" in visible_text(page.content.decode())
    assert [link["href"] for link in quick_exit_links(page)] == [settings.QUICK_EXIT_URL]


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_the_quick_exit_is_there_in_every_language(code):
    client = new_client()
    client.get(reverse("switch_language", args=[code]), {"next": "/"})
    start_report(client, "harassment")

    content = client.get(step_url(client, "harassment", "about_you")).content.decode()

    link = re.search(r'<a[^>]*\bid="quick-exit"[^>]*>(.*?)</a>', content, re.S)
    assert link, code
    assert f'href="{settings.QUICK_EXIT_URL}"' in link.group(0)
    assert visible_text(link.group(1))  # a label the resident can read
    assert (visible_text(link.group(1)) == LABEL) == (code == settings.LANGUAGE_CODE)
