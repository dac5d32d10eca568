from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from screening.session import ScreeningSession


@require_GET
def start(request, report_type: str):
    if ScreeningSession(request.session).eligible_decision_for(report_type) is None:
        messages.warning(
            request,
            _("Please answer the screening questions first, so we know this can be reported online."),
        )
        return redirect("screening:start")
    return redirect("screening:result")
