"""Emails to residents. Each kind has templates emails/<kind>-subject.txt,
-body.txt and -body.html. Emails link to the status page and never carry the report's
contents: mailboxes are shared and forwarded.

Emails about a report go through an outbox (ResidentEmail rows): email_queue() writes
the row in the transaction of the change it tells of, a worker sends it once
(email_deliver), and the sweeper queues again any the broker never took (emails_sweep).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from reports import jobs
from reports.copies import casefiles
from reports.models import Report, ResidentEmail
from screening.agency import agency_words

logger = logging.getLogger(__name__)

KINDS = ("confirmation", "status", "info_reminder", "follow_up")
DRAFT_KINDS = ("draft_saved", "draft_reminder")
# An email not sent this long after it was owed is queued again by the sweeper.
SWEEP_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 10
# Longer than the sending task's hard time limit (tasks.deliver_resident_email).
CLAIM_FOR = timedelta(seconds=90)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, kind: str, context: dict, language: str, to: str) -> None:
    """Render emails/<kind>-subject.txt, -body.txt and -body.html in `language`; send."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{kind}-subject.txt", context).strip()
        text_body = render_to_string(f"emails/{kind}-body.txt", context)
        html_body = render_to_string(f"emails/{kind}-body.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text_body, to=[to])
    message.attach_alternative(html_body, "text/html")
    message.send()


def send(*, report: Report, kind: str) -> None:
    """Send one email of `kind` about `report`, in the resident's language."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    if not report.reporter_email:
        # email_queue() owes none; an older outbox row for such a report has nowhere to go.
        logger.warning("report %s has no email address: %s email not sent", report.pk, kind)
        return
    context = {
        "report": report,
        "type_label": report.type_info.label,
        "status_url": site_url(reverse("reports:status")),
        "copy_url": site_url(
            reverse("reports:signed_copy", args=[casefiles.signed_copy_token(report)])
        ),
        **agency_words(language=report.language),
        "info_request_days": settings.INFO_REQUEST_DAYS,
        "CITY_NAME": settings.CITY_NAME,
    }
    _send(kind=kind, context=context, language=report.language, to=report.reporter_email)


def email_queue(*, report: Report, kind: str) -> ResidentEmail | None:
    """Owe the resident an email of `kind` about `report`. Call it inside the
    transaction of the change the email tells of. Side effects: a ResidentEmail row;
    after commit, the task that sends it. A resident who gave no email address (the
    agency's policy allows it) is owed none: returns None."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    if not report.reporter_email:
        return None
    email = ResidentEmail.objects.create(report=report, kind=kind, queued_at=timezone.now())
    jobs.enqueue_after_commit(jobs.DELIVER_RESIDENT_EMAIL, email_id=email.pk)
    return email


def email_deliver(*, email_id: int) -> bool:
    """Send one owed email unless it was sent already. Returns whether it was sent now.

    The worker first claims the email for CLAIM_FOR with a conditional UPDATE: the same
    email handed to two workers (a redelivery, the sweeper) is sent by one of them. A
    failed send frees it for the task's retries and the sweeper, up to MAX_ATTEMPTS."""
    now = timezone.now()
    claimed = (
        ResidentEmail.objects.filter(pk=email_id, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email = ResidentEmail.objects.select_related("report").get(pk=email_id)
    try:
        send(report=email.report, kind=email.kind)
    except Exception:
        ResidentEmail.objects.filter(pk=email_id).update(claimed_until=None)
        if email.attempts >= MAX_ATTEMPTS:
            logger.error(
                "email %s (%s): not sent after %s attempts", email_id, email.kind, email.attempts
            )
        raise
    ResidentEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), claimed_until=None)
    return True


def emails_sweep() -> int:
    """Hand to a worker again every email owed for longer than SWEEP_AFTER (the broker
    was down when it was owed, or its task was lost), at most once per SWEEP_AFTER.
    Returns how many were queued."""
    now = timezone.now()
    owed = (
        ResidentEmail.objects.filter(
            sent_at__isnull=True, queued_at__lt=now - SWEEP_AFTER, attempts__lt=MAX_ATTEMPTS
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)[:500]
    )
    queued = 0
    for email_id in owed:
        ResidentEmail.objects.filter(pk=email_id).update(queued_at=now)
        try:
            # Owed long ago, committed: no on_commit.
            jobs.enqueue(jobs.DELIVER_RESIDENT_EMAIL, email_id=email_id)
        except OperationalError:
            logger.warning("email sweeper: broker unavailable; will try again", exc_info=True)
            break
        except Exception:
            # Tasks that run in-process (the embedded default) fail here: it stays owed.
            logger.warning("email %s: sending failed; will try again", email_id, exc_info=True)
        queued += 1
    return queued


def send_draft(*, draft, kind: str, link_token: str, code: str = "") -> None:
    """The resume code and link for a saved draft, or the reminder before it expires.
    `link_token` is the draft's signed resume token (reports.filing.drafts makes it)."""
    if kind not in DRAFT_KINDS:
        raise ValueError(f"unknown draft email kind {kind!r}")
    context = {
        "code": code,
        "expires_at": draft.expires_at,
        "resume_url": site_url(reverse("reports:resume")),
        "link_url": site_url(reverse("reports:resume_link", args=[link_token])),
    }
    language = (draft.screening or {}).get("language", "")
    context |= agency_words(language=language)
    _send(kind=kind, context=context, language=language, to=draft.email)
