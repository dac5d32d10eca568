"""Staff sign-in: password (with django-axes lockout), then a TOTP code (django-otp).

A new staff member enrols on first sign-in: scan the QR code, confirm a code, keep the
recovery codes shown once. Every step is written to the audit log (reports.audit).
"""

from __future__ import annotations

import base64
import math
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ereport.forms import UswdsForm
from ereport.middleware import STARTED
from ereport.ratelimit import ratelimit
from ereport.signals import second_factor_failed, second_factor_passed

RECOVERY_CODES = 10


class LoginForm(UswdsForm):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("Password"), max_length=1024, widget=forms.PasswordInput
    )


class CodeForm(UswdsForm):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


# Where each role works. Staff who may do both choose (staff:choose).
CLERK_PERMISSION = "reports.review_report"
OFFICER_PERMISSION = "reports.download_casefile"
QUEUE_URL = "admin:reports_report_changelist"
PORTAL_URL = "reports:officer_search"


def _next_url(request) -> str:
    """The page the member of staff asked for, if it is ours; "" when none was asked."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


def landing_url(user) -> str:
    """Where a member of staff starts after signing in: clerks and supervisors on the
    queue, officers on their portal, staff who may do both choose, others the admin."""
    clerk = user.has_perm(CLERK_PERMISSION)
    officer = user.has_perm(OFFICER_PERMISSION)
    if clerk and officer:
        return reverse("staff:choose")
    if clerk:
        return reverse(QUEUE_URL)
    if officer:
        return reverse(PORTAL_URL)
    return reverse("admin:index")


def _after_sign_in(request, device) -> str:
    otp_login(request, device)
    second_factor_passed.send(
        sender=mfa_view,
        request=request,
        user=request.user,
        device_kind="recovery code" if isinstance(device, StaticDevice) else "authenticator app",
    )
    return _next_url(request) or landing_url(request.user)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit("staff_login")
def login_view(request):
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None and user.is_staff:
            login(request, user)  # rotates the session key
            request.session[STARTED] = time.time()
            target = _next_url(request)
            return redirect(
                f"/staff/mfa/?{urlencode({'next': target})}" if target else "/staff/mfa/"
            )
        form.add_error(None, _("The username or password is not right."))
    return render(request, "staff/login.html", {"form": form, "next": _next_url(request)})


def _totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _verify(user, code: str):
    """The confirmed device this code belongs to (TOTP, or a one-use recovery code)."""
    code = code.strip().replace(" ", "")
    totp = _totp(user)
    # verify_token refuses a code that was already used (django-otp keeps last_t).
    if totp and totp.verify_token(code):
        return totp
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def _throttled_for(user) -> int:
    """Seconds until django-otp accepts another code from this user's app (it doubles
    the wait after each wrong code); 0 when a code may be tried now."""
    totp = _totp(user)
    if totp is None:
        return 0
    allowed, details = totp.verify_is_allowed()
    if allowed or not details or not details.get("locked_until"):
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_view(request):
    user = request.user
    if not user_has_device(user):
        target = _next_url(request)
        return redirect(
            f"/staff/mfa/setup/?{urlencode({'next': target})}" if target else "/staff/mfa/setup/"
        )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # A recovery code still works while the app's codes are throttled.
        wait = _throttled_for(user) if code.strip().isdigit() else 0
        device = None if wait else _verify(user, code)
        if wait:
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(n)d second, then enter the newest code.",
                    "Too many wrong codes. Wait %(n)d seconds, then enter the newest code.",
                    wait,
                )
                % {"n": wait},
            )
        elif device is not None:
            return redirect(_after_sign_in(request, device))
        else:
            second_factor_failed.send(sender=mfa_view, request=request, user=user)
            form.add_error(
                "code", _("That code is not right or was already used. Try the next one.")
            )
    return render(request, "staff/mfa.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup_view(request):
    user = request.user
    if user_has_device(user):
        return redirect("staff:mfa")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            static, _created = StaticDevice.objects.get_or_create(
                user=user, name="Recovery codes", defaults={"confirmed": True}
            )
            static.token_set.all().delete()
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
            for code in codes:
                static.token_set.create(token=code)
            return render(
                request,
                "staff/recovery_codes.html",
                {"codes": codes, "next": _after_sign_in(request, device)},
            )
        second_factor_failed.send(sender=mfa_setup_view, request=request, user=user)
        form.add_error("code", _("That code is not right. Check your phone's clock and try again."))
    import segno  # only enrolment draws QR codes

    qr = segno.make(device.config_url, micro=False)
    qr_data_uri = (
        "data:image/svg+xml;base64," + base64.b64encode(qr.svg_inline(scale=4).encode()).decode()
    )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "staff/mfa_setup.html",
        {
            "form": form,
            "qr_data_uri": qr_data_uri,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": _next_url(request),
        },
    )


@never_cache
@require_GET
def choose_view(request):
    """For staff who are both records clerks and officers: where to start."""
    user = request.user
    if not (user.is_authenticated and user.is_verified()):
        return redirect("staff:login")
    return render(
        request,
        "staff/choose.html",
        {
            "queue_url": reverse(QUEUE_URL) if user.has_perm(CLERK_PERMISSION) else "",
            "portal_url": reverse(PORTAL_URL) if user.has_perm(OFFICER_PERMISSION) else "",
        },
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("staff:login")


app_name = "staff"
urlpatterns = [
    path("login/", login_view, name="login"),
    path("mfa/", mfa_view, name="mfa"),
    path("mfa/setup/", mfa_setup_view, name="mfa_setup"),
    path("start/", choose_view, name="choose"),
    path("logout/", logout_view, name="logout"),
]
