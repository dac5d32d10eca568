"""The officers' portal: search reports, read one, download its case copy.

Every page needs the reports.download_casefile permission (the Officers group); every
report view and download goes through the access funnel, which writes the access log.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ereport.forms import UswdsForm
from reports import audit
from reports.copies.casefiles import casefile_context, current_copy
from reports.models import REPORT_TYPE_CHOICES, AccessLog
from reports.review import selectors
from reports.storage import private_file_response

PERMISSION = "reports.download_casefile"


def officer_required(view):
    # Anonymous visitors (residents included) go to the login page; signed-in staff
    # without the permission get 403.
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


class SearchForm(UswdsForm):
    q = forms.CharField(
        label=_("Tracking number, case number, name, serial number or plate"),
        required=False,
        max_length=100,
    )
    report_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *REPORT_TYPE_CHOICES]
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@never_cache
@require_GET
@officer_required
def search(request):
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid() and any(form.cleaned_data.values()):
        results = selectors.reports_search(
            text=form.cleaned_data["q"],
            report_type=form.cleaned_data["report_type"],
            submitted_from=form.cleaned_data["submitted_from"],
            submitted_to=form.cleaned_data["submitted_to"],
        )
        page = Paginator(results, 25).get_page(request.GET.get("page"))
        audit.record_search(request=request, query=form.cleaned_data, where="officer portal")
    return render(request, "reports/officer/search.html", {"form": form, "page": page})


@never_cache
@require_GET
@officer_required
def detail(request, report_id):
    report = selectors.report_for_staff(
        request=request, report_id=report_id, action=AccessLog.Action.VIEW
    )
    if report is None:
        raise Http404
    return render(
        request,
        "reports/officer/detail.html",
        {
            "report": report,
            "copy": current_copy(report),
            **casefile_context(report),
        },
    )


@never_cache
@require_GET
@officer_required
def download_copy(request, report_id) -> FileResponse:
    report = selectors.report_for_staff(
        request=request, report_id=report_id, action=AccessLog.Action.DOWNLOAD_COPY
    )
    copy = current_copy(report) if report else None
    if copy is None:
        raise Http404
    return private_file_response(copy.file.name, f"{report.tracking_number}.pdf", "application/pdf")


@never_cache
@require_GET
@officer_required
def download_attachment(request, report_id, attachment_id) -> FileResponse:
    report = selectors.report_for_staff(
        request=request, report_id=report_id, action=AccessLog.Action.DOWNLOAD_ATTACHMENT
    )
    attachment = report.attachments.filter(pk=attachment_id).first() if report else None
    if attachment is None:
        raise Http404
    return private_file_response(
        attachment.file.name, attachment.display_name, attachment.content_type
    )
