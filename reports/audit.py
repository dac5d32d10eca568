"""Audit entries for events that happen outside our own code paths: sign-ins and
failures (Django auth), lockouts (django-axes), changes to two-step devices
(django-otp) and to staff permissions. Report views, downloads, exports and status
changes are written where they happen (reports.selectors, reports.admin).

Receivers only record: they never change what they observe.
"""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from ereport.http import client_ip
from ereport.logging import redact
from ereport.signals import second_factor_failed, second_factor_passed
from reports.models import AccessLog

logger = logging.getLogger(__name__)
User = get_user_model()


def _ip(request) -> str | None:
    if request is None:
        return None
    return client_ip(request)


def _current_request():
    # django-simple-history's middleware keeps the request being served; receivers of
    # model signals use it to name who made a change, and from where.
    return getattr(HistoricalRecords.context, "request", None)


def _actor(request):
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def record(
    *, action: str, user=None, username: str = "", request=None, report=None, detail: str = ""
) -> None:
    """Write one audit row. An audit failure is logged, never raised to the user."""
    request = request or _current_request()
    try:
        AccessLog.objects.create(
            at=timezone.now(),
            user=user if getattr(user, "pk", None) else None,
            username=(username or getattr(user, "username", ""))[:150],
            report=report,
            action=action,
            ip_address=_ip(request),
            detail=detail[:300],
        )
    except Exception:
        logger.exception("could not write audit entry %s", action)


def record_search(*, request, query: dict | str, where: str) -> None:
    """One row per staff search, with what was searched for. The query is redacted the
    way logs are (emails, phone numbers, dates, names become placeholders): the row says
    that a search happened and of what kind, without copying personal data again."""
    if isinstance(query, dict):
        text = "; ".join(f"{key}={value}" for key, value in query.items() if value)
    else:
        text = query
    record(
        action=AccessLog.Action.SEARCH,
        user=_actor(request),
        request=request,
        detail=f"{where}: {redact(text.strip())}",
    )


@receiver(user_logged_in)
def _password_accepted(sender, request, user, **kwargs):
    # Django's login() runs at the password step: the session is not signed in yet.
    record(action=AccessLog.Action.PASSWORD_ACCEPTED, user=user, request=request)


@receiver(second_factor_passed)
def _signed_in(sender, request, user, device_kind, **kwargs):
    record(action=AccessLog.Action.LOGIN, user=user, request=request, detail=device_kind)


@receiver(second_factor_failed)
def _second_factor_failed(sender, request, user, **kwargs):
    record(action=AccessLog.Action.MFA_FAILED, user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    record(action=AccessLog.Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(
        action=AccessLog.Action.LOGIN_FAILED,
        username=str(credentials.get("username", "")),
        request=request,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(
        action=AccessLog.Action.LOCKOUT,
        username=username or "",
        request=request,
        detail=f"locked out from {ip_address}",
    )


def _who(instance_user) -> tuple:
    """(actor, detail prefix): the signed-in person making the change, and whose account
    it is when that is someone else (an admin changing a clerk's account)."""
    actor = _actor(_current_request()) or instance_user
    owner = "" if actor == instance_user else f"account {instance_user.username}: "
    return actor, owner


@receiver(post_save, sender=TOTPDevice)
@receiver(post_save, sender=StaticDevice)
def _device_saved(sender, instance, created, **kwargs):
    if created or "confirmed" in (kwargs.get("update_fields") or ()):
        actor, owner = _who(instance.user)
        record(
            action=AccessLog.Action.MFA_CHANGE,
            user=actor,
            detail=f"{owner}{sender.__name__} {'added' if created else 'confirmed'}",
        )


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=StaticDevice)
def _device_deleted(sender, instance, **kwargs):
    actor, owner = _who(instance.user)
    record(
        action=AccessLog.Action.MFA_CHANGE, user=actor, detail=f"{owner}{sender.__name__} removed"
    )


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _permissions_changed(sender, instance, action, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, User):
        what = "groups" if sender is User.groups.through else "permissions"
        actor, owner = _who(instance)
        record(
            action=AccessLog.Action.PERMISSION_CHANGE,
            user=actor,
            detail=f"{owner}{what} {action.removeprefix('post_')} {sorted(pk_set or [])}",
        )


_PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "is_active")


@receiver(pre_save, sender=User)
def _remember_privileges(sender, instance, **kwargs):
    if instance.pk:
        instance._audit_before = (
            User.objects.filter(pk=instance.pk).values(*_PRIVILEGE_FIELDS, "password").first()
        )


@receiver(post_save, sender=User)
def _privileges_changed(sender, instance, created, **kwargs):
    before = getattr(instance, "_audit_before", None)
    if created or not before:
        return
    rehash_only = kwargs.get("update_fields") == frozenset({"password"}) and getattr(
        _current_request(), "path", ""
    ).startswith("/staff/login")
    if before["password"] != instance.password and not rehash_only:
        # The hash changes when the password does (set by the member of staff, or by an
        # administrator); the hash itself is never written anywhere.
        actor, owner = _who(instance)
        record(action=AccessLog.Action.PASSWORD_CHANGE, user=actor, detail=owner.strip())
    changed = [
        f"{f}={getattr(instance, f)}"
        for f in _PRIVILEGE_FIELDS
        if before[f] != getattr(instance, f)
    ]
    if changed:
        actor, owner = _who(instance)
        record(
            action=AccessLog.Action.PERMISSION_CHANGE, user=actor, detail=owner + ", ".join(changed)
        )
