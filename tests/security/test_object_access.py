"""Object-level access for residents (ASVS V4.2, IDOR): a report's status and
supplement pages open only after a lookup with its own tracking number and email; the
confirmation copy only in the session that filed it; a signed link only for its own
report. Every attempt uses another report's identifiers."""

from __future__ import annotations

import pytest
from django.core import signing
from django.urls import reverse

from reports.copies import casefiles
from reports.models import Supplement
from tests.security import (
    World,
    about,
    answer,
    body_of,
    browser,
    file_report,
    make_staff,
    redirect_path,
    signed_in,
    text_of,
)

pytestmark = pytest.mark.django_db


def file_two():
    ana, ben = browser(120), browser(121)
    report_a = file_report(ana, overrides={"about_you": about("Ana", "Lopez", "ana@example.org")})
    report_b = file_report(ben, overrides={"about_you": about("Ben", "Okafor", "ben@example.org")})
    return (ana, report_a), (ben, report_b)


@pytest.fixture
def two_reports():
    """Ana's and Ben's thefts, each filed in its own browser."""
    return file_two()


@pytest.fixture
def two_reports_with_copies(django_capture_on_commit_callbacks):
    """The same, with their case copies made."""
    with django_capture_on_commit_callbacks(execute=True):
        return file_two()


def look_up(client, tracking_number: str, email: str):
    return client.post(
        reverse("reports:status"), {"tracking_number": tracking_number, "email": email}
    )


def disposition(response) -> str:
    return response["Content-Disposition"]


# --- Status and supplements ---------------------------------------------------------------


def test_a_lookup_mixing_two_reports_opens_neither(two_reports):
    (_ana, report_a), (_ben, report_b) = two_reports
    mixed = {
        "A's number with B's email": (report_a.tracking_number, report_b.reporter_email),
        "B's number with A's email": (report_b.tracking_number, report_a.reporter_email),
    }

    for case, (number, email) in mixed.items():
        client = browser(122)
        response = look_up(client, number, email)
        detail = client.get(reverse("reports:status_detail"))
        add = client.get(reverse("reports:supplement"))

        assert response.status_code == 200, case
        assert "We could not find a report" in text_of(response), case
        assert redirect_path(detail) == reverse("reports:status"), case
        assert redirect_path(add) == reverse("reports:status"), case


def test_a_lookup_opens_that_report_only(two_reports):
    (_ana, report_a), (_ben, report_b) = two_reports
    client = browser(123)

    look_up(client, report_a.tracking_number, "  ANA@example.org ")
    page = text_of(client.get(reverse("reports:status_detail")))
    client.post(reverse("reports:supplement"), {"narrative": "The receipt is attached now."})

    assert report_a.tracking_number in page
    assert report_b.tracking_number not in page
    assert list(Supplement.objects.values_list("report_id", flat=True)) == [report_a.pk]


def test_the_filing_session_alone_does_not_open_the_status_page(two_reports):
    (ana, _report_a), _b = two_reports

    response = ana.get(reverse("reports:status_detail"))

    assert redirect_path(response) == reverse("reports:status")


def test_a_failed_lookup_for_another_report_keeps_the_first_one_only(two_reports):
    (_ana, report_a), (_ben, report_b) = two_reports
    client = browser(124)
    look_up(client, report_a.tracking_number, report_a.reporter_email)

    look_up(client, report_b.tracking_number, report_a.reporter_email)
    page = text_of(client.get(reverse("reports:status_detail")))

    assert report_a.tracking_number in page
    assert report_b.tracking_number not in page


# --- The confirmation copy -----------------------------------------------------------------


def test_the_confirmation_copy_is_the_filing_sessions_own(two_reports_with_copies):
    (ana, report_a), (ben, report_b) = two_reports_with_copies

    copy_a = ana.get(reverse("reports:confirmation_copy"))
    copy_b = ben.get(reverse("reports:confirmation_copy"))
    stranger = browser(125).get(reverse("reports:confirmation_copy"))

    assert copy_a.status_code == copy_b.status_code == 200
    assert report_a.tracking_number in disposition(copy_a)
    assert report_b.tracking_number in disposition(copy_b)
    assert body_of(copy_a).startswith(b"%PDF")
    assert body_of(copy_b).startswith(b"%PDF")
    assert answer(stranger) == "404"


def test_a_status_lookup_does_not_give_the_confirmation_copy(two_reports_with_copies):
    (_ana, report_a), _b = two_reports_with_copies
    client = browser(126)
    look_up(client, report_a.tracking_number, report_a.reporter_email)

    response = client.get(reverse("reports:confirmation_copy"))

    assert answer(response) == "404"


# --- Signed links --------------------------------------------------------------------------


def test_each_signed_link_gives_its_own_report_only(two_reports_with_copies):
    (_ana, report_a), (_ben, report_b) = two_reports_with_copies
    client = browser(127)

    link_a = client.get(
        reverse("reports:signed_copy", args=[casefiles.signed_copy_token(report_a)])
    )
    link_b = client.get(
        reverse("reports:signed_copy", args=[casefiles.signed_copy_token(report_b)])
    )

    assert report_a.tracking_number in disposition(link_a)
    assert report_b.tracking_number not in disposition(link_a)
    assert report_b.tracking_number in disposition(link_b)
    assert body_of(link_a) != body_of(link_b)


def forged_tokens(report_a, report_b) -> dict[str, str]:
    token_a = casefiles.signed_copy_token(report_a)
    token_b = casefiles.signed_copy_token(report_b)
    payload_b = token_b.split(":")[0]
    return {
        "B's payload under A's signature": ":".join([payload_b, *token_a.split(":")[1:]]),
        "B's id signed with another salt": signing.dumps(str(report_b.pk), salt="other"),
        "B's id unsigned": str(report_b.pk),
        "A's token, signature changed": token_a[:-2] + ("AA" if token_a[-2:] != "AA" else "BB"),
    }


def test_a_forged_link_gives_no_report(two_reports_with_copies):
    (_ana, report_a), (_ben, report_b) = two_reports_with_copies

    for forgery, token in forged_tokens(report_a, report_b).items():
        response = browser(128).get(reverse("reports:signed_copy", args=[token]))

        assert response.status_code == 404, forgery
        assert "Content-Disposition" not in response, forgery
        assert report_b.tracking_number not in response.content.decode(), forgery


# --- Staff: one report's attachment never through another report's URL ---------------------


def test_an_attachment_is_only_served_under_its_own_report(django_capture_on_commit_callbacks):
    world = World(django_capture_on_commit_callbacks, first_address=130)
    other = file_report(browser(137), photo=True)
    clerk = world.clients["clerk"]
    officer = signed_in(make_staff("officer", password=None), 138)
    foreign = other.attachments.get()

    via_admin = clerk.get(
        reverse("admin:reports_report_attachment", args=[world.report.pk, foreign.pk])
    )
    via_portal = officer.get(
        reverse("reports:officer_attachment", args=[world.report.pk, foreign.pk])
    )

    assert answer(via_admin) == "404"
    assert answer(via_portal) == "404"
