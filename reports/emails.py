"""Emails to residents. Each kind has templates emails/<kind>-subject.txt,
-body.txt and -body.html. Emails link to the status page and never carry the report's
contents: mailboxes are shared and forwarded."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reports import casefiles
from reports.models import Report

KINDS = ("confirmation", "status", "info_reminder", "follow_up")
DRAFT_KINDS = ("draft_saved", "draft_reminder")


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
    context = {
        "report": report,
        "type_label": report.type_info.label,
        "status_url": site_url(reverse("reports:status")),
        "copy_url": site_url(
            reverse("reports:signed_copy", args=[casefiles.signed_copy_token(report)])
        ),
        "AGENCY_NAME": settings.AGENCY_NAME,
        "info_request_days": settings.INFO_REQUEST_DAYS,
        "CITY_NAME": settings.CITY_NAME,
    }
    _send(kind=kind, context=context, language=report.language, to=report.reporter_email)


def send_draft(*, draft, kind: str, code: str = "") -> None:
    """The resume code and link for a saved draft, or the reminder before it expires."""
    from reports import drafts  # drafts import tasks, which import this module

    if kind not in DRAFT_KINDS:
        raise ValueError(f"unknown draft email kind {kind!r}")
    context = {
        "code": code,
        "expires_at": draft.expires_at,
        "resume_url": site_url(reverse("reports:resume")),
        "link_url": site_url(
            reverse("reports:resume_link", args=[drafts.resume_link_token(draft)])
        ),
        "AGENCY_NAME": settings.AGENCY_NAME,
    }
    language = (draft.screening or {}).get("language", "")
    _send(kind=kind, context=context, language=language, to=draft.email)
