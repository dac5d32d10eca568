"""No resident is left without word: every email about a report is owed in an outbox
row written with the change it tells of. A worker sends it once; an email whose task
never ran (the broker was down) or whose sending failed is sent later by the sweeper."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.utils import timezone

from reports import tasks
from reports.enums import ReportStatus
from reports.models import ResidentEmail
from reports.notify import emails
from reports.review import workflow
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def owed_long_ago(email: ResidentEmail) -> None:
    ResidentEmail.objects.filter(pk=email.pk).update(
        queued_at=timezone.now() - emails.SWEEP_AFTER - dt.timedelta(seconds=1)
    )


@pytest.fixture
def owed(django_capture_on_commit_callbacks) -> ResidentEmail:
    """A confirmation email owed to a resident whose task never ran (the broker was down
    when the report was filed)."""
    report = ReportFactory(status=ReportStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=False):
        return emails.email_queue(report=report, kind="confirmation")


@pytest.fixture
def closed_port() -> int:
    """A local port with nothing listening: sending mail there fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_status_change_owes_the_resident_an_email_in_the_same_transaction(
    django_capture_on_commit_callbacks,
):
    report = ReportFactory(status=ReportStatus.NEEDS_INFO)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        # The clock closes a request for information nobody answered.
        workflow.report_transition(report=report, actor=None, to_status=ReportStatus.CLOSED)

    owed = ResidentEmail.objects.get(report=report)
    assert (owed.kind, owed.sent_at) == ("status", None)
    assert len(callbacks) >= 1  # the task is queued only once the change is committed


def test_an_email_whose_task_never_ran_is_sent_by_the_sweeper(mailoutbox, owed):
    assert emails.emails_sweep() == 0  # not yet: its task may still be on its way
    owed_long_ago(owed)

    queued = tasks.sweep_resident_emails()

    assert queued == 1
    assert [m.to for m in mailoutbox] == [[owed.report.reporter_email]]
    assert owed.report.tracking_number in mailoutbox[0].subject
    assert ResidentEmail.objects.get(pk=owed.pk).sent_at is not None
    assert emails.emails_sweep() == 0


def test_an_email_delivered_twice_is_sent_once(mailoutbox, owed):

    first = emails.email_deliver(email_id=owed.pk)
    second = emails.email_deliver(email_id=owed.pk)

    assert (first, second) == (True, False)
    assert len(mailoutbox) == 1


def test_an_email_a_worker_is_sending_is_not_sent_by_another_meanwhile(mailoutbox, owed):
    taken = timezone.now() + emails.CLAIM_FOR
    ResidentEmail.objects.filter(pk=owed.pk).update(claimed_until=taken)
    owed_long_ago(owed)

    assert emails.email_deliver(email_id=owed.pk) is False
    assert emails.emails_sweep() == 0
    assert mailoutbox == []
    # The worker died without sending: once its claim lapses, the email goes out.
    ResidentEmail.objects.filter(pk=owed.pk).update(claimed_until=timezone.now())
    assert emails.emails_sweep() == 1
    assert len(mailoutbox) == 1


def test_the_sweeper_hands_an_email_to_a_worker_at_most_once_per_interval(
    owed, settings, closed_port
):
    owed_long_ago(owed)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port

    first = emails.emails_sweep()  # tasks run in-process here: each send fails at once
    tried = ResidentEmail.objects.get(pk=owed.pk)
    again = emails.emails_sweep()

    assert (first, again) == (1, 0)
    assert tried.sent_at is None and tried.queued_at > timezone.now() - emails.SWEEP_AFTER
    assert ResidentEmail.objects.get(pk=owed.pk).attempts == tried.attempts


def test_an_email_that_could_not_be_sent_stays_owed_and_goes_out_later(
    settings, closed_port, mailoutbox, owed
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port

    with pytest.raises(OSError):
        emails.email_deliver(email_id=owed.pk)

    failed = ResidentEmail.objects.get(pk=owed.pk)
    assert (failed.sent_at, failed.attempts) == (None, 1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owed_long_ago(owed)
    assert emails.emails_sweep() == 1
    assert len(mailoutbox) == 1


def test_the_sweeper_gives_up_on_an_email_after_its_last_attempt(mailoutbox, owed):
    ResidentEmail.objects.filter(pk=owed.pk).update(attempts=emails.MAX_ATTEMPTS)
    owed_long_ago(owed)

    assert emails.emails_sweep() == 0
    assert mailoutbox == []


def test_an_unknown_email_kind_is_refused():
    with pytest.raises(ValueError, match="unknown email kind"):
        emails.email_queue(report=ReportFactory(), kind="newsletter")


def test_the_sweeper_runs_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["sweep-resident-emails"]

    assert (schedule["task"], schedule["schedule"]) == ("reports.sweep_resident_emails", 60.0)
