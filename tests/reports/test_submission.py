"""Filing: one report per submission whatever is replayed, a fresh tracking number on a
clash, a bounded number of queries, and a confirmation page only for its own session."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import tracking
from reports.filing import services
from reports.models import Item, Report
from reports.registry import REPORT_TYPES
from tests.factories import ReportFactory
from tests.reports.wizard_data import (
    answer_steps,
    cleaned_answers,
    file_report,
    item_row,
    start_report,
    step_post,
    step_url,
    steps_of,
)

pytestmark = pytest.mark.django_db

CONFIRMATION = reverse("reports:confirmation")
SCREENING = {"outcome": "eligible", "answers": {"report_type": "theft"}}


def submit(answers, *, key=None, report_type="theft"):
    return services.report_submit(
        report_type=report_type,
        submission_key=key or uuid.uuid4(),
        language="en",
        screening=SCREENING,
        answers=answers,
    )


def numbers(*values: str):
    """A stand-in for tracking.generate that hands out `values` in order."""
    queue = list(values)
    return lambda: queue.pop(0)


# --- Idempotent final POST ----------------------------------------------------------


def test_replayed_declaration_files_no_second_report(client):
    file_report(client, "theft")

    replay = client.post(
        step_url(client, "theft", "declaration"), step_post("theft", "declaration")
    )

    assert replay.status_code == 302
    assert replay.url == CONFIRMATION
    assert Report.objects.count() == 1


def test_replayed_declaration_still_shows_the_first_reports_confirmation(client):
    file_report(client, "theft")
    number = Report.objects.get().tracking_number

    replay = client.post(
        step_url(client, "theft", "declaration"), step_post("theft", "declaration"), follow=True
    )

    assert number in replay.content.decode()


def test_replaying_an_earlier_step_after_filing_files_nothing_more(client):
    file_report(client, "theft")

    response = client.post(step_url(client, "theft", "review"), step_post("theft", "review"))

    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_two_residents_get_two_reports_with_different_tracking_numbers(client):
    other = Client()

    file_report(client, "theft")
    file_report(other, "theft")

    numbers_filed = set(Report.objects.values_list("tracking_number", flat=True))
    assert len(numbers_filed) == 2
    assert all(tracking.is_valid(number) for number in numbers_filed)


def test_each_client_sees_only_its_own_tracking_number(client):
    other = Client()
    file_report(client, "theft")
    first = Report.objects.get()
    file_report(other, "lost_property")
    second = Report.objects.exclude(pk=first.pk).get()

    mine = client.get(CONFIRMATION).content.decode()
    theirs = other.get(CONFIRMATION).content.decode()

    assert first.tracking_number in mine and second.tracking_number not in mine
    assert second.tracking_number in theirs and first.tracking_number not in theirs


# --- report_submit: tracking numbers and the submission key --------------------------


def test_tracking_number_clash_is_retried_with_a_fresh_number(monkeypatch):
    taken = ReportFactory().tracking_number
    fresh = tracking.generate()
    monkeypatch.setattr(tracking, "generate", numbers(taken, fresh))

    report = submit(cleaned_answers("theft"))

    assert report.tracking_number == fresh
    assert Report.objects.count() == 2
    assert Item.objects.filter(report=report).count() == 1


def test_clash_on_every_attempt_files_nothing_and_says_so(monkeypatch):
    taken = ReportFactory().tracking_number
    monkeypatch.setattr(tracking, "generate", lambda: taken)

    with pytest.raises(services.SubmissionError):
        submit(cleaned_answers("theft"))

    assert Report.objects.count() == 1
    assert not Item.objects.exists()


def test_same_submission_key_twice_returns_the_same_report():
    key = uuid.uuid4()
    answers = cleaned_answers("theft")

    first = submit(answers, key=key)
    second = submit(answers, key=key)

    assert second.pk == first.pk
    assert second.tracking_number == first.tracking_number
    assert Report.objects.count() == 1
    assert Item.objects.count() == 1


def test_different_submission_keys_file_different_reports():
    answers = cleaned_answers("theft")

    first = submit(answers)
    second = submit(answers)

    assert first.pk != second.pk
    assert first.tracking_number != second.tracking_number


# --- Queries ---------------------------------------------------------------------------


def _declaration_queries(client, items: int) -> int:
    start_report(client, "theft")
    answer_steps(client, "theft", overrides={"items": [item_row(n) for n in range(items)]})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            step_url(client, "theft", "declaration"), step_post("theft", "declaration")
        )
    assert response.url == CONFIRMATION
    return len(queries)


def test_filing_25_items_takes_as_many_queries_as_filing_1(client):
    one = _declaration_queries(client, 1)
    twenty_five = _declaration_queries(Client(), 25)

    assert Item.objects.count() == 26
    assert twenty_five == one


@pytest.mark.parametrize("report_type", list(REPORT_TYPES))
def test_every_wizard_step_takes_at_most_5_queries(
    client, django_assert_max_num_queries, report_type
):
    start_report(client, report_type)

    for step in steps_of(report_type):
        url = step_url(client, report_type, step)
        with django_assert_max_num_queries(5):
            page = client.get(url)
        assert page.status_code == 200, step
        if step == "declaration":
            break
        with django_assert_max_num_queries(5):
            response = client.post(url, step_post(report_type, step))
        assert response.status_code == 302, step


# --- The confirmation page belongs to its session ----------------------------------------


def test_confirmation_page_in_another_browser_goes_home(client):
    file_report(client, "theft")
    stranger = Client()

    response = stranger.get(CONFIRMATION)

    assert response.status_code == 302
    assert response.url == reverse("screening:home")


def test_confirmation_page_without_a_report_goes_home(client):
    response = client.get(CONFIRMATION)

    assert response.url == reverse("screening:home")


def test_after_filing_the_wizard_starts_over_from_the_screening(client):
    file_report(client, "theft")

    filed = client.get(step_url(client, "theft", "about_you"))
    another = client.get(reverse("reports:start", args=["theft"]))

    # The filed report's pages now show its confirmation; a new one needs the questions.
    assert filed.url == reverse("reports:confirmation")
    assert another.url == reverse("screening:start")
