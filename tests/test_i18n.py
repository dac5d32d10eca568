"""Every language the site offers is complete, and a resident who reads Spanish never
meets an English sentence on the pages they use."""

from __future__ import annotations

import ast
import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.reports.wizard_data import file_report, pass_screening, step_url

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


def po_entries(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr(s) and flags."""
    entries, current, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current.setdefault("flags", []).extend(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_has_no_untranslated_or_fuzzy_entry(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")

    untranslated = [
        e["msgid"] for e in entries if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", [])]

    assert len(entries) > 500
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalog_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    source = {e["msgid"] for e in po_entries(folder / "django.po")}

    missing = [msgid for msgid in source if compiled.gettext(msgid) == msgid and msgid.strip()]

    # A msgid whose translation is the same word (a name, "PDF") is not an error.
    assert len(missing) < 25, missing[:25]


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    placeholder = re.compile(r"%\(\w+\)[sd]")

    broken = [
        e["msgid"]
        for e in entries
        for key, value in e.items()
        if key.startswith("msgstr")
        and sorted(placeholder.findall(value)) != sorted(placeholder.findall(e["msgid"]))
        and not e.get("msgid_plural")
    ]

    assert broken == []


def main_sentences(response) -> set[str]:
    """The sentences of four words or more that a reader sees in <main>."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", main))
    sentences = set()
    for chunk in re.split(r"[\n.!?:]+", text):
        words = chunk.split()
        if len(words) >= 4:
            sentences.add(" ".join(words))
    return sentences


def in_language(client, language: str):
    client.get(reverse("switch_language", args=[language]), {"next": "/"})
    return client


def english_left(english_client, spanish_client, url: str) -> set[str]:
    english = main_sentences(english_client.get(url))
    spanish = main_sentences(spanish_client.get(url))
    return english & spanish


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/screening/now/",
        "/status/",
        "/verify/",
        "/report/resume/",
        "/privacy/",
        "/accessibility/",
    ],
)
def test_spanish_page_shows_no_english_sentence(client, url):
    from django.test import Client

    spanish = in_language(Client(), "es")

    assert english_left(client, spanish, url) == set()


@pytest.mark.django_db
def test_spanish_wizard_and_outcome_pages_show_no_english_sentence(client):
    from django.test import Client

    spanish = in_language(Client(), "es")
    for browser in (client, spanish):
        pass_screening(browser, "theft")
    outcome = english_left(client, spanish, reverse("screening:result"))
    for browser in (client, spanish):
        browser.get(reverse("reports:start", args=["theft"]))
    # Each browser has its own report, at its own address.
    first_step = main_sentences(
        client.get(step_url(client, "theft", "about_you"))
    ) & main_sentences(spanish.get(step_url(spanish, "theft", "about_you")))

    assert (outcome, first_step) == (set(), set())


@pytest.mark.django_db
def test_the_residents_language_is_kept_on_the_report_and_used_for_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    from reports.models import Report

    spanish = in_language(Client(), "es")

    with django_capture_on_commit_callbacks(execute=True):
        file_report(spanish, "theft")

    report = Report.objects.get()
    english_subject = f"We received your police report {report.tracking_number}"
    assert report.language == "es"
    assert len(mailoutbox) == 1
    assert report.tracking_number in mailoutbox[0].subject
    assert mailoutbox[0].subject != english_subject
    assert "Dear" not in mailoutbox[0].body
