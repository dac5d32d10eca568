"""The report as a clerk reads it (reports.review.reading): for every type, every answer
under its question in words, nothing stored shown as a code, nothing empty shown."""

from __future__ import annotations

import pytest
from django.test import Client

from reports.models import Report
from reports.registry import REPORT_TYPES
from reports.review import reading
from tests.reports.wizard_data import file_report

pytestmark = pytest.mark.django_db

# Stored values that must never reach a clerk as they are stored.
CODES = {"yes", "no", "unsure", "myself", "street", "bicycle", "eligible"}


def filed(report_type: str) -> Report:
    response = file_report(Client(), report_type)
    assert response.url == "/report/confirmation/"
    return Report.objects.get()


@pytest.mark.parametrize("report_type", list(REPORT_TYPES))
def test_every_answer_of_every_type_reads_as_words(report_type):
    sections = reading.report_sections(filed(report_type))

    for section in sections:
        assert section, f"{section.title} is empty but shown"
        rows = section.rows + [row for entry in section.entries for row in entry]
        labels = [label for label, _value in section.rows]
        assert len(labels) == len(set(labels)), f"{section.title}: a label is used twice"
        for label, value in rows:
            assert value.strip(), f"{section.title}: {label} shown empty"
            assert value not in CODES, f"{section.title}: {label} shows the code {value!r}"
            assert "{" not in value and "%(" not in label, (label, value)


@pytest.mark.parametrize("report_type", list(REPORT_TYPES))
def test_the_screening_answers_are_the_questions_the_resident_answered(report_type):
    sections = {str(s.title): s for s in reading.report_sections(filed(report_type))}

    answers = dict(sections["Screening answers"].rows)
    assert answers["Is the crime happening right now?"] == "No"
    assert all(value in ("Yes", "No", "Not sure") for value in answers.values())


def test_sections_with_nothing_in_them_are_left_out():
    titles = {str(s.title) for s in reading.report_sections(filed("theft"))}

    assert {"Report", "Person reporting", "When and where", "What happened", "Items"} <= titles
    assert not titles & {"Vehicles", "Court orders", "Accounts misused", "Children"}


def test_the_clerk_sees_which_policy_the_report_was_screened_under():
    rows = dict(reading.report_sections(filed("theft"))[0].rows)

    assert rows["Screened under"] == "the default policy (the source document's rules)"
