"""Screenshots for the documentation, in docs/screenshots/: each page on a desktop (1280
CSS px wide) and on a phone (360 px), in English and in Spanish, and the first page of a
case copy (PDF) in each language. `make screenshots` runs only this file and writes
there; with the rest of the suite it writes to a temporary folder, so that the pages are
still photographed (and checked to render) without changing the working tree.

To stay quick, residents' set-up goes through the real pages with Django's test client
in the browser's own session (the report filed, the screening answered), and each
browser then opens its pages once per language and size. Staff sign in through the real
pages, with their second factor.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client

from reports.models import CaseCopy, Report
from screening import rules
from tests.e2e.staff import staff_member
from tests.reports import wizard_data

# `make screenshots` writes into docs/screenshots/; a plain test run writes to a temporary
# folder, so that running the suite leaves the working tree as it was.
OUT = Path(os.environ.get("SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "ereport-screenshots")
LANGUAGES = ("en", "es")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def save(write, name: str) -> Path:
    """Write through a temporary name, then move into place (never half a picture)."""
    OUT.mkdir(parents=True, exist_ok=True)
    final = OUT / f"{name}.png"
    temporary = OUT / f"{name}.tmp.png"
    write(temporary)
    os.replace(temporary, final)
    return final


@pytest.fixture
def current_catalogs(settings, tmp_path):
    """Pages in the translations as they are now in locale/*.po, compiled afresh (the .mo
    files are build products and may be missing or older)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        print("msgfmt not found: the Spanish pages use the compiled catalogs as they are")
        return
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        target = tmp_path / po.relative_to(Path(settings.BASE_DIR, "locale")).with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([msgfmt, "-o", str(target), str(po)], check=True)  # noqa: S603
    settings.LOCALE_PATHS = [tmp_path]


def language_cookie(language: str, live_server_url: str) -> dict:
    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server_url}


def client_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def sharing_session_with(page) -> Client:
    """A test client in the same session as the browser: the browser answers the first
    screening page (which starts a session), and the client takes its session cookie.
    (The cookie cannot go the other way: browsers refuse a __Host- cookie given over
    plain HTTP by anyone but the site.)"""
    from tests.e2e import resident

    resident.start_screening(page)
    resident.answer_screening_page(page, "now", resident.screening_answers("theft")["now"])
    name = settings.SESSION_COOKIE_NAME
    value = next(c["value"] for c in page.context.cookies() if c["name"] == name)
    client = Client()
    client.cookies[name] = value
    return client


def file_in(language: str) -> Report:
    before = set(Report.objects.values_list("pk", flat=True))
    wizard_data.file_report(client_in(language), "theft")
    return Report.objects.exclude(pk__in=before).get()


def pdf_first_page(report: Report, name: str) -> Path | None:
    if not Path(PDFTOPPM).exists():
        print(f"pdftoppm not found: no picture of the case copy ({name})")
        return None
    copy = CaseCopy.objects.filter(report=report, state="ready").order_by("-version").first()
    assert copy is not None, "the case copy was not made"
    with default_storage.open(copy.file.name, "rb") as handle:
        pdf = handle.read()

    def write(path: Path) -> None:
        stem = path.with_suffix("")  # pdftoppm adds ".png" itself
        subprocess.run(  # noqa: S603
            [PDFTOPPM, "-png", "-r", "96", "-f", "1", "-l", "1", "-singlefile", "-", str(stem)],
            input=pdf,
            check=True,
        )

    return save(write, name)


def test_documentation_screenshots(new_page, live_server, current_catalogs):
    from tests.e2e.staff import sign_in

    pages = {
        who: new_page()
        for who in ("visitor", "at_items", "filed", "sent_to_911", "clerk", "officer")
    }
    # A resident at the items step of a theft report.
    at_items = sharing_session_with(pages["at_items"])
    wizard_data.start_report(at_items, "theft")
    wizard_data.answer_steps(at_items, "theft", until="items")
    # A resident who has just filed one (in English).
    wizard_data.file_report(sharing_session_with(pages["filed"]), "theft")
    # A resident sent to 911 by the first screening page.
    sent_to_911 = sharing_session_with(pages["sent_to_911"])
    sent_to_911.post("/screening/now/", dict.fromkeys(rules.NOW_KEYS, "no") | {"emergency": "yes"})
    sign_in(pages["clerk"], staff_member("clerk.casey", "Clerks", first_name="Casey"))
    sign_in(pages["officer"], staff_member("officer.olivia", "Officers"), next_url="/officer/")
    case_copies = {"en": Report.objects.get(), "es": file_in("es")}

    shots = {  # name: (whose browser, page)
        "home": ("visitor", "/"),
        "wizard-step": ("at_items", wizard_data.step_url(at_items, "theft", "items")),
        "911-notice": ("sent_to_911", "/screening/result/"),
        "confirmation": ("filed", "/report/confirmation/"),
        "clerk-dashboard": ("clerk", "/admin/dashboard/"),
        "officer-search": ("officer", "/officer/?q=Lopez"),
    }
    written: list[Path] = []
    for language in LANGUAGES:
        for page in pages.values():
            page.context.add_cookies([language_cookie(language, live_server.url)])
        for size, viewport in VIEWPORTS.items():
            for name, (who, path) in shots.items():
                page = pages[who]
                page.set_viewport_size(viewport)
                page.goto(path)
                assert page.url == live_server.url + path, f"{name}: ended on {page.url}"
                assert page.locator("html").get_attribute("lang") == language
                written.append(
                    save(
                        lambda target, p=page: p.screenshot(path=target, full_page=True),
                        f"{name}-{language}-{size}",
                    )
                )
        pdf = pdf_first_page(case_copies[language], f"case-copy-page-1-{language}")
        if pdf is not None:
            written.append(pdf)

    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG"), path
    print("\n".join(str(p) for p in written))
