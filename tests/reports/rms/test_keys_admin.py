"""Supervisors make, name, see and revoke records-system keys in the admin: the key is
shown once and kept only as its hash."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports.models import AccessLog, ApiKey
from tests.reports.rms.helpers import rms_client
from tests.security import make_staff, signed_in

pytestmark = pytest.mark.django_db

KEY = re.compile(r"erk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


def test_a_supervisor_makes_a_key_that_is_shown_once_and_stored_hashed():
    supervisor = signed_in(make_staff("supervisor", password=None), 31)

    response = supervisor.post(
        reverse("admin:reports_apikey_add"), {"name": "Hennepin County RMS"}, follow=True
    )

    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    key = KEY.search(shown).group(0)
    api_key = ApiKey.objects.get(name="Hennepin County RMS")
    assert api_key.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiKey.objects.values().get())
    assert api_key.created_by.username.startswith("supervisor.")
    listing = supervisor.get(reverse("admin:reports_apikey_changelist")).content.decode()
    assert api_key.prefix in listing and key not in listing
    page = supervisor.get(reverse("admin:reports_apikey_change", args=[api_key.pk]))
    assert key not in page.content.decode()
    assert api_key.key_hash not in page.content.decode()


def test_the_revoke_action_stops_the_key_at_once():
    client, _key, api_key = rms_client("Old RMS")
    assert client.get("/api/rms/v1/reports/").status_code == 200
    supervisor = signed_in(make_staff("supervisor", password=None), 32)

    supervisor.post(
        reverse("admin:reports_apikey_changelist"),
        {"action": "revoke", "_selected_action": [api_key.pk]},
    )

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert client.get("/api/rms/v1/reports/").status_code == 401
    assert AccessLog.objects.filter(action="api_key_change", detail__contains="revoked").exists()


@pytest.mark.parametrize(("role", "status"), [("clerk", 403), ("officer", 403)])
def test_only_supervisors_manage_keys(role, status):
    staff = signed_in(make_staff(role, password=None), 33)

    assert staff.get(reverse("admin:reports_apikey_add")).status_code == status


def test_keys_cannot_be_deleted_so_the_audit_log_keeps_naming_them():
    _client, _key, api_key = rms_client()
    superuser = signed_in(make_staff("superuser", password=None), 34)

    response = superuser.get(reverse("admin:reports_apikey_delete", args=[api_key.pk]))

    assert response.status_code == 403
