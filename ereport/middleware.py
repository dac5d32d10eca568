"""Site-wide request policies: security headers, and the staff session rules."""

from __future__ import annotations

import time
from dataclasses import asdict
from urllib.parse import urlencode

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
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


class ConstantCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, building the site's policy once per process.

    No page asks for a policy of its own (no nonce, no csp decorator), so the header is
    the same on every response; django-csp builds it afresh each time (a dataclass copied
    to a dict, every directive joined), profiled at a tenth of the home page's time. A
    response that does ask for its own (a decorator, a nonce) goes through django-csp.
    """

    _CUSTOM = ("_csp_config", "_csp_update", "_csp_replace")

    @cached_property
    def _headers(self) -> tuple[str, str]:
        return (
            build_policy(**asdict(PolicyParts())),
            build_policy(**asdict(PolicyParts()), report_only=True),
        )

    def process_response(self, request, response):
        custom = getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name + suffix, None) is not None
            for name in self._CUSTOM
            for suffix in ("", "_ro")
        )
        if custom or (response.status_code in (404, 500) and settings.DEBUG):
            return super().process_response(request, response)
        enforced, report_only = self._headers
        for header, value, exempt, setting in (
            (HEADER, enforced, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (
                HEADER_REPORT_ONLY,
                report_only,
                "_csp_exempt_ro",
                "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            ),
        ):
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = value
        if getattr(request, "_csp_nonce", None) is None:
            # As django-csp: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


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
        # Only a signed-in person's session holds a user id: a resident's request does not
        # load a user and a second factor it cannot have (a twentieth of a wizard step's
        # calls).
        if SESSION_KEY not in getattr(request, "session", ()):
            return self.get_response(request)
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
