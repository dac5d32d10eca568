"""Residents' report pages around the wizard: start, confirmation, status, supplements."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ereport import ratelimit
from ereport.forms import error_summary
from reports import tracking
from reports.copies import casefiles
from reports.copies.casefiles import current_copy
from reports.enums import OPEN_STATUSES
from reports.filing import drafts, selectors, services, uploads
from reports.filing.forms import ResumeForm, StatusLookupForm, SupplementForm
from reports.filing.session import ReportSession
from reports.filing.wizard import WIZARDS, open_report, restore_draft, step_url
from reports.registry import REPORT_TYPES
from reports.storage import private_file_response
from screening.policy_store import request_policy
from screening.session import ScreeningSession


@require_GET
def start(request, report_type: str):
    """The "Start now" button: into the wizard, if the screening allows this type."""
    if report_type not in REPORT_TYPES:
        raise Http404
    decision = ScreeningSession(request.session).eligible_decision_for(report_type)
    if decision is None:
        messages.warning(
            request,
            _(
                "Please answer the screening questions first, so we know this can be "
                "reported online."
            ),
        )
        return redirect("screening:start")
    draft = open_report(request, decision)
    return redirect(step_url(draft, REPORT_TYPES[report_type].steps[0]))


@never_cache
@ratelimit.ratelimit("wizard")
def wizard(request, report_type: str, draft_id, step: str | None = None):
    view = WIZARDS.get(report_type)
    if view is None:
        raise Http404
    return view(request, draft_id=draft_id, step=step)


@never_cache
def wizard_latest(request, report_type: str, step: str | None = None):
    """A wizard address without a draft id (a bookmark, or a page opened before draft ids
    were in the URLs): the report of this type last opened in this browser."""
    if report_type not in WIZARDS:
        raise Http404
    draft = ReportSession(request.session).latest_open_draft(report_type)
    if draft is None:
        decision = ScreeningSession(request.session).eligible_decision_for(report_type)
        if decision is None:
            return redirect("reports:start", report_type=report_type)  # to the screening
        draft = open_report(request, decision)  # screened, but "Start now" was skipped
    if step is None:
        url = reverse(
            "reports:wizard_start", kwargs={"report_type": report_type, "draft_id": draft.draft_id}
        )
    else:
        url = step_url(draft, step)
    # A POST stays a POST (307), so answers sent to the old address are not lost.
    return redirect(url, preserve_request=request.method == "POST")


@never_cache
@require_GET
def confirmation(request):
    report = selectors.report_by_id(ReportSession(request.session).submitted_report_id())
    if report is None:
        return redirect("screening:home")
    copy = current_copy(report)
    response = render(request, "reports/confirmation.html", {"report": report, "copy": copy})
    return _refresh_while_pending(request, response, ready=copy is not None)


# A copy is usually ready within seconds: the page reloads itself (an HTTP Refresh
# header, so no JavaScript is needed) a bounded number of times, then offers a link.
_REFRESH_SECONDS = 5
_MAX_REFRESHES = 12


def _refresh_while_pending(request, response, *, ready: bool):
    try:
        count = int(request.GET.get("n", "0"))
    except ValueError:
        count = _MAX_REFRESHES
    if not ready and count < _MAX_REFRESHES:
        response["Refresh"] = f"{_REFRESH_SECONDS}; url={request.path}?n={count + 1}"
    return response


@never_cache
@require_GET
def confirmation_copy(request):
    """The copy of the report filed in this session, and of no other."""
    report = selectors.report_by_id(ReportSession(request.session).submitted_report_id())
    copy = current_copy(report) if report else None
    if copy is None:
        raise Http404
    return private_file_response(copy.file.name, f"{report.tracking_number}.pdf", "application/pdf")


@never_cache
@require_GET
def signed_copy(request, token: str):
    """The confirmation email's link: works for 7 days, from any browser."""
    report = casefiles.report_for_copy_token(token)
    if report is None:
        return render(request, "reports/copy_link_invalid.html", status=404)
    copy = current_copy(report)
    if copy is None:
        response = render(request, "reports/copy_pending.html")
        return _refresh_while_pending(request, response, ready=False)
    return private_file_response(copy.file.name, f"{report.tracking_number}.pdf", "application/pdf")


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("status")
def status(request):
    email_optional = _phone_offered(request)
    form = StatusLookupForm(
        request.POST if request.method == "POST" else None, email_optional=email_optional
    )
    if request.method == "POST" and form.is_valid():
        number = tracking.normalize(form.cleaned_data["tracking_number"])
        # Guessing is limited per tracking number as well as per address (the decorator).
        if number is None or not _paused(
            form,
            "status_number",
            number,
            _(
                "Too many tries were made with this tracking number, so we paused it to "
                "keep your report safe. Please try again in %(wait)s."
            ),
        ):
            report = selectors.report_for_resident(
                tracking_number=form.cleaned_data["tracking_number"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data.get("phone") or "",
            )
            if report is not None:
                ReportSession(request.session).grant_status_access(report)
                return redirect("reports:status_detail")
            # One answer for a wrong number, a wrong email or phone and an unknown report.
            form.add_error(
                None,
                _(
                    "We could not find a report with that tracking number and email address "
                    "or phone number. Check them and try again."
                )
                if email_optional
                else _(
                    "We could not find a report with that tracking number and email address. "
                    "Check both and try again."
                ),
            )
    return render(
        request,
        "reports/status.html",
        {
            "form": form,
            "email_optional": email_optional,
            "error_list": error_summary(form) if form.is_bound else [],
        },
    )


def _paused(form, scope: str, key: str, message: str) -> bool:
    """Count one try on `key` (a tracking number, a resume code) from any address; once
    its tries are spent, say so on the form, with how long to wait, and return True."""
    if ratelimit.allow(scope, key):
        return False
    form.add_error(None, message % {"wait": ratelimit.wait_in_words(ratelimit.wait_seconds(scope))})
    return True


def _phone_offered(request) -> bool:
    """Whether the status and resume pages take a phone number instead of an email: when
    the agency lets residents file without one, and still after it stopped, for those
    who did."""
    return not request_policy(request).email_required or selectors.records_without_email_exist()


def _status_report(request):
    report_id = ReportSession(request.session).status_access_report_id()
    return selectors.report_with_timeline(report_id) if report_id else None


@never_cache
@require_GET
def status_detail(request):
    report = _status_report(request)
    if report is None:
        return redirect("reports:status")
    return render(
        request,
        "reports/status_detail.html",
        {
            "report": report,
            "can_add": report.status in OPEN_STATUSES,
            "timeline": selectors.resident_timeline(report),
            "review_target_days": settings.REVIEW_TARGET_DAYS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def supplement(request):
    report = _status_report(request)
    if report is None:
        return redirect("reports:status")
    if report.status not in OPEN_STATUSES:
        messages.info(request, _("This report is closed, so information can no longer be added."))
        return redirect("reports:status_detail")
    form = SupplementForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        pending = []
        try:
            if form.cleaned_data.get("file"):
                pending.append(
                    uploads.upload_stage(uploads.process_upload(form.cleaned_data["file"]))
                )
            services.supplement_add(
                report=report, narrative=form.cleaned_data["narrative"], uploads=pending
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Thank you. We added your information to the report."))
            return redirect("reports:status_detail")
    return render(
        request,
        "reports/supplement.html",
        {
            "form": form,
            "report": report,
            "error_list": error_summary(form) if form.is_bound else [],
        },
    )


@never_cache
@require_GET
def draft_saved(request):
    """Shown once after "Save and finish later": the resume code and until when."""
    saved = ReportSession(request.session).pop_saved_draft()
    if saved is None:
        return redirect("reports:resume")
    expires_at = timezone.localtime(datetime.fromisoformat(saved["expires_at"]))
    return render(request, "reports/draft_saved.html", {"saved": saved, "expires_at": expires_at})


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit.ratelimit("resume")
def resume(request):
    email_optional = _phone_offered(request)
    form = ResumeForm(
        request.POST if request.method == "POST" else None, email_optional=email_optional
    )
    if request.method == "POST" and form.is_valid():
        code = drafts.normalize_resume_code(form.cleaned_data["code"])
        # Guessing is limited per code as well as per address (the decorator). Once a
        # code's tries are spent, its owner too is told so, and for how long.
        if code is None or not _paused(
            form,
            "resume_code",
            drafts.code_hash(code),
            _(
                "Too many tries were made with this code, so we paused it to keep your "
                "report safe. Please try again in %(wait)s."
            ),
        ):
            draft = drafts.draft_for_resume(
                code=form.cleaned_data["code"],
                email=form.cleaned_data["email"],
                phone=form.cleaned_data.get("phone") or "",
            )
            if draft is not None:
                return redirect(restore_draft(request, draft))
            form.add_error(
                None,
                (
                    _(
                        "We could not find a saved report with that code and email address "
                        "or phone number. Check them and try again. Saved reports are kept "
                        "for %(days)d days."
                    )
                    if email_optional
                    else _(
                        "We could not find a saved report with that code and email address. "
                        "Check both and try again. Saved reports are kept for %(days)d days."
                    )
                )
                % {"days": settings.DRAFT_RETENTION_DAYS},
            )
    return render(
        request,
        "reports/resume.html",
        {
            "form": form,
            "email_optional": email_optional,
            "error_list": error_summary(form) if form.is_bound else [],
        },
    )


@never_cache
@require_GET
def resume_link(request, token: str):
    """The link in the "saved" email: it was sent to the resident's own address."""
    draft = drafts.draft_for_link(token)
    if draft is None:
        messages.warning(
            request, _("That link has expired or is not valid. Enter your resume code instead.")
        )
        return redirect("reports:resume")
    return redirect(restore_draft(request, draft))


@never_cache
@require_GET
@ratelimit.ratelimit("keepalive", methods=("GET",))
def keepalive(request):
    """Called by the page's "Stay on this page" button: touching the session resets its
    inactivity clock. Only a report in progress has a session worth keeping: any other
    visitor gets no session (and costs no database write)."""
    session = ReportSession(request.session)
    if not any(session.latest_open_draft(slug) for slug in REPORT_TYPES):
        return JsonResponse({"ok": False})
    session.keep_alive(every=0)
    return JsonResponse({"ok": True})
