"""Security tests (CJIS and OWASP ASVS L2): staff sign-in, sessions, least privilege,
abuse controls, headers, logs, retention, audit, secrets, hostile input and escaping.

Shared helpers live here. Every browser gets its own client address (203.0.113.N, a
documentation range) so that rate-limit counters and lockouts never mix between
tests or between concurrent runs.
"""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

STAFF_PASSWORD = "correct horse battery staple 42"

# Role name -> the group the data migration made (None: a superuser).
STAFF_ROLES = {
    "clerk": "Clerks",
    "officer": "Officers",
    "supervisor": "Supervisors",
    "superuser": None,
}


def address(n: int) -> str:
    return f"203.0.113.{n}"


_HANDLER = None


def browser(n: int) -> Client:
    """A browser at its own client address.

    Browsers share one request handler: each new handler builds the middleware chain
    on its first request, and WhiteNoise then indexes every static file (0.5 s or more
    a browser). The handler keeps no per-browser state; cookies stay per browser. (A
    test that overrides MIDDLEWARE needs a Client of its own.)"""
    global _HANDLER
    client = Client(REMOTE_ADDR=address(n))
    if _HANDLER is None:
        _HANDLER = client.handler
    client.handler = _HANDLER
    return client


def make_staff(
    role: str, username: str | None = None, *, password: str | None = STAFF_PASSWORD
) -> User:
    """A member of staff in the role's group (or a superuser), with a password (None: no
    usable password, for browsers signed in with force_login; hashing takes time)."""
    username = username or f"{role}.{uuid.uuid4().hex[:6]}"
    group = STAFF_ROLES[role]
    user = User.objects.create_user(
        username,
        f"{username}@police.example",
        password,
        is_staff=True,
        is_superuser=group is None,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def signed_in(user: User, n: int, *, second_factor: bool = True) -> Client:
    """A browser signed in as `user`, past the second factor unless told otherwise (as
    tests/reports/test_clerk_admin.py does it)."""
    client = browser(n)
    client.force_login(user)
    if second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def totp_code(device) -> str:
    """The code an authenticator app shows now for `device` (computed from its key)."""
    from django_otp.oath import totp

    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def login_path() -> str:
    return reverse("staff:login")


def redirect_path(response) -> str:
    return urlparse(response["Location"]).path


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (20, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def file_report(client, report_type: str = "theft", overrides=None, *, photo: bool = False):
    """File a report through the real pages (screening, every step, final submit) and
    return it."""
    from reports.models import Report
    from reports.registry import REPORT_TYPES
    from tests.reports.wizard_data import pass_screening, step_post, step_url

    overrides = overrides or {}
    before = set(Report.objects.values_list("pk", flat=True))
    pass_screening(client, report_type)
    client.get(reverse("reports:start", args=[report_type]))
    response = None
    for step in REPORT_TYPES[report_type].steps:
        client.get(step_url(client, report_type, step))
        data = step_post(report_type, step, overrides.get(step))
        if step == "attachments" and photo:
            data["upload"] = SimpleUploadedFile("bike.png", png_bytes(), "image/png")
        response = client.post(step_url(client, report_type, step), data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    assert response["Location"] == reverse("reports:confirmation")
    return Report.objects.exclude(pk__in=before).get()


def about(first: str, last: str, email: str) -> dict[str, str]:
    from tests.reports.wizard_data import STEP_DATA

    return {**STEP_DATA["about_you"], "first_name": first, "last_name": last, "email": email}


def text_of(response) -> str:
    """A page as a person reads it (tags dropped, entities decoded)."""
    from tests.reports.wizard_data import visible_text

    return visible_text(response.content.decode())


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def private_cache(settings_fixture) -> None:
    """Point the cache at a Redis database of its own, under a key prefix of its own.

    The suite's cache is shared by concurrent runs, each of which flushes it before every
    test: a rate-limit counter there may vanish mid-test. Tests that count requests use
    this instead (same backend, same server; nobody else flushes it)."""
    base = urlparse(settings.REDIS_URL or "redis://127.0.0.1:6379/1")
    settings_fixture.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": base._replace(path="/13").geturl(),
            "KEY_PREFIX": f"security-{uuid.uuid4().hex}",
        }
    }


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


RECOVERY_CODE = re.compile(r"<li><code>([^<]+)</code></li>")


# --- A small world for walking every URL: one filed report and one of each role -------

ROLES = ("anonymous", "resident", "clerk", "officer", "supervisor", "superuser")


class World:
    """One theft filed through the pages by a resident (with a photo, its case copy
    made), a saved draft, and a browser for each role; staff are past the second factor."""

    def __init__(self, capture_on_commit, first_address: int):
        from reports.copies import casefiles
        from reports.filing import drafts
        from reports.models import CaseCopy

        self.clients = {"anonymous": browser(first_address), "resident": browser(first_address + 1)}
        with capture_on_commit(execute=True):
            self.report = file_report(self.clients["resident"], photo=True)
        assert CaseCopy.objects.get(report=self.report).state == "ready"
        self.attachment = self.report.attachments.get()
        self.copy_token = casefiles.signed_copy_token(self.report)
        draft = drafts.draft_autosave(
            draft_id=str(uuid.uuid4()),
            report_type="theft",
            data={"step": "about_you", "step_data": {}, "step_files": {}, "extra_data": {}},
            screening={"outcome": "eligible", "answers": {"report_type": "theft"}},
            email="draft.owner@example.org",
        )
        self.resume_token = drafts.resume_link_token(draft)
        for offset, role in enumerate(("clerk", "officer", "supervisor", "superuser"), 2):
            user = make_staff(role, password=None)
            self.clients[role] = signed_in(user, first_address + offset)


def answer(response) -> str:
    """How a page answered, as the URL table writes it: a status code, "L" for a
    redirect to a sign-in page, "MFA" for one to the second factor, "R" for any other
    redirect."""
    if getattr(response, "streaming", False):
        # Read to the end: the test client then closes it without closing the database
        # connection (response.close() alone would fire request_finished).
        b"".join(response.streaming_content)
    if response.status_code in (301, 302, 303, 307):
        path = redirect_path(response)
        if path in (reverse("staff:login"), reverse("admin:login")):
            return "L"
        if path == reverse("staff:mfa"):
            return "MFA"
        return "R"
    return str(response.status_code)
