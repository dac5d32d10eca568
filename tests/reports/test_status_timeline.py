"""The resident's status page after a lookup: a dated timeline of what happened to the
report, in the clerk's public words only, and the expected review time while waiting."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from reports.enums import ReportStatus
from reports.filing import services
from reports.models import RejectionReason, StatusChange, Supplement
from reports.review import workflow
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

QUESTION = "What colour was the bike, and where exactly was it locked?"
ANSWER = "It was a red Trek, locked to the rack by the library door."
REVIEW_TEXT = "A records clerk reviews reports within about {days} business {unit}."

# A different documentation address for each browser: the lookup's rate limit counts
# per address, in a cache other test runs may share.
_ADDRESSES = (f"198.51.100.{n}" for n in itertools.cycle(range(1, 255)))


# --- Helpers ----------------------------------------------------------------------------


def staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, f"{username}@police.example", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def clerk():
    return staff_in("Clerks", "clerk.jones")


@pytest.fixture
def start():
    """When the report was filed: ten days ago, at a quarter past nine."""
    day = timezone.localdate() - dt.timedelta(days=10)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 15)))


@pytest.fixture
def report(start):
    return ReportFactory(submitted_at=start, reporter_email="ana.lopez@example.org")


def step(report, actor, to_status: str, at: dt.datetime, **extras) -> None:
    """A workflow step, dated `at` (so that every entry on the page has its own date)."""
    workflow.report_transition(report=report, actor=actor, to_status=to_status, **extras)
    latest = StatusChange.objects.filter(report=report).latest("id")
    StatusChange.objects.filter(pk=latest.pk).update(at=at)


def shown_date(at: dt.datetime) -> str:
    with translation.override("en"):
        return formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")


def status_page(report) -> str:
    """The status page, reached the way a resident does: tracking number and email."""
    resident = Client(REMOTE_ADDR=next(_ADDRESSES))
    lookup = resident.post(
        reverse("reports:status"),
        {"tracking_number": report.tracking_number, "email": report.reporter_email.upper()},
    )
    assert lookup.status_code == 302, lookup.content.decode()[:2000]
    assert lookup.url == reverse("reports:status_detail")
    page = resident.get(lookup.url)
    assert page.status_code == 200
    return page.content.decode()


def timeline(content: str) -> list[dict[str, str]]:
    """The entries of the page's timeline: heading, date, and the words under them."""
    entries = []
    for item in re.findall(
        r'<li class="usa-process-list__item">(.*?)</li>', content, flags=re.DOTALL
    ):
        heading = re.search(r"<h3[^>]*>(.*?)</h3>", item, flags=re.DOTALL).group(1)
        date = re.search(r'<p class="margin-top-05 text-base">(.*?)</p>', item).group(1)
        rest = item.split("</p>", 1)[1]
        words = re.sub(r"<[^>]+>", " ", rest)
        entries.append(
            {
                "heading": html.unescape(heading.strip()),
                "date": html.unescape(date.strip()),
                "words": " ".join(html.unescape(words).split()),
            }
        )
    return entries


def headings(content: str) -> list[str]:
    return [entry["heading"] for entry in timeline(content)]


def review_text(days: int) -> str:
    return REVIEW_TEXT.format(days=days, unit="day" if days == 1 else "days")


# --- Waiting for a clerk ----------------------------------------------------------------


def test_a_new_report_is_received_with_its_date_and_the_expected_review_time(report, start):
    content = status_page(report)

    assert timeline(content) == [{"heading": "Received", "date": shown_date(start), "words": ""}]
    assert review_text(2) in content
    assert 'id="report-status">Received<' in content


def test_a_report_in_review_shows_both_steps_and_still_the_review_time(report, start, clerk):
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))

    content = status_page(report)

    assert [(e["heading"], e["date"]) for e in timeline(content)] == [
        ("Received", shown_date(start)),
        ("In review", shown_date(start + dt.timedelta(days=1))),
    ]
    assert review_text(2) in content


@pytest.mark.parametrize("days", [1, 5])
def test_the_expected_review_time_comes_from_the_settings(report, settings, days):
    settings.REVIEW_TARGET_DAYS = days

    content = status_page(report)

    assert review_text(days) in content


def test_no_review_time_once_the_report_is_decided(report, start, clerk):
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    step(report, clerk, ReportStatus.APPROVED, start + dt.timedelta(days=2))

    content = status_page(report)

    assert "business day" not in content


# --- A question and its answer ----------------------------------------------------------


def test_a_request_for_information_shows_the_clerks_question(report, start, clerk):
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    step(
        report,
        clerk,
        ReportStatus.NEEDS_INFO,
        start + dt.timedelta(days=2),
        message=QUESTION,
        note="INTERNAL: check the pawn shop database first.",
    )

    content = status_page(report)

    last = timeline(content)[-1]
    assert last == {
        "heading": "Information requested",
        "date": shown_date(start + dt.timedelta(days=2)),
        "words": QUESTION,
    }
    assert "Answer the question" in content
    assert "pawn shop" not in content
    assert "business day" not in content


def test_the_residents_answer_is_dated_and_sends_the_report_back_to_review(report, start, clerk):
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    step(report, clerk, ReportStatus.NEEDS_INFO, start + dt.timedelta(days=2), message=QUESTION)
    answered = start + dt.timedelta(days=3)

    services.supplement_add(report=report, narrative=ANSWER)
    Supplement.objects.filter(report=report).update(created_at=answered)
    StatusChange.objects.filter(report=report, from_status="needs_info").update(
        at=answered + dt.timedelta(seconds=1)
    )

    entries = timeline(status_page(report))
    assert [(e["heading"], e["date"]) for e in entries] == [
        ("Received", shown_date(start)),
        ("In review", shown_date(start + dt.timedelta(days=1))),
        ("Information requested", shown_date(start + dt.timedelta(days=2))),
        ("You added information", shown_date(answered)),
        ("In review", shown_date(answered + dt.timedelta(seconds=1))),
    ]
    assert entries[2]["words"] == QUESTION


def test_the_clerks_words_are_shown_as_text_never_as_markup(report, start, clerk):
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    step(
        report,
        clerk,
        ReportStatus.NEEDS_INFO,
        start + dt.timedelta(days=2),
        message='<script>alert("x")</script> Which door?',
    )

    content = status_page(report)

    assert '<script>alert("x")</script>' not in content
    assert timeline(content)[-1]["words"] == '<script>alert("x")</script> Which door?'


# --- Decisions --------------------------------------------------------------------------


def test_an_approved_report_shows_its_case_number_and_the_date(report, start, clerk):
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    step(report, clerk, ReportStatus.APPROVED, start + dt.timedelta(days=2))
    report.refresh_from_db()

    content = status_page(report)

    assert [(e["heading"], e["date"]) for e in timeline(content)] == [
        ("Received", shown_date(start)),
        ("In review", shown_date(start + dt.timedelta(days=1))),
        ("Approved", shown_date(start + dt.timedelta(days=2))),
    ]
    assert report.case_number
    assert f"<strong>{report.case_number}</strong>" in content


def test_a_rejection_shows_the_reasons_public_text_but_never_an_internal_note(report, start, clerk):
    reason = RejectionReason.objects.get(code="outside_city")
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    workflow.note_add(report=report, author=clerk, text="INTERNAL NOTE: called twice already.")
    step(
        report,
        clerk,
        ReportStatus.REJECTED,
        start + dt.timedelta(days=2),
        reason=reason,
        message="It happened in St. Paul.",
        note="INTERNAL: probably a neighbour dispute.",
    )

    content = status_page(report)

    last = timeline(content)[-1]
    assert (last["heading"], last["date"]) == (
        "Not accepted",
        shown_date(start + dt.timedelta(days=2)),
    )
    assert reason.public_text in last["words"]
    assert "It happened in St. Paul." in last["words"]
    text = html.unescape(content)
    assert reason.label not in text  # the clerks' label is not the resident's text
    assert "INTERNAL" not in text
    assert "neighbour dispute" not in text
    assert "called twice" not in text


def test_a_duplicate_is_marked_without_naming_the_other_report(report, start, clerk):
    original = ReportFactory(status=ReportStatus.APPROVED, reporter_last_name="Okafor")
    step(report, clerk, ReportStatus.IN_REVIEW, start + dt.timedelta(days=1))
    step(
        report,
        clerk,
        ReportStatus.DUPLICATE,
        start + dt.timedelta(days=2),
        duplicate_of=original,
    )

    content = status_page(report)

    assert headings(content) == ["Received", "In review", "Duplicate"]
    assert original.tracking_number not in content
    assert "Okafor" not in content


def test_only_the_looked_up_reports_timeline_is_shown(report, start, clerk):
    other = ReportFactory(status=ReportStatus.IN_REVIEW)
    step(other, clerk, ReportStatus.NEEDS_INFO, start, message="A question for someone else.")

    content = status_page(report)

    assert headings(content) == ["Received"]
    assert "someone else" not in content
