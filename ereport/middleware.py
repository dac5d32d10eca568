"""Site-wide request policies: security headers, and the staff session rules."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED = "staff:started"
LAST_SEEN = "staff:last_seen"
# Writing the session on every request would cost a query each: once a minute is
# precise enough for a 30-minute idle limit.
_LAST_SEEN_RESOLUTION = 60
# Staff areas: reachable only after the second factor (TOTP) was checked.
MFA_AREAS = ("/admin/", "/officer/")
MFA_EXEMPT = ("/admin/login/", "/admin/logout/")
# Where staff sign in and work: their forms never carry a NUL character.
STAFF_AREAS = ("/admin/", "/officer/", "/staff/")


class SecurityHeadersMiddleware:
    """Headers Django has no setting for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RefuseNulMiddleware:
    """A NUL character has no place in an address, a parameter's name or a staff form,
    and PostgreSQL cannot store or even compare it: such a request gets the "could not
    read that request" page before any view passes it to a query. (Residents' form
    fields refuse NUL with their own message; see ereport.forms and the draft storage.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                # A records system reads JSON errors, as the API's schema documents.
                return JsonResponse(
                    {"detail": "The request holds a NUL character, which is not allowed."},
                    status=400,
                )
            return render(request, "errors/400.html", status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or _nul_in(request.GET, values=True):
        return True
    if request.method != "POST":
        return False
    return _nul_in(request.POST, values=request.path.startswith(STAFF_AREAS))


def _nul_in(params, *, values: bool) -> bool:
    for key, items in params.lists():
        if "\x00" in key or (values and any("\x00" in item for item in items)):
            return True
    return False


class StaffSessionMiddleware:
    """Staff sessions lock after STAFF_IDLE_TIMEOUT_SECONDS without a request and end
    STAFF_MAX_SESSION_SECONDS after sign-in, whatever happens (CJIS AC-11, AC-12).
    Staff areas also require the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            if (
                now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS
                or now - started > settings.STAFF_MAX_SESSION_SECONDS
            ):
                logout(request)
                messages.info(
                    request, _("For your security you were signed out. Please sign in again.")
                )
                return redirect(f"{reverse('staff:login')}?{urlencode({'next': request.path})}")
            if STARTED not in session:
                session[STARTED] = now
            if now - last_seen >= _LAST_SEEN_RESOLUTION or LAST_SEEN not in session:
                session[LAST_SEEN] = now
            if (
                request.path.startswith(MFA_AREAS)
                and not request.path.startswith(MFA_EXEMPT)
                and not user.is_verified()
            ):
                return redirect(f"{reverse('staff:mfa')}?{urlencode({'next': request.path})}")
        return self.get_response(request)
