"""The NIBRS export of a report: whether a document applies at all (Group A offenses
only), whether it would be valid (the schema and the specification's edits), in words
for the clerk, and the document itself for the records system, the download and the
`nibrs_xml` command."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.enums import ReportStatus
from reports.models import Report
from reports.nibrs import codes, incident, xml

# What the export reads of a report, in one query each (items, accounts, people).
PREFETCH = ("items", "accounts", "people_responsible")


class NibrsUnavailable(Exception):
    """No NIBRS document can be made for this report; the message says why, in words."""


@dataclass
class NibrsCheck:
    applies: bool  # False: Group B, lost property, no code (see `reason`)
    valid: bool
    problems: list[str] = field(default_factory=list)
    reason: str = ""  # why no document applies


def agency_ori() -> str:
    """The agency's ORI (settings.AGENCY_ORI), checked at start-up when set."""
    ori = getattr(settings, "AGENCY_ORI", "")
    if not ori:
        raise NibrsUnavailable(
            _("The agency's ORI is not set (AGENCY_ORI): NIBRS documents cannot be made.")
        )
    return ori


def why_no_document(report: Report) -> str:
    """Why the report has no NIBRS document, in words; "" when it has one."""
    code = incident.offense_for(report)
    if not code:
        return _("Lost property is not a crime: NIBRS has no offense for it.")
    offense = codes.offense(code)
    if offense is None:
        return _("“%(code)s” is not a NIBRS offense code.") % {"code": code}
    if offense.group != "A":
        return _(
            "%(code)s (%(label)s) is a Group B offense: NIBRS reports it only with an "
            "arrest, so there is no incident document."
        ) % {"code": code, "label": offense.label}
    return ""


def _document(report: Report, ori: str) -> tuple[bytes, list[str]]:
    found = incident.incident_for(report)
    month = timezone.localdate()
    content = xml.document(found, ori=ori, month=month.replace(day=1))
    problems = incident.edit_problems(found)
    if xml.schema_errors(content):
        # The edits say it in words; this only happens for an edit we do not know of.
        problems.append(_("The document does not match the FBI's NIBRS schema."))
    return content, problems


def nibrs_check(report: Report) -> NibrsCheck:
    """Whether the report's NIBRS document would be valid, and if not the problems in
    words (for the clerk, before approving). Before approval the case number is not
    given yet: it is not counted as a problem then."""
    reason = why_no_document(report)
    if reason:
        return NibrsCheck(applies=False, valid=False, reason=reason)
    ori = getattr(settings, "AGENCY_ORI", "") or "XX0000000"
    if not report.case_number:
        # Checked as it will be once approved: the case number comes with the approval.
        report = copy.copy(report)
        report.case_number = "CHECK"
    _content, problems = _document(report, ori)
    if not getattr(settings, "AGENCY_ORI", ""):
        problems.insert(0, _("The agency's ORI is not set (AGENCY_ORI)."))
    return NibrsCheck(applies=True, valid=not problems, problems=problems)


def nibrs_document(report: Report) -> bytes:
    """The NIBRS XML of an approved report with a Group A offense. Refused with
    NibrsUnavailable (why, in words) when there is none or it would not be valid."""
    reason = why_no_document(report)
    if reason:
        raise NibrsUnavailable(reason)
    if report.status != ReportStatus.APPROVED:
        raise NibrsUnavailable(_("Only approved reports are sent to NIBRS."))
    content, problems = _document(report, agency_ori())
    if problems:
        raise NibrsUnavailable(" ".join(problems))
    return content


@dataclass
class ExportResult:
    written: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (tracking number, why)


def nibrs_export(*, out_dir: Path, since: dt.date | None = None) -> ExportResult:
    """Write <tracking number>.xml into `out_dir` for every approved report (decided on
    or after `since`) with a Group A offense; the others are skipped, with why."""
    agency_ori()  # refuse at once, not once per report
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = Report.objects.filter(status=ReportStatus.APPROVED).prefetch_related(*PREFETCH)
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        reports = reports.filter(decided_at__gte=start)
    result = ExportResult()
    for report in reports.order_by("decided_at", "pk").iterator(chunk_size=500):
        try:
            content = nibrs_document(report)
        except NibrsUnavailable as why:
            result.skipped.append((report.tracking_number, str(why)))
            continue
        (out_dir / f"{report.tracking_number}.xml").write_bytes(content)
        result.written.append(report.tracking_number)
    return result
