"""Nobody is left in silence: the follow-up clock (a reminder when a request for
information goes unanswered, closing it as "no reply" when the time is up, a follow-up
after approval), one status email per change, sent only after commit and never with the
narrative, and the rejection reasons the resident reads (the clerk's note never)."""

from __future__ import annotations

import datetime as dt
import html
import secrets

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from reports import tasks
from reports.enums import ReportStatus
from reports.filing import services
from reports.models import RejectionReason, Report, StatusChange
from reports.review import workflow
from reports.review.workflow import TransitionError
from tests.factories import AttachmentFactory, ItemFactory, ReportFactory, SupplementFactory
from tests.reports.wizard_data import main_text

pytestmark = pytest.mark.django_db

NARRATIVE = "Someone cut the lock and took my bike from the rack outside."
QUESTION = "What colour was the bike, and where exactly was it locked?"
ANSWER = "It was a red Trek, locked at the rack by the library door."
STATUS_URL = settings.SITE_URL + reverse("reports:status")
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


# --- Helpers ------------------------------------------------------------------------------


def new_client() -> Client:
    """A browser on its own address, so rate limits never mix with other tests or runs."""
    octets = [secrets.randbelow(256), secrets.randbelow(256), secrets.randbelow(254) + 1]
    return Client(REMOTE_ADDR="10.{}.{}.{}".format(*octets))


def staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, f"{username}@police.example", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def signed_in(user: User) -> Client:
    """A browser signed in as `user`, past the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = new_client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def clerk():
    return staff_in("Clerks", "clerk.jones")


@pytest.fixture
def supervisor():
    return staff_in("Supervisors", "supervisor.berg")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed (emails go out)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def report():
    return ReportFactory(
        status=ReportStatus.IN_REVIEW,
        narrative=NARRATIVE,
        reporter_email="ana.lopez@example.org",
    )


def kind_of(email) -> str:
    if email.subject.startswith("Reminder: we need more information"):
        return "info_reminder"
    if email.subject.startswith("About your police report"):
        return "follow_up"
    if email.subject.startswith("Your police report"):
        return "status"
    return "other"


def kinds(mailoutbox) -> list[str]:
    return [kind_of(email) for email in mailoutbox]


def bodies(email) -> list[str]:
    return [email.subject, email.body, email.alternatives[0][0]]


def run_jobs(committed) -> None:
    """The hourly job, as the scheduler runs it, at the frozen time."""
    with committed():
        tasks.drafts_and_follow_ups()


def ask(report: Report, clerk: User, committed, question: str = QUESTION) -> None:
    with committed():
        workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=question
        )


def status_page(report: Report) -> str:
    """The resident's status page, reached through the lookup form."""
    resident = new_client()
    response = resident.post(
        reverse("reports:status"),
        {"tracking_number": report.tracking_number, "email": report.reporter_email},
    )
    assert response.status_code == 302, main_text(response)
    return html.unescape(resident.get(reverse("reports:status_detail")).content.decode())


# --- A request for information: reminder, then closed as "no reply" -------------------------


def test_an_unanswered_request_gets_one_reminder_after_the_reminder_days(
    report, clerk, committed, mailoutbox
):
    reminder_at = dt.timedelta(days=settings.INFO_REMINDER_DAYS)
    sent = []
    with freeze_time(timezone.now()) as clock:
        ask(report, clerk, committed)
        mailoutbox.clear()
        for step in (reminder_at - HOUR, 2 * HOUR, HOUR, DAY):
            clock.tick(step)
            run_jobs(committed)
            sent.append(kinds(mailoutbox))

    assert sent == [[], ["info_reminder"], ["info_reminder"], ["info_reminder"]]
    reminder = mailoutbox[0]
    assert reminder.to == ["ana.lopez@example.org"]
    assert report.tracking_number in reminder.subject
    assert STATUS_URL in reminder.body
    assert f'href="{STATUS_URL}"' in reminder.alternatives[0][0]
    for text in bodies(reminder):
        assert NARRATIVE not in text
        assert "took my bike" not in text
    report.refresh_from_db()
    assert report.status == ReportStatus.NEEDS_INFO


def test_an_unanswered_request_is_closed_when_the_time_is_up_and_nothing_is_deleted(
    report, clerk, committed, mailoutbox
):
    ItemFactory(report=report)
    ItemFactory(report=report)
    SupplementFactory(report=report)
    AttachmentFactory(report=report)
    with freeze_time(timezone.now()) as clock:
        ask(report, clerk, committed)
        clock.tick(dt.timedelta(days=settings.INFO_REQUEST_DAYS) - HOUR)
        run_jobs(committed)
        still_waiting = Report.objects.get(pk=report.pk).status
        mailoutbox.clear()
        clock.tick(2 * HOUR)
        run_jobs(committed)
        run_jobs(committed)  # a second run closes nothing twice

    assert still_waiting == ReportStatus.NEEDS_INFO
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    closing = report.status_changes.order_by("-at", "-id").first()
    assert closing.actor is None
    assert (closing.from_status, closing.to_status) == (
        ReportStatus.NEEDS_INFO,
        ReportStatus.CLOSED,
    )
    assert report.status_changes.filter(to_status=ReportStatus.CLOSED).count() == 1
    # Nothing is deleted: the report and every part of it are still there.
    assert report.narrative == NARRATIVE
    assert report.items.count() == 2
    assert report.supplements.count() == 1
    assert report.attachments.count() == 1
    # The resident is told, once, how to go on.
    assert kinds(mailoutbox) == ["status"]
    email = mailoutbox[0]
    assert str(ReportStatus.CLOSED.label) in email.subject
    for text in (email.body, email.alternatives[0][0]):
        assert "311" in text
        assert "Nothing was deleted" in text
        assert report.tracking_number in text
        assert STATUS_URL in text
        assert NARRATIVE not in text


def test_the_status_page_of_a_report_closed_as_no_reply_says_so(report, clerk, committed):
    with freeze_time(timezone.now()) as clock:
        ask(report, clerk, committed)
        clock.tick(dt.timedelta(days=settings.INFO_REQUEST_DAYS) + HOUR)
        run_jobs(committed)

    page = status_page(report)

    assert 'id="report-status">Closed<' in page
    assert "Closed because we did not receive the information we asked for." in page
    assert QUESTION in page  # what was asked stays readable
    assert reverse("reports:supplement") not in page  # nothing more can be added


def test_an_answer_in_time_stops_the_clock(report, clerk, committed, mailoutbox):
    with freeze_time(timezone.now()) as clock:
        ask(report, clerk, committed)
        clock.tick(3 * DAY)
        with committed():
            services.supplement_add(report=report, narrative=ANSWER)
        mailoutbox.clear()
        clock.tick(dt.timedelta(days=settings.INFO_REQUEST_DAYS) * 2)
        run_jobs(committed)

    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    assert mailoutbox == []


def test_a_new_request_for_information_restarts_the_reminder_clock(
    report, clerk, committed, mailoutbox
):
    remind = dt.timedelta(days=settings.INFO_REMINDER_DAYS)
    close = dt.timedelta(days=settings.INFO_REQUEST_DAYS)
    timeline = []
    with freeze_time(timezone.now()) as clock:
        start = timezone.now()
        ask(report, clerk, committed)
        clock.move_to(start + remind + HOUR)
        run_jobs(committed)  # first reminder
        clock.move_to(start + remind + DAY)
        with committed():
            services.supplement_add(report=report, narrative=ANSWER)
        second_question = start + remind + 2 * DAY
        clock.move_to(second_question)
        ask(report, clerk, committed, "And the serial number?")
        mailoutbox.clear()
        for moment in (
            start + close + HOUR,  # the first request would be closed by now
            second_question + remind - HOUR,  # too early for the second reminder
            second_question + remind + HOUR,  # the second reminder
            second_question + close - HOUR,
            second_question + close + HOUR,  # closed, counted from the second request
        ):
            clock.move_to(moment)
            run_jobs(committed)
            timeline.append((Report.objects.get(pk=report.pk).status, kinds(mailoutbox)))
            mailoutbox.clear()

    assert timeline == [
        (ReportStatus.NEEDS_INFO, []),
        (ReportStatus.NEEDS_INFO, []),
        (ReportStatus.NEEDS_INFO, ["info_reminder"]),
        (ReportStatus.NEEDS_INFO, []),
        (ReportStatus.CLOSED, ["status"]),
    ]


# --- After approval: one follow-up ---------------------------------------------------------


def test_an_approved_report_gets_one_follow_up_after_the_follow_up_days(
    report, clerk, committed, mailoutbox
):
    follow_up_at = dt.timedelta(days=settings.FOLLOW_UP_DAYS)
    sent = []
    with freeze_time(timezone.now()) as clock:
        with committed():
            workflow.report_transition(report=report, actor=clerk, to_status=ReportStatus.APPROVED)
        mailoutbox.clear()
        for step in (follow_up_at - HOUR, 2 * HOUR, HOUR, 10 * DAY):
            clock.tick(step)
            run_jobs(committed)
            sent.append(kinds(mailoutbox))

    assert sent == [[], ["follow_up"], ["follow_up"], ["follow_up"]]
    report.refresh_from_db()
    email = mailoutbox[0]
    assert email.to == ["ana.lopez@example.org"]
    assert report.case_number in email.subject
    assert STATUS_URL in email.body
    assert f'href="{STATUS_URL}"' in email.alternatives[0][0]
    for text in bodies(email):
        assert NARRATIVE not in text


@pytest.mark.parametrize(
    ("to_status", "extras"),
    [
        (ReportStatus.REJECTED, {"reason_code": "outside_city"}),
        (ReportStatus.DUPLICATE, {"duplicate": True}),
        (ReportStatus.NEEDS_INFO, {"message": QUESTION}),
    ],
    ids=["rejected", "duplicate", "needs_info"],
)
def test_only_approved_reports_get_a_follow_up(
    report, clerk, committed, mailoutbox, to_status, extras
):
    kwargs = {"message": extras.get("message", "")}
    if "reason_code" in extras:
        kwargs["reason"] = RejectionReason.objects.get(code=extras["reason_code"])
    if extras.get("duplicate"):
        kwargs["duplicate_of"] = ReportFactory()
    with freeze_time(timezone.now()) as clock:
        with committed():
            workflow.report_transition(report=report, actor=clerk, to_status=to_status, **kwargs)
        mailoutbox.clear()
        clock.tick(dt.timedelta(days=settings.FOLLOW_UP_DAYS) + HOUR)
        run_jobs(committed)

    assert "follow_up" not in kinds(mailoutbox)
    report.refresh_from_db()
    assert report.follow_up_sent_at is None


# --- One status email per change, after commit, never the narrative -----------------------


def _claim(report, clerk, supervisor):
    workflow.report_transition(report=report, actor=clerk, to_status=ReportStatus.IN_REVIEW)


def _ask(report, clerk, supervisor):
    workflow.report_transition(
        report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=QUESTION
    )


def _answer(report, clerk, supervisor):
    services.supplement_add(report=Report.objects.get(pk=report.pk), narrative=ANSWER)


def _approve(report, clerk, supervisor):
    workflow.report_transition(report=report, actor=clerk, to_status=ReportStatus.APPROVED)


def _reject(report, clerk, supervisor):
    workflow.report_transition(
        report=report,
        actor=clerk,
        to_status=ReportStatus.REJECTED,
        reason=RejectionReason.objects.get(code="outside_city"),
        note="Internal: caller was unsure of the address.",
    )


def _reopen(report, clerk, supervisor):
    workflow.report_transition(report=report, actor=supervisor, to_status=ReportStatus.IN_REVIEW)


def _close_as_no_reply(report, clerk, supervisor):
    from reports.review.follow_ups import follow_ups_run

    follow_ups_run(now=timezone.now() + dt.timedelta(days=settings.INFO_REQUEST_DAYS, hours=1))


JOURNEYS = {
    "asked, answered, approved": [
        ("in_review", _claim),
        ("needs_info", _ask),
        ("in_review", _answer),
        ("approved", _approve),
    ],
    "rejected, reopened by a supervisor": [
        ("in_review", _claim),
        ("rejected", _reject),
        ("in_review", _reopen),
    ],
    "asked, closed as no reply": [
        ("in_review", _claim),
        ("needs_info", _ask),
        ("closed", _close_as_no_reply),
    ],
}


@pytest.mark.parametrize("journey", JOURNEYS.values(), ids=JOURNEYS.keys())
def test_every_status_change_emails_the_resident_once_with_a_link_and_never_the_narrative(
    clerk, supervisor, committed, mailoutbox, journey
):
    report = ReportFactory(narrative=NARRATIVE, reporter_email="ana.lopez@example.org")

    for expected_status, step in journey:
        mailoutbox.clear()
        with committed():
            step(report, clerk, supervisor)

        report.refresh_from_db()
        assert report.status == expected_status
        assert kinds(mailoutbox) == ["status"], (expected_status, kinds(mailoutbox))
        email = mailoutbox[0]
        assert email.to == ["ana.lopez@example.org"]
        assert str(ReportStatus(expected_status).label) in email.subject
        assert STATUS_URL in email.body
        assert f'href="{STATUS_URL}"' in email.alternatives[0][0]
        for text in bodies(email):
            assert NARRATIVE not in text
            assert "took my bike" not in text
            assert ANSWER not in text
            assert "Internal:" not in text


def test_the_request_for_information_email_gives_the_deadline_from_the_settings(
    report, clerk, committed, mailoutbox, settings
):
    settings.INFO_REQUEST_DAYS = 10

    ask(report, clerk, committed)

    email = mailoutbox[0]
    for text in (email.body, email.alternatives[0][0]):
        assert "within 10 days" in text, text


def test_status_emails_leave_only_once_the_transaction_commits(
    report, clerk, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=QUESTION
        )
        assert mailoutbox == []
    before_commit = list(mailoutbox)
    for callback in callbacks:
        callback()

    assert before_commit == []
    assert kinds(mailoutbox) == ["status"]


def test_reminders_leave_only_once_the_transaction_commits(
    report, clerk, committed, mailoutbox, django_capture_on_commit_callbacks
):
    with freeze_time(timezone.now()) as clock:
        ask(report, clerk, committed)
        mailoutbox.clear()
        clock.tick(dt.timedelta(days=settings.INFO_REMINDER_DAYS) + HOUR)
        with django_capture_on_commit_callbacks() as callbacks:
            tasks.drafts_and_follow_ups()
        before_commit = list(mailoutbox)
        for callback in callbacks:
            callback()

    assert before_commit == []
    assert kinds(mailoutbox) == ["info_reminder"]


def test_no_email_when_the_transaction_rolls_back(report, clerk, committed, mailoutbox):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message=QUESTION
        )
        raise RuntimeError("something later in the same transaction failed")

    assert mailoutbox == []
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_REVIEW
    assert not StatusChange.objects.filter(report=report).exists()


REFUSED = {
    "system closes a report nobody asked about": (
        ReportStatus.IN_REVIEW,
        lambda report, clerk: workflow.report_transition(
            report=report, actor=None, to_status=ReportStatus.CLOSED
        ),
        TransitionError,
    ),
    "clerk asks without a question": (
        ReportStatus.IN_REVIEW,
        lambda report, clerk: workflow.report_transition(
            report=report, actor=clerk, to_status=ReportStatus.NEEDS_INFO, message="  "
        ),
        TransitionError,
    ),
    "resident adds to a closed report": (
        ReportStatus.CLOSED,
        lambda report, clerk: services.supplement_add(report=report, narrative=ANSWER),
        ValueError,
    ),
}


@pytest.mark.parametrize(("status", "action", "error"), REFUSED.values(), ids=REFUSED.keys())
def test_no_email_when_a_step_is_refused(clerk, committed, mailoutbox, status, action, error):
    report = ReportFactory(status=status)

    with committed(), pytest.raises(error):
        action(report, clerk)

    assert mailoutbox == []
    report.refresh_from_db()
    assert report.status == status


# --- Rejection reasons ---------------------------------------------------------------------


def test_the_status_page_shows_the_public_reason_and_never_the_clerks_note(report, clerk):
    reason = RejectionReason.objects.get(code="outside_city")
    note = "Internal only: the caller was unsure of the address."

    workflow.report_transition(
        report=report,
        actor=clerk,
        to_status=ReportStatus.REJECTED,
        reason=reason,
        message="Please contact the Hennepin County Sheriff.",
        note=note,
    )
    page = status_page(report)

    assert reason.public_text in page
    assert "Please contact the Hennepin County Sheriff." in page
    assert note not in page
    assert "Internal only" not in page


def test_the_status_email_of_a_rejection_never_carries_the_clerks_note(
    report, clerk, committed, mailoutbox
):
    note = "Internal only: the caller was unsure of the address."

    with committed():
        workflow.report_transition(
            report=report,
            actor=clerk,
            to_status=ReportStatus.REJECTED,
            reason=RejectionReason.objects.get(code="outside_city"),
            note=note,
        )

    for text in bodies(mailoutbox[0]):
        assert "Internal only" not in text


REASON_FORM = {
    "code": "no_reply_to_letter",
    "label": "No reply to our letter",
    "public_text": "We wrote to you and did not hear back. Call 311 to go on.",
    "active": "on",
    "position": "9",
}
REASON_RIGHTS = {
    # role: (may add, may edit, may delete)
    "Supervisors": (True, True, False),
    "Clerks": (False, False, False),
}


@pytest.mark.parametrize(("group", "rights"), REASON_RIGHTS.items())
def test_rejection_reasons_are_added_and_edited_by_supervisors_and_never_deleted(group, rights):
    may_add, may_edit, may_delete = rights
    client = signed_in(staff_in(group, f"{group.lower()}.member"))
    existing = RejectionReason.objects.get(code="outside_city")
    changed_text = existing.public_text + " Their phone number is on the county website."

    added = client.post(reverse("admin:reports_rejectionreason_add"), REASON_FORM)
    edited = client.post(
        reverse("admin:reports_rejectionreason_change", args=[existing.pk]),
        {
            "code": existing.code,
            "label": existing.label,
            "public_text": changed_text,
            "active": "on",
            "position": str(existing.position),
        },
    )
    delete_page = client.get(reverse("admin:reports_rejectionreason_delete", args=[existing.pk]))
    client.post(
        reverse("admin:reports_rejectionreason_delete", args=[existing.pk]), {"post": "yes"}
    )
    client.post(
        reverse("admin:reports_rejectionreason_changelist"),
        {"action": "delete_selected", "_selected_action": [existing.pk], "post": "yes"},
    )
    listing = client.get(reverse("admin:reports_rejectionreason_changelist"))

    assert RejectionReason.objects.filter(code=REASON_FORM["code"]).exists() == may_add
    assert (added.status_code == 302) == may_add
    existing.refresh_from_db()
    assert (existing.public_text == changed_text) == may_edit
    assert (edited.status_code == 302) == may_edit
    assert RejectionReason.objects.filter(pk=existing.pk).exists() != may_delete
    assert delete_page.status_code == 403
    assert listing.status_code == 200
    assert 'value="delete_selected"' not in listing.content.decode()
