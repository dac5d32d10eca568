"""The audit log (CJIS 5.4, ASVS V7.2): each event writes exactly one row with a UTC
time, the actor, the source address, the action and the object; rows can be neither
changed nor deleted, not even with SQL; supervisors read them in the admin, clerks do
not, and nobody edits them there."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from reports.models import AccessLog, CaseCopy
from tests.factories import AttachmentFactory, ReportFactory
from tests.security import (
    STAFF_PASSWORD,
    address,
    body_of,
    browser,
    make_staff,
    signed_in,
    totp_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated_files_and_fast_hashing(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }


@pytest.fixture
def report():
    """A report with a photo and a ready case copy, files stored."""
    report = ReportFactory()
    attachment = AttachmentFactory(report=report)
    default_storage.save(attachment.file.name, ContentFile(b"\xff\xd8\xff photo"))
    name = default_storage.save(f"casecopies/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.7"))
    CaseCopy.objects.create(
        report=report, version=1, state="ready", file=name, requested_at=timezone.now()
    )
    return report


def new_rows(before: set[int], action: str) -> list[AccessLog]:
    return list(AccessLog.objects.exclude(pk__in=before).filter(action=action))


def snapshot() -> set[int]:
    return set(AccessLog.objects.values_list("pk", flat=True))


def assert_one_row(before, action, *, user=None, username="", ip=None, report=None):
    rows = new_rows(before, action)
    assert len(rows) == 1, f"{action}: {len(rows)} rows"
    row = rows[0]
    assert row.at.utcoffset() == dt.timedelta(0)
    assert abs(timezone.now() - row.at) < dt.timedelta(minutes=1)
    if user is not None:
        assert row.user_id == user.pk, f"{action}: actor {row.user_id}, not {user.pk}"
    if username:
        assert row.username == username
    assert row.ip_address == ip, f"{action}: address {row.ip_address!r}, not {ip!r}"
    assert row.report_id == (report.pk if report else None)
    return row


# --- Sign-in events -----------------------------------------------------------------------


def sign_in(client, username, password=STAFF_PASSWORD):
    return client.post(reverse("staff:login"), {"username": username, "password": password})


def test_the_password_step_writes_password_accepted_and_no_sign_in_row():
    clerk = make_staff("clerk", "audit.login")
    before = snapshot()

    sign_in(browser(200), "audit.login")

    assert_one_row(before, AccessLog.Action.PASSWORD_ACCEPTED, user=clerk, ip=address(200))
    assert new_rows(before, AccessLog.Action.LOGIN) == []


def test_sign_in_is_written_once_the_second_factor_passes():
    clerk = make_staff("clerk", "audit.mfa")
    phone = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    client = browser(204)
    sign_in(client, "audit.mfa")
    before = snapshot()

    client.post(reverse("staff:mfa"), {"code": totp_code(phone)})

    assert_one_row(before, AccessLog.Action.LOGIN, user=clerk, ip=address(204))


def test_a_wrong_second_factor_code_writes_one_row():
    clerk = make_staff("clerk", "audit.badcode")
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    client = browser(205)
    sign_in(client, "audit.badcode")
    before = snapshot()

    client.post(reverse("staff:mfa"), {"code": "000000"})

    assert_one_row(before, AccessLog.Action.MFA_FAILED, user=clerk, ip=address(205))
    assert new_rows(before, AccessLog.Action.LOGIN) == []


def test_a_password_change_writes_one_row():
    clerk = make_staff("clerk", "audit.password")
    before = snapshot()

    clerk.set_password("a new long passphrase for the records desk")
    clerk.save()

    assert_one_row(before, AccessLog.Action.PASSWORD_CHANGE, user=clerk)


def test_an_officer_search_writes_one_row_with_the_query_redacted():
    officer = make_staff("officer", "audit.search")
    client = signed_in(officer, 206)
    before = snapshot()

    client.get(reverse("reports:officer_search"), {"q": "ana@example.org"})

    row = assert_one_row(before, AccessLog.Action.SEARCH, user=officer, ip=address(206))
    assert "[email]" in row.detail
    assert "ana@example.org" not in row.detail


def test_a_queue_search_writes_one_row():
    clerk = make_staff("clerk", "audit.queue")
    client = signed_in(clerk, 207)
    before = snapshot()

    client.get(reverse("admin:reports_report_changelist"), {"q": "SN-12345"})

    row = assert_one_row(before, AccessLog.Action.SEARCH, user=clerk, ip=address(207))
    assert "SN-12345" in row.detail


def test_a_failed_sign_in_writes_one_row_with_the_name_typed():
    make_staff("clerk", "audit.failure")
    before = snapshot()

    sign_in(browser(201), "audit.failure", "not the right password")

    assert_one_row(before, AccessLog.Action.LOGIN_FAILED, username="audit.failure", ip=address(201))


def test_signing_out_writes_one_row():
    clerk = make_staff("clerk", "audit.logout")
    client = browser(202)
    sign_in(client, "audit.logout")
    before = snapshot()

    client.post(reverse("staff:logout"))

    assert_one_row(before, AccessLog.Action.LOGOUT, user=clerk, ip=address(202))


def test_a_lockout_writes_one_row():
    make_staff("clerk", "audit.lockout")
    client = browser(203)
    before = snapshot()

    for _ in range(5):
        sign_in(client, "audit.lockout", "not the right password")

    row = assert_one_row(
        before, AccessLog.Action.LOCKOUT, username="audit.lockout", ip=address(203)
    )
    assert address(203) in row.detail
    assert len(new_rows(before, AccessLog.Action.LOGIN_FAILED)) == 5


# --- Account changes ------------------------------------------------------------------------


def test_adding_an_authenticator_writes_one_row_per_device_change():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    clerk = make_staff("clerk", "audit.mfa")
    client = browser(204)
    sign_in(client, "audit.mfa")
    before = snapshot()

    client.get(reverse("staff:mfa_setup"))
    added = new_rows(before, AccessLog.Action.MFA_CHANGE)
    device = TOTPDevice.objects.get(user=clerk)
    client.post(reverse("staff:mfa_setup"), {"code": totp_code(device)})
    confirmed = new_rows(before, AccessLog.Action.MFA_CHANGE)

    assert [r.detail for r in added] == ["TOTPDevice added"]
    assert sorted(r.detail for r in confirmed) == [
        "StaticDevice added",
        "TOTPDevice added",
        "TOTPDevice confirmed",
    ]
    for row in confirmed:
        assert row.user_id == clerk.pk
        assert row.ip_address == address(204), f"{row.detail}: no source address"


def user_change_form(user: User, groups: list[Group]) -> dict:
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in groups],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
    }


def test_a_group_change_in_the_admin_writes_one_row_naming_who_made_it():
    admin_user = make_staff("superuser", "audit.admin", password=None)
    admin_client = signed_in(admin_user, 205)
    clerk = make_staff("clerk", "audit.promoted", password=None)
    groups = [Group.objects.get(name="Clerks"), Group.objects.get(name="Supervisors")]
    before = snapshot()

    response = admin_client.post(
        reverse("admin:auth_user_change", args=[clerk.pk]), user_change_form(clerk, groups)
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(clerk.groups.values_list("name", flat=True)) == {"Clerks", "Supervisors"}
    row = assert_one_row(
        before, AccessLog.Action.PERMISSION_CHANGE, user=admin_user, ip=address(205)
    )
    assert "audit.promoted" in row.detail


# --- Report access ------------------------------------------------------------------------


def test_opening_a_report_in_the_admin_writes_one_row(report):
    clerk = make_staff("clerk", password=None)
    client = signed_in(clerk, 206)
    before = snapshot()

    response = client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert response.status_code == 200
    assert_one_row(before, AccessLog.Action.VIEW, user=clerk, ip=address(206), report=report)


DOWNLOADS = {
    "case copy, admin": ("clerk", "admin:reports_report_copy", AccessLog.Action.DOWNLOAD_COPY),
    "case copy, officers": ("officer", "reports:officer_copy", AccessLog.Action.DOWNLOAD_COPY),
    "attachment, admin": (
        "clerk",
        "admin:reports_report_attachment",
        AccessLog.Action.DOWNLOAD_ATTACHMENT,
    ),
    "attachment, officers": (
        "officer",
        "reports:officer_attachment",
        AccessLog.Action.DOWNLOAD_ATTACHMENT,
    ),
}


@pytest.mark.parametrize("download", DOWNLOADS)
def test_each_download_writes_one_row(report, download):
    role, view, action = DOWNLOADS[download]
    user = make_staff(role, password=None)
    client = signed_in(user, 207)
    args = [report.pk]
    if action == AccessLog.Action.DOWNLOAD_ATTACHMENT:
        args.append(report.attachments.get().pk)
    before = snapshot()

    response = client.get(reverse(view, args=args))

    assert response.status_code == 200
    body_of(response)
    assert_one_row(before, action, user=user, ip=address(207), report=report)


def test_an_export_writes_one_row(report):
    supervisor = make_staff("supervisor", password=None)
    client = signed_in(supervisor, 208)
    before = snapshot()

    response = client.get(reverse("admin:reports_report_export_all"))

    assert response.status_code == 200
    assert report.tracking_number in body_of(response).decode()
    row = assert_one_row(before, AccessLog.Action.EXPORT, user=supervisor, ip=address(208))
    assert "with personal data" in row.detail


def test_a_status_change_writes_one_row(report):
    clerk = make_staff("clerk", password=None)
    client = signed_in(clerk, 209)
    before = snapshot()

    client.post(
        reverse("admin:reports_report_workflow", args=[report.pk]), {"to_status": "in_review"}
    )

    report.refresh_from_db()
    assert report.status == "in_review"
    assert_one_row(
        before, AccessLog.Action.STATUS_CHANGE, user=clerk, ip=address(209), report=report
    )


def test_a_status_change_by_the_bulk_claim_action_writes_one_row_per_report(report):
    clerk = make_staff("clerk", password=None)
    client = signed_in(clerk, 210)
    before = snapshot()

    client.post(
        reverse("admin:reports_report_changelist"),
        {"action": "claim_selected", "_selected_action": [str(report.pk)]},
    )

    report.refresh_from_db()
    assert report.status == "in_review"
    assert_one_row(
        before, AccessLog.Action.STATUS_CHANGE, user=clerk, ip=address(210), report=report
    )


def test_audit_times_are_stored_with_their_time_zone():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'reports_accesslog' AND column_name = 'at'"
        )
        (data_type,) = cursor.fetchone()

    assert data_type == "timestamp with time zone"


# --- Append-only, even for SQL --------------------------------------------------------------

TAMPERING = {
    "UPDATE": "UPDATE reports_accesslog SET action = 'view', username = 'nobody' WHERE id = %s",
    "DELETE": "DELETE FROM reports_accesslog WHERE id = %s",
}


@pytest.mark.parametrize("statement", TAMPERING)
def test_the_database_refuses_to_change_or_remove_audit_rows(statement):
    row = AccessLog.objects.create(
        at=timezone.now(), username="someone", action=AccessLog.Action.LOGIN_FAILED
    )
    sql = TAMPERING[statement]

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [row.pk] if "%s" in sql else None)

    row.refresh_from_db()
    assert (row.action, row.username) == (AccessLog.Action.LOGIN_FAILED, "someone")


def test_the_orm_cannot_delete_audit_rows_either():
    row = AccessLog.objects.create(at=timezone.now(), action=AccessLog.Action.LOGOUT)

    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).delete()

    assert AccessLog.objects.filter(pk=row.pk).exists()


# --- The audit log in the admin ---------------------------------------------------------------


def test_supervisors_read_the_audit_log_and_clerks_do_not():
    AccessLog.objects.create(
        at=timezone.now(), username="visible.entry", action=AccessLog.Action.LOGIN_FAILED
    )
    supervisor = signed_in(make_staff("supervisor", password=None), 211)
    clerk = signed_in(make_staff("clerk", password=None), 212)
    changelist = reverse("admin:reports_accesslog_changelist")

    as_supervisor = supervisor.get(changelist)
    as_clerk = clerk.get(changelist)

    assert as_supervisor.status_code == 200
    assert "visible.entry" in as_supervisor.content.decode()
    assert as_clerk.status_code == 403
    assert "visible.entry" not in as_clerk.content.decode()


@pytest.mark.parametrize("role", ["supervisor", "superuser"])
def test_nobody_changes_adds_or_deletes_audit_rows_in_the_admin(role):
    row = AccessLog.objects.create(
        at=timezone.now(), username="kept.entry", action=AccessLog.Action.LOGIN_FAILED
    )
    client = signed_in(make_staff(role, password=None), 213)

    change = client.post(
        reverse("admin:reports_accesslog_change", args=[row.pk]),
        {"username": "changed", "action": "view", "at_0": "2020-01-01", "at_1": "00:00"},
    )
    delete = client.post(reverse("admin:reports_accesslog_delete", args=[row.pk]), {"post": "yes"})
    add = client.get(reverse("admin:reports_accesslog_add"))
    bulk = client.post(
        reverse("admin:reports_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    page = client.get(reverse("admin:reports_accesslog_change", args=[row.pk])).content.decode()

    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert bulk.status_code in (200, 302)
    assert 'name="_save"' not in page
    assert "deletelink" not in page
    row.refresh_from_db()
    assert row.username == "kept.entry"


def test_a_password_rehashed_at_sign_in_is_not_a_password_change(settings):
    # Django rehashes a stored password at sign-in when the hasher's settings change (a
    # Django upgrade raises the iterations): the password is the same, so no row.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clerk = make_staff("clerk", "audit.rehash")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    before = snapshot()

    sign_in(browser(208), "audit.rehash")

    clerk.refresh_from_db()
    assert clerk.password.startswith("pbkdf2_")  # it was rehashed
    assert new_rows(before, AccessLog.Action.PASSWORD_CHANGE) == []
