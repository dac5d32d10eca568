"""The review workflow: every change a clerk or supervisor makes to a report, each in
one transaction, with the new case copy and the resident's email queued after commit.

What may move where is a plain rule (reports.rules); this module applies it, allocates
case numbers on approval and records each step (StatusChange, InternalNote, history).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import rules
from reports.copies.casefiles import casefile_request
from reports.enums import ReportStatus
from reports.models import CaseNumberCounter, InternalNote, RejectionReason, Report, StatusChange
from reports.nibrs import codes as nibrs_codes
from reports.notify import emails


class TransitionError(ValidationError):
    """A workflow step that is not allowed now, or is missing what it needs."""


def _allocate_case_number(year: int) -> str:
    # The counter row is locked until the approving transaction ends: concurrent
    # approvals queue here, so numbers are unique and, since a rolled-back approval
    # rolls back its increment too, gap-free.
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(year=year)], ignore_conflicts=True)
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return rules.case_number(settings.CASE_NUMBER_PREFIX, year, counter.last_number)


def report_transition(
    *,
    report: Report,
    actor,
    to_status: str,
    message: str = "",
    reason: RejectionReason | None = None,
    duplicate_of: Report | None = None,
    note: str = "",
) -> Report:
    """Move a report through the review workflow (see reports.rules for what may move
    where). Refused with TransitionError, changing nothing, when the step is not allowed
    or lacks its message (needs_info), reason (rejected) or original (duplicate).

    Side effects, in one transaction: the report's status, assignee, case number
    (approval), decision time and version; a StatusChange row; a new case copy
    requested. After commit: the resident's status email.
    """
    is_supervisor = actor is not None and actor.has_perm("reports.reopen_report")
    message = message.strip()
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        from_status = locked.status
        if actor is None:
            allowed = (from_status, to_status) in (
                rules.RESIDENT_TRANSITIONS | rules.SYSTEM_TRANSITIONS
            )
        else:
            allowed = actor.has_perm("reports.review_report") and rules.transition_allowed(
                from_status, to_status, is_supervisor=is_supervisor
            )
        if not allowed:
            raise TransitionError(
                _("A report that is “%(from)s” cannot be moved to “%(to)s”.")
                % {
                    "from": ReportStatus(from_status).label,
                    "to": ReportStatus(to_status).label,
                }
            )
        if to_status == ReportStatus.NEEDS_INFO and not message:
            raise TransitionError(_("Write the question to the resident."))
        if to_status == ReportStatus.REJECTED and reason is None:
            raise TransitionError(_("Choose the reason for not accepting the report."))
        if to_status == ReportStatus.DUPLICATE and (
            duplicate_of is None or duplicate_of.pk == locked.pk
        ):
            raise TransitionError(_("Give the tracking number of the original report."))
        update = ["status", "version"]
        locked.status = to_status
        locked.version += 1
        if from_status == ReportStatus.SUBMITTED and actor is not None:
            locked.assigned_to = actor
            update.append("assigned_to")
        if to_status == ReportStatus.APPROVED and not locked.case_number:
            locked.case_number = _allocate_case_number(timezone.localdate().year)
            update.append("case_number")
        if to_status in (ReportStatus.APPROVED, ReportStatus.REJECTED, ReportStatus.DUPLICATE):
            locked.decided_at = timezone.now()
            update.append("decided_at")
        if to_status == ReportStatus.DUPLICATE:
            locked.duplicate_of = duplicate_of
            update.append("duplicate_of")
        if to_status == ReportStatus.NEEDS_INFO:
            locked.info_reminder_sent_at = None  # a new question starts a new clock
            update.append("info_reminder_sent_at")
        locked.save(update_fields=update)
        StatusChange.objects.create(
            report=locked,
            at=timezone.now(),
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            message=message,
            reason=reason,
            note=note.strip(),
        )
        casefile_request(report=locked)
        emails.email_queue(report=locked, kind="status")
    return locked


def report_claim(*, report: Report, actor) -> Report:
    return report_transition(report=report, actor=actor, to_status=ReportStatus.IN_REVIEW)


def report_reassign(*, report: Report, actor, assignee) -> Report:
    """Give a report to another clerk (supervisors only). Side effect: assigned_to."""
    if not actor.has_perm("reports.reassign_report"):
        raise TransitionError(_("Only a supervisor can reassign reports."))
    Report.objects.filter(pk=report.pk).update(assigned_to=assignee)
    report.assigned_to = assignee
    return report


def nibrs_code_checked(raw: str) -> str:
    """The NIBRS offense code as the FBI writes it ("23h" -> "23H"); refused with
    TransitionError, in words, when it is not on the FBI's list (Group A or B)."""
    code = nibrs_codes.offense_code(raw)
    if code is None:
        raise TransitionError(
            _("“%(code)s” is not a NIBRS offense code. Enter one from the FBI's list, like 23H.")
            % {"code": raw.strip()[:10]}
        )
    return code


def report_correct_nibrs(*, report: Report, actor, code: str, note: str = "") -> Report:
    """Correct the NIBRS code (only a code on the FBI's offense list, any case); the old
    and new codes are kept in the report's history and as an internal note."""
    code = nibrs_code_checked(code)
    old = report.nibrs_code
    with transaction.atomic():
        report.nibrs_code = code
        report._change_reason = f"NIBRS code corrected from {old or '-'} to {code}"
        report.version += 1
        report.save(update_fields=["nibrs_code", "version"])
        casefile_request(report=report)
        InternalNote.objects.create(
            report=report,
            author=actor,
            at=timezone.now(),
            text=f"NIBRS code corrected from {old or '-'} to {code}. {note}".strip(),
        )
    return report


def note_add(*, report: Report, author, text: str) -> InternalNote:
    """An internal note for staff; never shown to the resident."""
    text = text.strip()
    if not text:
        raise TransitionError(_("Write the note."))
    return InternalNote.objects.create(report=report, author=author, at=timezone.now(), text=text)


def copies_regenerate(*, reports) -> int:
    """Ask for fresh copies of these reports (after a template change, say)."""
    count = 0
    with transaction.atomic():
        # Only the report rows are locked (the admin's queryset joins the nullable
        # assignee, which PostgreSQL cannot lock).
        for report in reports.select_related(None).select_for_update(of=("self",)):
            report.version += 1
            report.save(update_fields=["version"])
            casefile_request(report=report)
            count += 1
    return count
