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

KINDS = ("confirmation", "status")


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send(*, report: Report, kind: str) -> None:
    """Send one email of `kind` about `report`, in the resident's language."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    with translation.override(report.language or settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "type_label": report.type_info.label,
            "status_url": site_url(reverse("reports:status")),
            "copy_url": site_url(
                reverse("reports:signed_copy", args=[casefiles.signed_copy_token(report)])
            ),
            "AGENCY_NAME": settings.AGENCY_NAME,
            "latest_change": report.status_changes.order_by("-at", "-id").first(),
            "CITY_NAME": settings.CITY_NAME,
        }
        subject = render_to_string(f"emails/{kind}-subject.txt", context).strip()
        text_body = render_to_string(f"emails/{kind}-body.txt", context)
        html_body = render_to_string(f"emails/{kind}-body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text_body,
        to=[report.reporter_email],
    )
    message.attach_alternative(html_body, "text/html")
    message.send()
