"""Least privilege: every URL the site has, opened by each role, answers as the table
says. A new URL without an entry in the table fails the test: decide who may open it.

Roles: an anonymous visitor; a resident whose session filed a report; a records clerk,
an officer, a supervisor and a superuser (staff all past the second factor).

Answers: a status code; "L" a redirect to a sign-in page; "MFA" one to the code page;
"R" any other redirect (to
the screening, the status lookup, the dashboard...).
"""

from __future__ import annotations

import uuid

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import ROLES, World, answer

pytestmark = pytest.mark.django_db

ALL_200 = "200 200 200 200 200 200"
ALL_R = "R R R R R R"
OFFICERS_ONLY = "L L 403 200 403 200"
RECORDS_STAFF = "L L 200 403 200 200"
SUPERUSER_ONLY = "L L 403 403 403 200"
NO_API_KEY = "401 401 401 401 401 401"
SOMEONES_DRAFT = uuid.uuid4()


def _report(view: str):
    return lambda w: reverse(view, args=[w.report.pk])


def _attachment(view: str):
    return lambda w: reverse(view, args=[w.report.pk, w.attachment.pk])


def _plain(view: str, *args):
    return lambda w: reverse(view, args=args)


# name -> (how to build the path, answers for: anonymous resident clerk officer
# supervisor superuser). Walked in this order: the resume link, which restores a draft
# into the browser's session, comes last.
URL_TABLE: dict[str, tuple] = {
    # Residents' pages: open to everyone, and about the visitor's own session only.
    "screening:home": (_plain("screening:home"), ALL_200),
    "screening:start": (_plain("screening:start"), ALL_R),
    "screening:result": (_plain("screening:result"), ALL_R),
    "screening:question": (_plain("screening:question", "now"), ALL_200),
    # The agency's logo is public; this world's policy has none.
    "screening:agency_logo": (
        _plain("screening:agency_logo", "0123456789abcdef"),
        "404 404 404 404 404 404",
    ),
    "reports:start": (_plain("reports:start", "theft"), ALL_R),
    # A report's address opens it only in the browser that started or resumed it.
    "reports:wizard_start": (_plain("reports:wizard_start", "theft", SOMEONES_DRAFT), ALL_R),
    "reports:wizard": (_plain("reports:wizard", "theft", SOMEONES_DRAFT, "about_you"), ALL_R),
    "reports:wizard_latest": (_plain("reports:wizard_latest", "theft"), ALL_R),
    "reports:wizard_latest_step": (
        _plain("reports:wizard_latest_step", "theft", "about_you"),
        ALL_R,
    ),
    "reports:confirmation": (_plain("reports:confirmation"), "R 200 R R R R"),
    "reports:confirmation_copy": (_plain("reports:confirmation_copy"), "404 200 404 404 404 404"),
    "reports:signed_copy": (lambda w: reverse("reports:signed_copy", args=[w.copy_token]), ALL_200),
    "reports:draft_saved": (_plain("reports:draft_saved"), ALL_R),
    "reports:resume": (_plain("reports:resume"), ALL_200),
    "reports:keepalive": (_plain("reports:keepalive"), ALL_200),
    "reports:verify": (_plain("reports:verify"), ALL_200),
    "reports:status": (_plain("reports:status"), ALL_200),
    "reports:status_detail": (_plain("reports:status_detail"), ALL_R),
    "reports:supplement": (_plain("reports:supplement"), ALL_R),
    "privacy": (_plain("privacy"), ALL_200),
    "accessibility": (_plain("accessibility"), ALL_200),
    "healthz": (_plain("healthz"), ALL_200),
    "livez": (_plain("livez"), ALL_200),
    "switch_language": (_plain("switch_language", "es"), ALL_R),
    # Staff sign-in.
    "staff:login": (_plain("staff:login"), ALL_200),
    "staff:mfa": (_plain("staff:mfa"), "L L 200 200 200 200"),
    "staff:mfa_setup": (_plain("staff:mfa_setup"), "L L MFA MFA MFA MFA"),
    "staff:choose": (_plain("staff:choose"), "L L 200 200 200 200"),
    "staff:logout": (_plain("staff:logout"), "405 405 405 405 405 405"),
    # The officers' portal.
    "reports:officer_search": (_plain("reports:officer_search"), OFFICERS_ONLY),
    "reports:officer_detail": (_report("reports:officer_detail"), OFFICERS_ONLY),
    "reports:officer_copy": (_report("reports:officer_copy"), OFFICERS_ONLY),
    "reports:officer_attachment": (_attachment("reports:officer_attachment"), OFFICERS_ONLY),
    # The clerks' NIBRS download (the walked report is not approved yet: "409", why).
    "reports:nibrs_xml": (_report("reports:nibrs_xml"), "L L 409 403 409 409"),
    # The records-system API: an API key only, never a session ("401" for everyone here).
    "rms:report_list": (_plain("rms:report_list"), NO_API_KEY),
    "rms:report_pdf": (_report("rms:report_pdf"), NO_API_KEY),
    "rms:report_nibrs": (_report("rms:report_nibrs"), NO_API_KEY),
    "rms:report_attachment": (_attachment("rms:report_attachment"), NO_API_KEY),
    "rms:report_imported": (_report("rms:report_imported"), NO_API_KEY),
    "rms:schema": (_plain("rms:schema"), NO_API_KEY),
    # The records admin: our own views...
    "admin:index": (_plain("admin:index"), "L L R 200 R R"),
    "admin:login": (_plain("admin:login"), "L L L L L L"),
    "admin:dashboard": (_plain("admin:dashboard"), RECORDS_STAFF),
    "admin:reports_report_change": (_report("admin:reports_report_change"), RECORDS_STAFF),
    "admin:reports_report_copy": (_report("admin:reports_report_copy"), RECORDS_STAFF),
    "admin:reports_report_attachment": (
        _attachment("admin:reports_report_attachment"),
        RECORDS_STAFF,
    ),
    "admin:reports_report_export_all": (_plain("admin:reports_report_export_all"), RECORDS_STAFF),
    # (POST-only workflow buttons: a GET is "not found" for anyone signed in.)
    "admin:reports_report_workflow": (
        _report("admin:reports_report_workflow"),
        "L L 404 404 404 404",
    ),
    "admin:reports_report_note": (_report("admin:reports_report_note"), "L L 404 404 404 404"),
    "admin:reports_report_nibrs": (_report("admin:reports_report_nibrs"), "L L 404 404 404 404"),
    # ... and every registered model's list.
    "admin:reports_report_changelist": (_plain("admin:reports_report_changelist"), RECORDS_STAFF),
    # The agency's policy: supervisors edit it, nobody else sees it.
    "admin:screening_agencysettings_changelist": (
        _plain("admin:screening_agencysettings_changelist"),
        "L L 403 403 200 200",
    ),
    "admin:screening_policyversion_changelist": (
        _plain("admin:screening_policyversion_changelist"),
        "L L 403 403 200 200",
    ),
    "admin:reports_rejectionreason_changelist": (
        _plain("admin:reports_rejectionreason_changelist"),
        RECORDS_STAFF,
    ),
    "admin:reports_accesslog_changelist": (
        _plain("admin:reports_accesslog_changelist"),
        "L L 403 403 200 200",
    ),
    # Supervisors manage the records systems' keys (migration 0019).
    "admin:reports_apikey_changelist": (
        _plain("admin:reports_apikey_changelist"),
        "L L 403 403 200 200",
    ),
    "admin:auth_user_changelist": (_plain("admin:auth_user_changelist"), SUPERUSER_ONLY),
    "admin:auth_group_changelist": (_plain("admin:auth_group_changelist"), SUPERUSER_ONLY),
    "admin:otp_totp_totpdevice_changelist": (
        _plain("admin:otp_totp_totpdevice_changelist"),
        SUPERUSER_ONLY,
    ),
    "admin:otp_static_staticdevice_changelist": (
        _plain("admin:otp_static_staticdevice_changelist"),
        SUPERUSER_ONLY,
    ),
    # Supervisors unlock locked-out staff (migration 0011).
    "admin:axes_accessattempt_changelist": (
        _plain("admin:axes_accessattempt_changelist"),
        "L L 403 403 200 200",
    ),
    "admin:axes_accesslog_changelist": (_plain("admin:axes_accesslog_changelist"), SUPERUSER_ONLY),
    "admin:axes_accessfailurelog_changelist": (
        _plain("admin:axes_accessfailurelog_changelist"),
        "L L 403 403 200 200",
    ),
    # Last: restores a saved draft into the browser's session.
    "reports:resume_link": (lambda w: reverse("reports:resume_link", args=[w.resume_token]), ALL_R),
}

OUR_CODE = ("ereport.", "reports.", "screening.")


def url_patterns(patterns=None, namespace: str = ""):
    """(qualified name, pattern) for every named URL pattern, however deeply included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def must_be_in_table(name: str, pattern: URLPattern) -> bool:
    """Every URL but the admin's generic internals (add/change/delete/history pages of
    models, which the admin's permissions guard and the changelists stand for)."""
    if not name.startswith("admin:"):
        return True
    module = getattr(pattern.callback, "__module__", "") or ""
    return module.startswith(OUR_CODE) or name.endswith("_changelist")


def test_every_url_is_in_the_table():
    required = {name for name, pattern in url_patterns() if must_be_in_table(name, pattern)}

    assert required - set(URL_TABLE) == set(), "every URL must be in the table"
    assert set(URL_TABLE) - required == set(), "the table names URLs that no longer exist"


def test_every_model_in_the_admin_has_its_list_in_the_table():
    registered = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    }

    assert registered <= set(URL_TABLE)


def test_each_role_gets_exactly_the_answers_in_the_table(django_capture_on_commit_callbacks):
    world = World(django_capture_on_commit_callbacks, first_address=60)

    mismatches = []
    for name, (path_for, expected) in URL_TABLE.items():
        path = path_for(world)
        for role, wanted in zip(ROLES, expected.split(), strict=True):
            got = answer(world.clients[role].get(path))
            if got != wanted:
                mismatches.append(f"{role:10} GET {path} ({name}): expected {wanted}, got {got}")

    assert mismatches == []


def test_a_refused_officer_page_shows_nothing_of_the_report(django_capture_on_commit_callbacks):
    world = World(django_capture_on_commit_callbacks, first_address=70)

    pages = [
        world.clients[role].get(reverse("reports:officer_detail", args=[world.report.pk]))
        for role in ("clerk", "supervisor")
    ]

    for page in pages:
        assert page.status_code == 403
        assert world.report.tracking_number not in page.content.decode()
        assert world.report.reporter_last_name not in page.content.decode()
