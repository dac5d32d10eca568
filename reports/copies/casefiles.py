"""PDF case copies: requesting them (an outbox row in the caller's transaction),
rendering them (in a Celery worker), verifying them, and re-queuing lost ones.

A copy shows one version of a report. Every change a copy must show bumps
Report.version and requests a copy of the new version; a render stores its file only
if its row is not ready yet, under a row lock: exactly one file per (report, version),
however often a task is delivered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from reports import jobs, rules
from reports.copies import pdf
from reports.models import CaseCopy, CaseCopyState, Report
from reports.questions.steps import STEPS
from reports.questions.summary import rows_for
from reports.tracking import ALPHABET
from screening.questions import answer_rows

logger = logging.getLogger(__name__)

# A pending copy older than this is re-queued by the sweeper (the broker may have been
# down when it was first queued, or a worker died holding it).
SWEEP_AFTER = timedelta(minutes=2)
MAX_ATTEMPTS = 10


# --- Verification codes ----------------------------------------------------------------


def verification_code(tracking_number: str, version: int, *, key: str | None = None) -> str:
    """A short code printed on the copy: an HMAC of the tracking number and version, so
    that only this server can make one, in 10 typeable characters (50 bits)."""
    secret = (key or settings.SECRET_KEY).encode()
    digest = hmac.new(secret, f"{tracking_number}:{version}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:7], "big") >> 6  # 50 bits
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(10)))
    return f"{chars[:5]}-{chars[5:]}"


def normalize_verification_code(raw: str) -> str | None:
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != 10 or any(ch not in ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:5]}-{cleaned[5:]}"


def copy_for_verification(raw_code: str) -> CaseCopy | None:
    """The copy a code was printed on, or None for a malformed, unknown or forged code."""
    code = normalize_verification_code(raw_code)
    if code is None:
        return None
    copy = (
        CaseCopy.objects.select_related("report")
        .filter(verification_code=code, state=CaseCopyState.READY)
        .first()
    )
    # The stored code is only an index: the HMAC decides whether it is genuine (made with
    # the current key, or one retired into SECRET_KEY_FALLBACKS).
    if copy is None:
        return None
    for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        if hmac.compare_digest(
            verification_code(copy.report.tracking_number, copy.version, key=key), code
        ):
            return copy
    return None


# --- Residents' signed links -------------------------------------------------------------

_LINK_SALT = "reports.casefile-link"
LINK_MAX_AGE = timedelta(days=7)


def signed_copy_token(report: Report) -> str:
    """A token for the confirmation email's download link (valid LINK_MAX_AGE)."""
    return signing.dumps(str(report.pk), salt=_LINK_SALT, compress=True)


def report_for_copy_token(token: str) -> Report | None:
    """The report a link was made for; None when forged or expired."""
    try:
        report_id = signing.loads(token, salt=_LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    try:
        return Report.objects.filter(pk=report_id).first()
    except (ValueError, TypeError):
        return None


def current_copy(report: Report) -> CaseCopy | None:
    """The newest copy of the report that is ready to download."""
    return report.copies.filter(state="ready").order_by("-version").first()


# --- Requests (outbox) -------------------------------------------------------------------


def casefile_request(*, report: Report) -> CaseCopy:
    """Ask for a copy of the report's current version. Call inside the transaction that
    changed the report. Side effects: a pending CaseCopy row (if none exists for this
    version); after commit, the render task is queued."""
    copy, _created = CaseCopy.objects.get_or_create(
        report=report, version=report.version, defaults={"requested_at": timezone.now()}
    )
    _show_on_report(report.pk, report.version, copy.state)
    if copy.state != CaseCopyState.READY:
        jobs.enqueue_after_commit(
            jobs.RENDER_CASE_COPY, report_id=str(report.pk), version=report.version
        )
    return copy


def _show_on_report(report_id, version: int, state: str) -> None:
    """Keep Report.copy_state (the queue's filter) equal to the state of the report's
    newest copy. Only the copy of the report's current version is the newest: a late
    render of an older version changes nothing here."""
    Report.objects.filter(pk=report_id, version=version).exclude(copy_state=state).update(
        copy_state=state
    )


def casefile_sweep() -> int:
    """Re-queue every copy that should exist but does not: pending or failed rows older
    than SWEEP_AFTER, and reports whose newest copy is older than the report. Returns
    how many were queued."""
    cutoff = timezone.now() - SWEEP_AFTER
    queued = 0
    stale = CaseCopy.objects.filter(
        state__in=(CaseCopyState.PENDING, CaseCopyState.FAILED),
        requested_at__lt=cutoff,
        attempts__lt=MAX_ATTEMPTS,
    ).values_list("report_id", "version")[:500]
    for report_id, version in stale:
        try:
            # Rows committed long ago: no on_commit needed.
            jobs.enqueue(jobs.RENDER_CASE_COPY, report_id=str(report_id), version=version)
            queued += 1
        except Exception:
            logger.warning("sweeper: broker unavailable; will try again", exc_info=True)
            break
    return queued


# --- Rendering --------------------------------------------------------------------------


def casefile_render(*, report_id: str, version: int) -> CaseCopy | None:
    """Render and store the copy of `report_id` at `version`, once.

    Does nothing when the copy is already ready or the report has moved on to a newer
    version (the newer version has its own row). Side effects: the PDF file in private
    storage; the CaseCopy row set to ready with its SHA-256 and size.
    """
    copy = (
        CaseCopy.objects.select_related("report")
        .filter(report_id=report_id, version=version)
        .first()
    )
    if copy is None or copy.state in (CaseCopyState.READY, CaseCopyState.SUPERSEDED):
        return copy
    report = copy.report
    if report.version > version:
        CaseCopy.objects.filter(
            pk=copy.pk, state__in=(CaseCopyState.PENDING, CaseCopyState.FAILED)
        ).update(state=CaseCopyState.SUPERSEDED)
        copy.state = CaseCopyState.SUPERSEDED
        return copy
    CaseCopy.objects.filter(pk=copy.pk).update(attempts=copy.attempts + 1)
    code = verification_code(report.tracking_number, version)
    try:
        # A copy is in English, whoever's request made it (with tasks run in-process, a
        # resident's Spanish request would otherwise give its labels Spanish words).
        with translation.override("en"):
            context = casefile_context(report)
        content = pdf.render_case_copy(
            report, version=version, verification_code=code, context=context
        )
    except Exception as exc:
        if (
            CaseCopy.objects.filter(pk=copy.pk)
            .exclude(state=CaseCopyState.READY)
            .update(state=CaseCopyState.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        ):
            _show_on_report(report.pk, version, CaseCopyState.FAILED)
        raise

    with transaction.atomic():
        # The lock makes a duplicate delivery wait here, then find the row ready and
        # store nothing: one file per version even when two workers render at once.
        locked = CaseCopy.objects.select_for_update().get(pk=copy.pk)
        if locked.state == CaseCopyState.READY:
            return locked
        target = f"casecopies/{report.pk}/v{version}.pdf"
        # A file already there was left by a render that died before its commit (the
        # row is not ready): replace it rather than store a second copy beside it.
        if default_storage.exists(target):
            default_storage.delete(target)
        name = default_storage.save(target, ContentFile(content))
        locked.file = name
        locked.sha256 = hashlib.sha256(content).hexdigest()
        locked.size = len(content)
        locked.state = CaseCopyState.READY
        locked.error = ""
        locked.rendered_at = timezone.now()
        locked.verification_code = code
        locked.save(
            update_fields=[
                "file",
                "sha256",
                "size",
                "state",
                "error",
                "rendered_at",
                "verification_code",
            ]
        )
        _show_on_report(report.pk, version, CaseCopyState.READY)
    return locked


def thumbnail(attachment) -> str:
    """A small JPEG of an image attachment as a data: URI (never a URL to fetch)."""
    from PIL import Image  # only case copies with image attachments need Pillow here

    try:
        with default_storage.open(attachment.file.name, "rb") as handle:
            image = Image.open(handle)
            image.thumbnail((240, 240))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=70)
    except Exception:
        logger.warning("thumbnail failed for attachment %s", attachment.pk)
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def _detail_rows(report: Report) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for name in report.type_info.steps:
        step = STEPS[name]
        if step.is_formset or name in (
            "about_you",
            "narrative",
            "attachments",
            "review",
            "declaration",
        ):
            continue
        if name.startswith(("when", "person")):
            continue
        rows += rows_for(step.form_class(), report.details)
    return rows


def casefile_context(report: Report) -> dict[str, Any]:
    """Everything the copy shows, from what the database holds now, its words in the
    active language (the officers' page shows the same)."""
    items = list(report.items.all())
    supplements = list(report.supplements.all())
    attachments = list(report.attachments.all())
    # The code stored at filing, or as a clerk corrected it.
    nibrs = report.nibrs_code or rules.nibrs_code(
        report.report_type, report.type_info.nibrs_code, report.details
    )
    context = {
        "type_label": report.type_info.label,
        "nibrs_code": nibrs,
        "nibrs_label": report.type_info.nibrs_label,
        "detail_rows": _detail_rows(report),
        "items": items,
        "vehicles": list(report.vehicles.all()),
        "people": list(report.people_responsible.all()),
        "court_orders": list(report.court_orders.all()),
        "accounts": list(report.accounts.all()),
        "supplements": supplements,
        "attachments": [
            (a, thumbnail(a) if a.content_type.startswith("image/") else "") for a in attachments
        ],
        "children": report.details.get("children", []),
        "screening_answers": answer_rows(report.screening.get("answers") or {}),
    }
    context["machine_readable"] = {
        "tracking_number": report.tracking_number,
        "case_number": report.case_number or "",
        "report_type": report.report_type,
        "nibrs_code": nibrs,
        "status": report.status,
        "version": report.version,
        "submitted_at": report.submitted_at.isoformat(),
        "language": report.language,
        "reporter": {
            "first_name": report.reporter_first_name,
            "last_name": report.reporter_last_name,
            "date_of_birth": report.reporter_date_of_birth.isoformat(),
            "phone": report.reporter_phone,
            "email": report.reporter_email,
            "address": {
                "street": report.reporter_street,
                "unit": report.reporter_unit,
                "city": report.reporter_city,
                "state": report.reporter_state,
                "zip": report.reporter_zip,
            },
            "reporting_for": report.reporting_for,
        },
        "incident": {
            "start": report.occurred_start.isoformat(),
            "end": report.occurred_end.isoformat() if report.occurred_end else None,
            "location": report.location,
            "place_kind": report.place_kind,
        },
        "details": report.details,
        "narrative": report.narrative,
        "total_value": str(report.total_value) if report.total_value is not None else None,
        "items": [
            {
                "category": i.category,
                "description": i.description,
                "brand": i.brand,
                "model": i.model,
                "serial_number": i.serial_number,
                "color": i.color,
                "quantity": i.quantity,
                "value": str(i.value) if i.value is not None else None,
            }
            for i in items
        ],
        "vehicles": [
            {
                "year": v.year,
                "make": v.make,
                "model": v.model,
                "color": v.color,
                "plate": v.plate,
                "plate_state": v.plate_state,
                "vin": v.vin,
            }
            for v in context["vehicles"]
        ],
        "accounts": [
            {
                "institution": a.institution,
                "kind": a.kind,
                "last4": a.last4,
                "amount": str(a.amount) if a.amount is not None else None,
            }
            for a in context["accounts"]
        ],
        "supplements": [
            {"created_at": s.created_at.isoformat(), "narrative": s.narrative} for s in supplements
        ],
        "attachments": [
            {
                "name": a.display_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in attachments
        ],
    }
    return context
