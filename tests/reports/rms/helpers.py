"""A records system's view of the API: its key, and approved reports to pull."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from reports.models import CaseCopy
from reports.rms import keys

PDF = b"%PDF-1.7 a case copy"


def rms_client(name: str = "County RMS") -> tuple[Client, str, object]:
    """A client that sends a real key made the way the admin makes it."""
    api_key, key = keys.api_key_create(name=name)
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}"), key, api_key


def ready_copy(report) -> CaseCopy:
    name = default_storage.save(f"casecopies/{report.pk}/v{report.version}.pdf", ContentFile(PDF))
    return CaseCopy.objects.create(
        report=report,
        version=report.version,
        state="ready",
        file=name,
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        requested_at=timezone.now(),
        rendered_at=timezone.now(),
    )
