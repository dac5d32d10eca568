"""The clerks' download of a report's NIBRS XML (linked from the admin's report page):
records staff past the second factor, every download in the audit log."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ereport.http import client_ip
from reports.models import AccessLog, Report
from reports.nibrs.export import NibrsUnavailable, nibrs_document

PERMISSION = "reports.review_report"


def clerk_required(view):
    # Anonymous visitors go to the login page; staff without the permission get 403.
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


@never_cache
@require_GET
@clerk_required
def nibrs_download(request, report_id):
    if not request.user.is_verified():
        # Signed in without the second factor yet: the code page first, then back here.
        return redirect(f"{reverse('staff:mfa')}?{urlencode({'next': request.path})}")
    report = Report.objects.filter(pk=report_id).prefetch_related("items", "accounts").first()
    if report is None:
        raise Http404
    AccessLog.objects.create(
        at=timezone.now(),
        user=request.user,
        report=report,
        action=AccessLog.Action.DOWNLOAD_NIBRS,
        ip_address=client_ip(request),
    )
    try:
        content = nibrs_document(report)
    except NibrsUnavailable as why:
        # The admin's report page shows why beforehand (nibrs_check); say it here too.
        return HttpResponse(str(why), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{report.tracking_number}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
