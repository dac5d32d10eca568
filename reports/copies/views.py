"""The public page that tells whether a case copy is genuine."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ereport.forms import error_summary
from ereport.ratelimit import ratelimit
from reports.copies import casefiles
from reports.copies.forms import VerifyForm


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("verify")
def verify(request):
    """Anyone (an insurer, say) checks a copy's code: genuine or not, and nothing personal."""
    form = VerifyForm(request.POST if request.method == "POST" else None)
    copy = None
    if request.method == "POST" and form.is_valid():
        copy = casefiles.copy_for_verification(form.cleaned_data["code"])
        if copy is None:
            form.add_error(
                "code",
                _("We could not find a case copy with that code. Check the code and try again."),
            )
    return render(
        request,
        "reports/verify.html",
        {"form": form, "copy": copy, "error_list": error_summary(form) if form.is_bound else []},
    )
