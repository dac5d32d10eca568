"""Save and resume, without an account.

Every valid wizard step is copied into a Draft row as the resident goes. "Save and
finish later" gives a resume code (60 random bits in Crockford base32, grouped, with a
check character, like the tracking number) shown once and emailed with a signed link.
Resuming needs the code and the email address together (the phone number, for a
resident who gave no email: the agency's policy may allow it); a wrong pair gets one generic
answer, and attempts are rate-limited per address and per code (see views).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ereport.db import OneRowRead
from reports import jobs
from reports.filing.uploads import PendingUpload, discard_uploads
from reports.models import Draft
from reports.questions.fields import PhoneField
from reports.registry import REPORT_TYPES
from reports.tracking import ALPHABET, check_character

CODE_DATA_LENGTH = 12  # 60 random bits
UPLOADS = "uploads"  # the wizard's extra data key for the files uploaded so far
_LINK_SALT = "reports.draft-resume-link"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_resume_code() -> str:
    value = secrets.randbits(5 * CODE_DATA_LENGTH)
    data = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(CODE_DATA_LENGTH)))
    check = check_character(data)
    return f"{data[:4]}-{data[4:8]}-{data[8:]}-{check}"


def normalize_resume_code(raw: str) -> str | None:
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    text = "".join(ch for ch in raw.upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(text) != CODE_DATA_LENGTH + 1 or any(ch not in ALPHABET for ch in text):
        return None
    data, check = text[:CODE_DATA_LENGTH], text[CODE_DATA_LENGTH]
    if check_character(data) != check:
        return None
    return f"{data[:4]}-{data[4:8]}-{data[8:]}-{check}"


def code_hash(code: str) -> str:
    # Keyed, so a copy of the database alone cannot be searched for codes.
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def retention() -> timedelta:
    return timedelta(days=settings.DRAFT_RETENTION_DAYS)


def expiry(now: datetime) -> datetime:
    """When a draft saved at `now` expires: DRAFT_RETENTION_DAYS ahead, rounded up to the
    next whole hour. The autosaves of one hour then write the same expiry, and PostgreSQL
    updates the row in place (a HOT update: its indexes untouched). When every autosave
    moved the indexed expiry, each added an entry to all five of the table's indexes."""
    ahead = now + retention()
    return ahead.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def draft_autosave(
    *,
    draft_id: str,
    report_type: str,
    data: dict[str, Any],
    screening: dict[str, Any],
    email: str | None = None,
    steps: Iterable[str] | None = None,
    extra_keys: Iterable[str] | None = None,
    new: bool = False,
    loaded_at=None,
    uploads_before: list[dict] | None = None,
) -> Draft:
    """Save the wizard's answers so far. `data` is the wizard as this request sees it;
    `steps` and `extra_keys` name what this request changed: only those are written over
    the stored draft, so two tabs on the same draft never undo each other's other pages
    (None for both writes `data` whole); `email` the address on "About you" as it stands
    now ("" once it was cleared: a saved code is then sent nowhere; None leaves it as
    stored); `new` when the caller found no row, `loaded_at`
    the row's updated_at and `uploads_before` its uploads when the caller read it. Side
    effects: the Draft row created or updated, its expiry pushed DRAFT_RETENTION_DAYS
    ahead."""
    # PostgreSQL cannot store NUL in text or jsonb: whatever slipped past the forms (a
    # checkbox reads "on\x00" as ticked) is cleaned here, where every draft is written.
    data, screening = without_nul(data), without_nul(screening)
    now = timezone.now()
    fields = {
        "screening": screening,
        "updated_at": now,
        "expires_at": expiry(now),
        # A new expiry deserves its own reminder.
        "reminder_sent_at": None,
        **({"email": without_nul(email).lower()} if email is not None else {}),
    }
    # Nobody wrote the draft since this request read it (the usual case): write it whole,
    # without a lock. Otherwise, merge under the lock below.
    if (
        loaded_at is not None
        and not new
        and _write_if_unchanged(draft_id, report_type, loaded_at, {"data": data, **fields})
    ):
        return Draft(pk=draft_id, report_type=report_type, data=data, **fields)
    if new:
        try:
            with transaction.atomic():
                return Draft.objects.create(
                    pk=draft_id, report_type=report_type, created_at=now, data=data, **fields
                )
        except IntegrityError:
            pass  # two first pages at once (a double click): merge into the other's row
    with transaction.atomic():
        # The row lock makes two requests on the same draft take turns: the second
        # merges its page into what the first wrote instead of writing over it.
        stored = _locked(draft_id, report_type)
        if stored is None:  # expired and deleted meanwhile: it starts again
            return Draft.objects.create(
                pk=draft_id, report_type=report_type, created_at=now, data=data, **fields
            )
        stored_data, filed_report_id = stored
        if filed_report_id is not None:
            # Filed meanwhile, from another tab: its answers are not written back.
            return Draft(pk=draft_id, report_type=report_type, report_id=filed_report_id)
        if steps is not None or extra_keys is not None:
            data = _merged(stored_data, data, steps or (), extra_keys or (), uploads_before)
        Draft.objects.filter(pk=draft_id).update(data=data, **fields)
    return Draft(pk=draft_id, report_type=report_type, data=data, **fields)


def without_nul(value: Any) -> Any:
    """`value` with every NUL character taken out of its strings (dictionary keys too),
    at any depth of dicts and lists."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(v) for v in value]
    return value


def _locked(draft_id: str, report_type: str) -> tuple[dict, Any] | None:
    return (
        Draft.objects.select_for_update()
        .filter(pk=draft_id, report_type=report_type)
        .values_list("data", "report_id")
        .first()
    )


def _merged(
    stored: dict,
    mine: dict,
    steps: Iterable[str],
    extra_keys: Iterable[str],
    uploads_before: list[dict] | None,
) -> dict:
    step_data = dict(stored.get("step_data") or {})
    for step in steps:
        if step in mine.get("step_data", {}):
            step_data[step] = mine["step_data"][step]
    extra = dict(stored.get("extra_data") or {})
    for key in extra_keys:
        if key == UPLOADS and uploads_before is not None:
            extra[key] = _merged_uploads(extra.get(key) or [], mine, uploads_before)
        elif key in mine.get("extra_data", {}):
            extra[key] = mine["extra_data"][key]
        else:
            extra.pop(key, None)
    return {**stored, "step": mine.get("step"), "step_data": step_data, "extra_data": extra}


def _merged_uploads(stored: list[dict], mine: dict, before: list[dict]) -> list[dict]:
    # The files are a set: what this request added or removed is applied to what is
    # stored, so two tabs adding files at once keep both.
    ours = mine.get("extra_data", {}).get(UPLOADS) or []
    before_names = {u.get("storage_name") for u in before}
    our_names = {u.get("storage_name") for u in ours}
    kept = [u for u in stored if u.get("storage_name") not in before_names - our_names]
    kept_names = {u.get("storage_name") for u in kept}
    return kept + [
        u
        for u in ours
        if u.get("storage_name") not in before_names and u.get("storage_name") not in kept_names
    ]


def draft_state(*, draft_id: str, report_type: str) -> tuple[dict[str, Any] | None, Any, Any]:
    """The wizard data saved for this draft (None before its first save), the id of the
    report filed from it (None while it is being written) and when it was last saved."""
    return _read_state(draft_id, report_type) or (None, None, None)


_read_state = OneRowRead(Draft, ("data", "report", "updated_at"), where=("id", "report_type"))


# Every wizard page reads its draft (ereport.db.OneRowRead, above) and each valid POST
# writes it: the write is also written once per process instead of by the ORM on every
# request (only its list of columns is joined per call: the email is written only when
# given). Measured in-process on PostgreSQL: Django took 0.7-0.8 ms of CPU to build the
# write, three to five times what running it costs. Values go through each field's own
# conversion, so SQLite (the embedded default) gets what the ORM would give it.
def _pk(draft_id: Any) -> Any:
    return Draft._meta.pk.get_db_prep_value(Draft._meta.pk.to_python(draft_id), connection)


def _update_sql() -> str:
    cached = _UPDATE_SQL.get(connection.vendor)
    if cached is None:
        quote = connection.ops.quote_name
        table = quote(Draft._meta.db_table)
        pk, report, report_type, updated_at = (
            quote(Draft._meta.get_field(name).column)
            for name in ("id", "report", "report_type", "updated_at")
        )
        # Names from the model, quoted; every value is a parameter.
        update = f"UPDATE {table} SET {{sets}}"  # noqa: S608
        unchanged = f"{pk} = %s AND {report_type} = %s AND {updated_at} = %s AND {report} IS NULL"
        cached = _UPDATE_SQL[connection.vendor] = f"{update} WHERE {unchanged}"
    return cached


_UPDATE_SQL: dict[str, str] = {}


def _write_if_unchanged(
    draft_id: str, report_type: str, loaded_at: Any, values: dict[str, Any]
) -> bool:
    """Write `values` over the draft if nobody wrote it since `loaded_at` and it was not
    filed; False when it was (the caller merges under a lock instead)."""
    fields = [Draft._meta.get_field(name) for name in values]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]
    updated_at = Draft._meta.get_field("updated_at")
    params += [_pk(draft_id), report_type, updated_at.get_db_prep_value(loaded_at, connection)]
    # As QuerySet.update() does: an error inside a caller's transaction rolls it back.
    with transaction.mark_for_rollback_on_error(), connection.cursor() as cursor:
        cursor.execute(_update_sql().format(sets=sets), params)
        return cursor.rowcount == 1


def draft_mark_filed(*, draft_id: str, report) -> None:
    """The report was filed from this draft: forget the answers (the report holds them)
    and remember the report, so that another tab or device still on this draft is shown
    its confirmation. The row goes when the draft would have expired."""
    Draft.objects.filter(pk=draft_id).update(
        data={},
        screening={},
        email="",
        report=report,
        resume_code_hash="",
        updated_at=timezone.now(),
    )


def draft_save_for_later(*, draft: Draft) -> str:
    """Give the draft a new resume code (any earlier one stops working) and queue the
    email with the code and a signed link. Returns the code, shown once."""
    code = new_resume_code()
    with transaction.atomic():
        Draft.objects.filter(pk=draft.pk).update(
            resume_code_hash=code_hash(code), reminder_sent_at=None
        )
        if draft.email:
            jobs.enqueue_after_commit(
                jobs.SEND_DRAFT_EMAIL, draft_id=str(draft.pk), kind="draft_saved", code=code
            )
    return code


def draft_for_resume(*, code: str, email: str = "", phone: str = "") -> Draft | None:
    """The live draft for this code and the email address given on "About you" (or, for
    a resident who gave none, the phone number given there, in E.164), or None: one
    answer for all failures (unknown code, wrong email or phone, expired)."""
    canonical = normalize_resume_code(code)
    if canonical is None or not (email.strip() or phone):
        return None
    draft = Draft.objects.filter(
        resume_code_hash=code_hash(canonical),
        expires_at__gt=timezone.now(),
        report_type__in=list(REPORT_TYPES),
    ).first()
    if draft is None:
        return None
    # A draft with an email address resumes with that address only (a phone number is
    # easier for someone else to know); one without, with the phone number.
    if draft.email:
        # As bytes: compare_digest refuses str beyond ASCII (an address with an IDN domain).
        matches = hmac.compare_digest(draft.email.encode(), email.strip().lower().encode())
    else:
        matches = bool(phone) and hmac.compare_digest(draft_phone(draft).encode(), phone.encode())
    return draft if matches else None


def draft_phone(draft: Draft) -> str:
    """The phone number saved on the draft's "About you" page, in E.164 ("" if none).
    The step's answers are kept as posted, so the number is read as the field reads it."""
    about = ((draft.data or {}).get("step_data") or {}).get("about_you") or {}
    raw = about.get("about_you-phone") or [""]
    raw = raw[0] if isinstance(raw, list) else raw
    try:
        return PhoneField(required=False).clean(raw) if isinstance(raw, str) else ""
    except ValidationError:
        return ""


def resume_link_token(draft: Draft) -> str:
    # Tied to the current resume code: saving again (a new code) retires old links too.
    return signing.dumps([str(draft.pk), draft.resume_code_hash[:16]], salt=_LINK_SALT)


def draft_for_link(token: str) -> Draft | None:
    try:
        draft_id, code_part = signing.loads(token, salt=_LINK_SALT, max_age=retention())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    try:
        draft = Draft.objects.filter(
            pk=draft_id, expires_at__gt=timezone.now(), report_type__in=list(REPORT_TYPES)
        ).first()
    except (ValueError, TypeError):
        return None
    if draft is None or not hmac.compare_digest(draft.resume_code_hash[:16], str(code_part)):
        return None
    return draft


def draft_discard(*, draft_id: str | None) -> None:
    if draft_id:
        Draft.objects.filter(pk=draft_id).delete()


def drafts_remind_and_expire(*, now=None) -> tuple[int, int]:
    """Daily: remind residents 3 days before a saved draft expires; delete expired
    drafts and their temporary uploads. Returns (reminded, deleted)."""
    now = now or timezone.now()
    reminded = 0
    due = (
        Draft.objects.filter(
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=3),
            report__isnull=True,
        )
        .exclude(resume_code_hash="")
        .exclude(email="")
    )
    for draft in due:
        with transaction.atomic():
            if Draft.objects.filter(pk=draft.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                jobs.enqueue_after_commit(
                    jobs.SEND_DRAFT_EMAIL, draft_id=str(draft.pk), kind="draft_reminder", code=""
                )
                reminded += 1
    expired = list(Draft.objects.filter(expires_at__lte=now))
    for draft in expired:
        for wizard_data in [draft.data]:
            uploads = wizard_data.get("extra_data", {}).get("uploads", [])
            discard_uploads([PendingUpload.from_dict(u) for u in uploads])
    deleted, _ = Draft.objects.filter(pk__in=[d.pk for d in expired]).delete()
    return reminded, deleted


def referenced_uploads() -> set[str]:
    """Temporary uploads that live drafts still point at (kept by the retention job)."""
    names: set[str] = set()
    for data in Draft.objects.filter(expires_at__gt=timezone.now()).values_list("data", flat=True):
        for upload in (data or {}).get("extra_data", {}).get("uploads", []):
            names.add(upload.get("storage_name", ""))
    return names
