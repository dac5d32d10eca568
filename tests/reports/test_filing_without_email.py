"""An agency whose policy lets residents file without an email address ("email required"
off): the "About you" page takes none, the report is filed and found again with its
tracking number and phone number, a saved report resumes with its code and phone
number, no email is owed to anyone, and the clerk is told to call instead.

With the default policy (email required) every one of these pages is as it always was.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.enums import ReportStatus
from reports.models import Draft, Report, ResidentEmail
from reports.review import follow_ups, selectors
from reports.review.workflow import report_transition
from screening import policy_store
from tests.factories import ReportFactory
from tests.reports.test_clerk_admin import (
    change_url,
    messages_of,
    signed_in,
    staff_in,
    workflow_url,
)
from tests.reports.test_drafts import new_client, save_later, saved_code
from tests.reports.wizard_data import (
    STEP_DATA,
    answer_steps,
    error_summary,
    main_text,
    start_report,
    step_post,
    step_url,
)
from tests.reports.wizard_data import file_report as file_through_the_pages

pytestmark = pytest.mark.django_db

NO_EMAIL = {"about_you": {**STEP_DATA["about_you"], "email": ""}}
PHONE = "612-555-0123"  # the one the wizard's answers give on "About you"
STATUS = reverse("reports:status")
RESUME = reverse("reports:resume")


@pytest.fixture
def email_optional(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        policy_store.document_import({"agency": {"email_required": False}})


@pytest.fixture
def resident():
    return new_client()


@pytest.fixture
def clerk():
    return staff_in("Clerks", "clerk.jones")


@pytest.fixture
def clerk_client(clerk):
    return signed_in(clerk)


def file_without_email(client) -> Report:
    file_through_the_pages(client, "theft", overrides=NO_EMAIL)
    return Report.objects.get()


# --- the "About you" page ----------------------------------------------------------------


def test_with_email_required_about_you_refuses_a_blank_email(resident):
    start_report(resident, "theft")

    page = resident.post(
        step_url(resident, "theft", "about_you"),
        step_post("theft", "about_you", NO_EMAIL["about_you"]),
    )

    assert page.status_code == 200
    assert ("id_about_you-email", "Enter your email address.") in error_summary(page)


def test_with_email_optional_about_you_marks_the_email_optional_and_says_what_is_lost(
    resident, email_optional
):
    start_report(resident, "theft")

    page = resident.get(step_url(resident, "theft", "about_you"))

    text = main_text(page)
    assert "Email address (optional)" in text
    assert "Without one, you check on your report here with its tracking number" in text


def test_a_report_is_filed_without_an_email_and_owes_no_email(
    resident, email_optional, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        report = file_without_email(resident)

    assert report.reporter_email == ""
    assert report.reporter_phone == "+16125550123"
    assert not ResidentEmail.objects.exists()
    assert mailoutbox == []


def test_the_confirmation_says_no_email_is_sent_and_how_to_check_the_status(
    resident, email_optional
):
    file_without_email(resident)

    text = main_text(resident.get(reverse("reports:confirmation")))

    assert "You gave no email address" in text
    assert "with it and your phone number you can check the status" in text
    assert "We sent a confirmation" not in text
    assert "We email you at each change" not in text


def test_a_report_filed_with_an_email_under_the_same_policy_is_confirmed_by_email(
    resident, email_optional, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        file_through_the_pages(resident, "theft")

    assert len(mailoutbox) == 1
    assert "We sent a confirmation" in main_text(resident.get(reverse("reports:confirmation")))


# --- the status lookup -----------------------------------------------------------------------


def lookup(client, **fields):
    return client.post(STATUS, fields)


@pytest.mark.parametrize(
    "phone_typed", ["612-555-0123", "(612) 555 0123", "+1 612 555 0123", "6125550123"]
)
def test_a_report_without_email_is_found_by_tracking_number_and_phone(
    resident, email_optional, phone_typed
):
    report = file_without_email(resident)

    found = lookup(new_client(), tracking_number=report.tracking_number, phone=phone_typed)

    assert found.status_code == 302
    assert found.url == reverse("reports:status_detail")


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": "612-555-0199"},  # another number
        {"email": "ana.lopez@example.org"},  # an email the report never had
    ],
)
def test_a_wrong_phone_or_email_finds_nothing_and_says_so_generically(
    resident, email_optional, fields
):
    report = file_without_email(resident)

    page = lookup(new_client(), tracking_number=report.tracking_number, **fields)

    assert page.status_code == 200
    assert "We could not find a report with that tracking number and email address or " in (
        main_text(page)
    )


def test_neither_email_nor_phone_asks_for_one_of_them(email_optional):
    page = lookup(new_client(), tracking_number="ER-7K3M-9QXD-4")

    assert error_summary(page) == [
        ("id_email", "Enter the email address or the phone number you gave in the report.")
    ]


def test_the_lookup_says_where_the_number_is_for_a_resident_without_email(email_optional):
    text = main_text(new_client().get(STATUS))

    assert "It is on the page shown when you sent the report" in text
    assert "Or the phone number you gave in the report" in text


def test_an_unreadable_phone_is_named_as_such(email_optional):
    page = lookup(new_client(), tracking_number="ER-7K3M-9QXD-4", phone="call me")

    assert ("id_phone", "Enter a phone number, like 612-555-0123.") in error_summary(page)


def test_with_email_required_the_lookup_asks_for_the_email_alone(resident):
    report = ReportFactory()

    page = resident.get(STATUS)
    by_phone = lookup(
        new_client(), tracking_number=report.tracking_number, phone=report.reporter_phone
    )

    assert 'name="phone"' not in page.content.decode()
    assert ("id_email", "Enter your email address.") in error_summary(by_phone)


def test_a_report_with_an_email_is_still_found_by_its_email_when_email_is_optional(
    email_optional,
):
    report = ReportFactory()

    found = lookup(
        new_client(), tracking_number=report.tracking_number, email=report.reporter_email
    )

    assert found.status_code == 302


def test_after_the_agency_requires_email_again_a_report_without_one_is_still_found(
    resident, email_optional, django_capture_on_commit_callbacks
):
    report = file_without_email(resident)
    with django_capture_on_commit_callbacks(execute=True):
        policy_store.document_import({"agency": {"email_required": True}})

    page = new_client().get(STATUS)
    found = lookup(new_client(), tracking_number=report.tracking_number, phone=PHONE)

    assert 'name="phone"' in page.content.decode()
    assert found.status_code == 302


def test_a_tracking_number_tried_too_often_is_paused_from_any_address(email_optional, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "status_number": (3, 3600)}
    report = no_email_report()

    wrong = [
        lookup(new_client(), tracking_number=report.tracking_number, phone=f"612-555-01{n:02}")
        for n in range(3)
    ]
    right = lookup(new_client(), tracking_number=report.tracking_number, phone=PHONE)

    assert all("We could not find a report" in main_text(page) for page in wrong)
    assert right.status_code == 200
    assert "Too many tries were made with this tracking number" in main_text(right)


def test_neither_box_is_marked_optional_when_either_will_do(email_optional):
    text = main_text(new_client().get(STATUS))

    assert "(optional)" not in text


def test_the_status_page_of_a_report_without_email_says_to_check_it_there(resident, email_optional):
    report = file_without_email(resident)
    lookup(resident, tracking_number=report.tracking_number, phone=PHONE)

    text = main_text(resident.get(reverse("reports:status_detail")))

    assert "You gave no email address: check this page for changes" in text
    assert "We will email you" not in text


# --- save and finish later ----------------------------------------------------------------


def saved_without_email(client) -> str:
    start_report(client, "theft")
    answer_steps(client, "theft", until="when_where", overrides=NO_EMAIL)
    response = save_later(client, "theft", "when_where")
    assert response.url == reverse("reports:draft_saved")
    return saved_code(client)


def test_saving_without_an_email_shows_the_code_and_says_to_keep_it(
    resident, email_optional, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        start_report(resident, "theft")
        answer_steps(resident, "theft", until="when_where", overrides=NO_EMAIL)
        save_later(resident, "theft", "when_where")
    page = resident.get(reverse("reports:draft_saved"))

    text = main_text(page)
    assert re.search(r'id="resume-code">\s*\S+\s*<', page.content.decode())
    assert "we cannot send you the code: keep it safe" in text
    assert "the phone number you gave on the “About you” page" in text
    assert mailoutbox == []
    assert Draft.objects.get().email == ""


def test_a_draft_without_email_resumes_on_another_device_with_code_and_phone(
    resident, email_optional
):
    code = saved_without_email(resident)
    other = new_client()

    resumed = other.post(RESUME, {"code": code, "phone": "(612) 555-0123"})

    assert resumed.status_code == 302
    assert resumed.url == step_url(other, "theft", "when_where")
    assert other.get(resumed.url).status_code == 200


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": "612-555-0199"},
        {"email": "ana.lopez@example.org"},
    ],
)
def test_a_draft_without_email_does_not_resume_with_a_wrong_phone_or_an_email(
    resident, email_optional, fields
):
    code = saved_without_email(resident)

    page = new_client().post(RESUME, {"code": code, **fields})

    assert page.status_code == 200
    assert "We could not find a saved report with that code and email address or phone" in (
        main_text(page)
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": PHONE},  # the phone alone
        {"phone": PHONE, "email": "someone.else@example.org"},  # with a wrong email
    ],
)
def test_a_draft_with_an_email_does_not_resume_with_the_phone_instead(
    resident, email_optional, fields
):
    # The email is the key a resident who gave one was told to use: the phone number,
    # easier for someone else to know, does not replace it.
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")
    save_later(resident, "theft", "when_where")
    code = saved_code(resident)

    by_phone = new_client().post(RESUME, {"code": code, **fields})
    by_email = new_client().post(RESUME, {"code": code, "email": "Ana.Lopez@example.org"})

    assert by_phone.status_code == 200
    assert by_email.status_code == 302


@pytest.mark.parametrize(
    "fields",
    [
        {"phone": "+16125550123"},
        {"phone": "+16125550123", "email": "someone.else@example.org"},
    ],
)
def test_a_report_with_an_email_is_not_found_by_its_phone(email_optional, fields):
    report = ReportFactory(reporter_phone="+16125550123")

    page = lookup(new_client(), tracking_number=report.tracking_number, **fields)

    assert page.status_code == 200
    assert "We could not find a report" in main_text(page)


def test_an_email_cleared_on_about_you_is_sent_nothing(
    resident, email_optional, django_capture_on_commit_callbacks, mailoutbox
):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")  # with an email
    about_you = step_url(resident, "theft", "about_you")
    cleared = resident.post(about_you, step_post("theft", "about_you", NO_EMAIL["about_you"]))
    assert cleared.status_code == 302  # the page is saved without the address

    with django_capture_on_commit_callbacks(execute=True):
        save_later(resident, "theft", "when_where")
    text = main_text(resident.get(reverse("reports:draft_saved")))

    assert Draft.objects.get().email == ""
    assert mailoutbox == []
    assert "We also sent the code" not in text


def test_an_address_with_an_international_domain_resumes_without_error(email_optional):
    client = new_client()
    start_report(client, "theft")
    about = {**STEP_DATA["about_you"], "email": "ana@bücher.example"}
    answer_steps(client, "theft", until="when_where", overrides={"about_you": about})
    save_later(client, "theft", "when_where")
    code = saved_code(client)

    wrong = new_client().post(RESUME, {"code": code, "email": "ana@bücher.exampl"})
    right = new_client().post(RESUME, {"code": code, "email": "ana@bücher.example"})

    assert wrong.status_code == 200
    assert right.status_code == 302


def test_with_email_required_the_resume_page_asks_for_the_email_alone(resident):
    page = resident.get(RESUME)

    assert 'name="phone"' not in page.content.decode()
    assert "and your email address." in main_text(page)


# --- what staff see and what is owed -------------------------------------------------------


def no_email_report(**fields) -> Report:
    return ReportFactory(**{"reporter_email": "", "reporter_phone": "+16125550123", **fields})


def test_a_status_change_owes_no_email_to_a_resident_without_one(clerk):
    report = no_email_report()

    report_transition(report=report, actor=clerk, to_status=ReportStatus.IN_REVIEW)

    assert not ResidentEmail.objects.exists()


def test_the_clerk_is_told_to_call_a_resident_without_email(clerk_client):
    report = no_email_report()

    page = clerk_client.get(change_url(report))
    moved = clerk_client.post(workflow_url(report), {"to_status": "in_review"}, follow=True)

    text = page.content.decode()
    assert "No email address." in text
    assert "call them at (612) 555-0123" in text
    assert "None given: no emails are sent to them" in text
    assert (
        "warning",
        "No email was sent: the resident gave no email address. Call them at (612) 555-0123.",
    ) in messages_of(moved)


def test_the_clerk_sees_no_call_notice_for_a_resident_with_email(clerk_client):
    page = clerk_client.get(change_url(ReportFactory()))

    assert "No email address." not in page.content.decode()


def test_reports_without_email_are_not_duplicates_of_each_other():
    first = no_email_report(location="1 Main St")
    no_email_report(reporter_phone="+16125550199", location="99 Elm St")

    assert selectors.possible_duplicates(first) == []


def test_no_reminder_or_follow_up_is_owed_to_a_resident_without_email(clerk):
    asked = no_email_report()
    report_transition(report=asked, actor=clerk, to_status=ReportStatus.IN_REVIEW)
    report_transition(
        report=asked, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message="Which bike?"
    )
    approved = no_email_report(reporter_phone="+16125550199")
    report_transition(report=approved, actor=clerk, to_status=ReportStatus.IN_REVIEW)
    report_transition(report=approved, actor=clerk, to_status=ReportStatus.APPROVED)

    later = timezone.now() + dt.timedelta(days=10)  # past the reminder and follow-up days

    ran = follow_ups.follow_ups_run(now=later)

    assert ran == "0 reminders, 0 closed as no reply, 0 follow-ups"
    assert not ResidentEmail.objects.exists()


def test_a_question_to_a_resident_without_email_is_not_closed_by_the_clock(clerk):
    asked = no_email_report()
    report_transition(report=asked, actor=clerk, to_status=ReportStatus.IN_REVIEW)
    report_transition(
        report=asked, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message="Which bike?"
    )

    follow_ups.follow_ups_run(now=timezone.now() + dt.timedelta(days=60))

    asked.refresh_from_db()
    assert asked.status == ReportStatus.NEEDS_INFO


def test_claiming_reports_without_email_warns_the_clerk(clerk_client):
    reports = [no_email_report(), no_email_report(reporter_phone="+16125550199"), ReportFactory()]

    claimed = clerk_client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "claim_selected", "_selected_action": [str(r.pk) for r in reports]},
        follow=True,
    )

    assert (
        "warning",
        "2 of them have no email address: no email was sent. Call the residents from the "
        "reports' pages.",
    ) in messages_of(claimed)
