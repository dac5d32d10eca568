"""Every page a resident can reach is valid HTML by the Nu HTML Checker (vnu, the W3C's
own checker, from the npm package vnu-jar): as it opens and after a refused submit.

Valid markup is what assistive technologies are built against: an attribute the checker
refuses (aria-label on a plain div) is one some screen readers ignore. The pages are
fetched with Django's test client and checked in one run of the checker (it takes
seconds to start), each as its own file so that a message names its page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reports.models import CaseCopy, Report
from reports.registry import REPORT_TYPES
from screening import policy_store
from tests.reports.wizard_data import (
    STEP_DATA,
    file_report,
    rows_post,
    start_report,
    step_post,
    step_url,
    steps_of,
)

pytestmark = pytest.mark.django_db

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One answer of each screening outcome (the rest of the answers are safe ones).
OUTCOMES = {
    "911 emergency": {"threat": "unsure"},
    "911 major crime": {"major_crime": "yes"},
    "911 officer needed": {"evidence": "yes"},
    "311 not sure where": {"in_city": "unsure"},
    "311 stolen vehicle": {"report_type": "stolen_vehicle"},
    "outside the city": {"in_city": "no"},
}


def screening_pages(pages: dict[str, str]) -> None:
    from screening import rules

    client = Client()
    pages["home"] = client.get("/").content.decode()
    client.get(reverse("screening:start"))
    safe = dict.fromkeys(rules.YES_NO_KEYS, "no") | {"in_city": "yes", "report_type": "theft"}
    keys = {
        "now": rules.NOW_KEYS,
        "incident": rules.MAJOR_CRIME_KEYS + rules.OFFICER_KEYS,
        "place": (*rules.PLACE_KEYS, rules.REPORT_TYPE_KEY),
    }
    for slug, names in keys.items():
        url = reverse("screening:question", args=[slug])
        pages[f"screening {slug}"] = client.get(url).content.decode()
        pages[f"screening {slug} with errors"] = client.post(url, {}).content.decode()
        client.post(url, {k: safe[k] for k in names})
    pages["eligible"] = client.get(reverse("screening:result")).content.decode()
    for label, changes in OUTCOMES.items():
        answers = safe | changes
        client = Client()
        client.get(reverse("screening:start"))
        for slug, names in keys.items():
            response = client.post(
                reverse("screening:question", args=[slug]), {k: answers[k] for k in names}
            )
            if response.url == reverse("screening:result"):
                break
        pages[label] = client.get(reverse("screening:result")).content.decode()


def wizard_pages(pages: dict[str, str], report_type: str) -> None:
    """Each step as it opens and after sending it empty, then the confirmation."""
    client = Client()
    start_report(client, report_type)
    for step in steps_of(report_type):
        url = step_url(client, report_type, step)
        pages[f"{report_type}/{step}"] = client.get(url).content.decode()
        empty = {f"report_{report_type}-current_step": step}
        if step in ("items", "children", "accounts"):
            empty.update(rows_post(step, [{}]))
        response = client.post(url, empty)
        if response.status_code == 200:
            pages[f"{report_type}/{step} with errors"] = response.content.decode()
        if step == "attachments":
            refused = client.post(
                url,
                {
                    **empty,
                    "upload_only": "1",
                    "upload": _file("notes.txt", b"not a photo"),
                },
            )
            pages[f"{report_type}/attachments with a refused file"] = refused.content.decode()
        response = client.post(url, step_post(report_type, step))
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    pages[f"{report_type}/confirmation"] = client.get(response.url).content.decode()


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/plain")


def lookup_pages(pages: dict[str, str]) -> None:
    client = Client()
    for label in ("privacy", "accessibility"):
        pages[label] = client.get(reverse(label)).content.decode()
    for url, label in (
        (reverse("reports:status"), "status lookup"),
        (reverse("reports:resume"), "resume"),
        (reverse("reports:verify"), "verification"),
    ):
        pages[label] = client.get(url).content.decode()
        pages[f"{label} with errors"] = client.post(url, {}).content.decode()
    pages["not found"] = client.get("/no-such-page/").content.decode()


def after_filing_pages(pages: dict[str, str], on_commit) -> None:
    client = Client()
    before = set(Report.objects.values_list("pk", flat=True))
    with on_commit(execute=True):  # The case copy is made after the filing commits.
        file_report(client, "theft")
    report = Report.objects.exclude(pk__in=before).get()
    response = client.post(
        reverse("reports:status"),
        {"tracking_number": report.tracking_number, "email": report.reporter_email},
    )
    pages["status detail"] = client.get(response.url).content.decode()
    url = reverse("reports:supplement")
    pages["supplement"] = client.get(url).content.decode()
    pages["supplement with errors"] = client.post(url, {}).content.decode()
    copy = CaseCopy.objects.filter(report=report, state="ready").order_by("-version").first()
    pages["verification: genuine"] = client.post(
        reverse("reports:verify"), {"code": copy.verification_code}
    ).content.decode()

    saving = Client()
    start_report(saving, "theft")
    url = step_url(saving, "theft", "about_you")
    response = saving.post(url, {**step_post("theft", "about_you"), "save_later": "1"})
    pages["saved"] = saving.get(response.url).content.decode()
    assert 'id="resume-code"' in pages["saved"]


def without_email_pages(pages: dict[str, str], on_commit) -> None:
    """The pages of an agency that lets residents file without an email address."""
    with on_commit(execute=True):  # the new policy is published once it commits
        policy_store.document_import({"agency": {"email_required": False}})
    no_email = {**STEP_DATA["about_you"], "email": ""}
    client = Client()
    start_report(client, "theft")
    about_you = step_url(client, "theft", "about_you")
    pages["no email: about you"] = client.get(about_you).content.decode()
    saving = client.post(
        about_you, {**step_post("theft", "about_you", no_email), "save_later": "1"}
    )
    pages["no email: saved"] = client.get(saving.url).content.decode()
    filer = Client()
    file_report(filer, "theft", overrides={"about_you": no_email})
    pages["no email: confirmation"] = filer.get(reverse("reports:confirmation")).content.decode()
    for url, label in (
        (reverse("reports:status"), "status"),
        (reverse("reports:resume"), "resume"),
    ):
        pages[f"no email: {label}"] = filer.get(url).content.decode()
        pages[f"no email: {label} with errors"] = filer.post(url, {}).content.decode()


def vnu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    paths = {}
    for n, (label, page) in enumerate(pages.items()):
        path = folder / f"{n:03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.html"
        path.write_text(page, encoding="utf-8")
        paths[path.name] = label
    java = shutil.which("java")
    assert java, "The Nu HTML Checker needs Java (Debian: default-jre-headless)."
    run = subprocess.run(  # noqa: S603 - the checker on files this test wrote
        [java, "-jar", str(VNU_JAR), "--format", "json", *map(str, sorted(folder.iterdir()))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr)["messages"]
    return [
        f"[{paths.get(Path(m.get('url', '')).name, m.get('url'))}] line {m.get('lastLine')}: "
        f"{m['message']} ({m.get('extract', '').strip()})"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def test_vnu_finds_no_error_on_any_resident_page(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    assert VNU_JAR.exists(), "Run `npm install` (the checker is the npm package vnu-jar)."
    settings.RATELIMITS = {
        scope: (100_000, period) for scope, (_n, period) in settings.RATELIMITS.items()
    }
    pages: dict[str, str] = {}
    screening_pages(pages)
    for report_type in REPORT_TYPES:
        wizard_pages(pages, report_type)
    lookup_pages(pages)
    after_filing_pages(pages, django_capture_on_commit_callbacks)
    without_email_pages(pages, django_capture_on_commit_callbacks)

    errors = vnu_errors(pages, tmp_path)

    assert not errors, f"{len(errors)} errors in {len(pages)} pages:\n" + "\n".join(errors)


def test_vnu_reports_an_invalid_attribute(tmp_path):
    """The check itself: a page the checker must refuse is refused."""
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        '<body><div aria-label="Progress">1 of 9</div></body></html>'
    )
    assert any("aria-label" in e for e in vnu_errors({"bad": page}, tmp_path))
