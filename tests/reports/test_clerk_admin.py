"""The records clerks' admin: who may open it, that nobody edits or deletes what the
resident wrote, the workflow buttons, the review queue (order, filters, search, query
count), the access log, the CSV export and the bulk actions."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from reports.models import (
    AccessLog,
    CaseCopy,
    InternalNote,
    RejectionReason,
    Report,
    StatusChange,
)
from reports.review import selectors
from reports.review.admin import EstimatedCountPaginator
from tests.factories import ItemFactory, ReportFactory, VehicleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reports_report_changelist")
NARRATIVE = "Someone cut the lock and took my bike from the rack outside."


# --- Staff and sign-in --------------------------------------------------------------------


def staff_in(group_name: str | None, username: str, **extra) -> User:
    """A member of staff; in one of the groups the data migration made, if any."""
    user = User.objects.create_user(username, f"{username}@police.example", is_staff=True, **extra)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def signed_in(user: User) -> Client:
    """A browser signed in as `user`, past the second factor where the site asks for one."""
    client = Client()
    client.force_login(user)
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def clerk():
    return staff_in("Clerks", "clerk.jones")


@pytest.fixture
def supervisor():
    return staff_in("Supervisors", "supervisor.berg")


@pytest.fixture
def clerk_client(clerk):
    return signed_in(clerk)


@pytest.fixture
def supervisor_client(supervisor):
    return signed_in(supervisor)


ROLES = {
    "clerk": ("Clerks", {}),
    "supervisor": ("Supervisors", {}),
    "officer": ("Officers", {}),
    "superuser": (None, {"is_superuser": True}),
}


def client_for(role: str) -> tuple[Client, User]:
    group, extra = ROLES[role]
    user = staff_in(group, f"{role}.user", **extra)
    return signed_in(user), user


def change_url(report: Report) -> str:
    return reverse("admin:reports_report_change", args=[report.pk])


def workflow_url(report: Report) -> str:
    return reverse("admin:reports_report_workflow", args=[report.pk])


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def listed(response) -> list[Report]:
    return list(response.context["cl"].result_list)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(content)))


def status_page_text(report: Report) -> str:
    """The resident's status page, reached the way a resident does: the lookup form."""
    resident = Client()
    response = resident.post(
        reverse("reports:status"),
        {"tracking_number": report.tracking_number, "email": report.reporter_email},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = resident.get(reverse("reports:status_detail"))
    assert page.status_code == 200
    return html.unescape(page.content.decode())


# --- Who may open what ---------------------------------------------------------------------

REPORT_ADMIN_ACCESS = {"clerk": True, "supervisor": True, "officer": False, "superuser": True}


@pytest.mark.parametrize(("role", "allowed"), REPORT_ADMIN_ACCESS.items())
def test_only_records_staff_open_the_report_list(role, allowed):
    report = ReportFactory()
    client, _user = client_for(role)

    response = client.get(CHANGELIST)

    content = response.content.decode()
    if allowed:
        assert response.status_code == 200
        assert report.tracking_number in content
    else:
        assert response.status_code == 403
        assert report.tracking_number not in content


@pytest.mark.parametrize(("role", "allowed"), REPORT_ADMIN_ACCESS.items())
def test_only_records_staff_open_a_report_page(role, allowed):
    report = ReportFactory()
    client, _user = client_for(role)

    response = client.get(change_url(report))

    content = html.unescape(response.content.decode())
    if allowed:
        assert response.status_code == 200
        assert report.tracking_number in content
        assert NARRATIVE in content
    else:
        assert response.status_code == 403
        assert NARRATIVE not in content
        assert not AccessLog.objects.filter(report_id=report.pk, action="view").exists()


@pytest.mark.parametrize("role", ["clerk", "supervisor", "superuser"])
def test_nobody_gets_an_add_save_or_delete_button(role):
    report = ReportFactory()
    client, _user = client_for(role)

    list_page = client.get(CHANGELIST).content.decode()
    report_page = client.get(change_url(report)).content.decode()

    assert reverse("admin:reports_report_add") not in list_page
    assert 'class="deletelink"' not in report_page
    assert reverse("admin:reports_report_delete", args=[report.pk]) not in report_page
    assert 'name="_save"' not in report_page
    assert 'name="_continue"' not in report_page
    assert "delete_selected" not in list_page


@pytest.mark.parametrize("role", ["clerk", "supervisor", "superuser"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_deletes_a_report(role, method):
    report = ReportFactory()
    client, _user = client_for(role)

    response = getattr(client, method)(
        reverse("admin:reports_report_delete", args=[report.pk]), {"post": "yes"}
    )

    assert response.status_code in (302, 403)
    assert Report.objects.filter(pk=report.pk).exists()


@pytest.mark.parametrize("role", ["clerk", "supervisor", "superuser"])
def test_nobody_adds_a_report_by_hand(role):
    client, _user = client_for(role)

    response = client.post(
        reverse("admin:reports_report_add"), {"tracking_number": "ER-0000-0000-0"}
    )

    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_report_page_has_no_inputs_for_what_the_resident_wrote(supervisor_client):
    report = ReportFactory(status="in_review", reporter_email="ana.lopez@example.org")

    content = supervisor_client.get(change_url(report)).content.decode()

    names = set()
    for tag, attributes in re.findall(r"<(input|textarea|select)\b([^>]*)>", content):
        if tag == "input" and re.search(r'type="(hidden|submit)"', attributes):
            continue  # not something a clerk types into
        names.update(re.findall(r'\bname="([^"]+)"', attributes))
    workflow_fields = {
        "csrfmiddlewaretoken",
        "to_status",
        "message",
        "reason",
        "note",
        "duplicate_of",
        "code",
        "text",
    }
    # The workflow's own forms are there (every step is open from "in review").
    assert {"message", "reason", "duplicate_of", "code", "text"} <= names
    assert names <= workflow_fields
    for resident_field in ("narrative", "reporter_email", "reporter_last_name", "location"):
        assert resident_field not in names
    assert "ana.lopez@example.org" in content  # shown, read-only


@pytest.mark.parametrize("role", ["clerk", "supervisor", "superuser"])
def test_posting_the_report_form_changes_nothing(role):
    report = ReportFactory(reporter_email="ana.lopez@example.org")
    client, _user = client_for(role)

    response = client.post(
        change_url(report),
        {
            "narrative": "Nothing happened.",
            "reporter_email": "attacker@example.org",
            "status": "approved",
            "case_number": "MP-99-999999",
            "_save": "Save",
        },
    )

    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.narrative, report.reporter_email) == (NARRATIVE, "ana.lopez@example.org")
    assert (report.status, report.case_number) == ("submitted", None)


# --- The workflow buttons ------------------------------------------------------------------


def test_a_clerk_claims_then_approves_a_report_from_its_page(clerk, clerk_client):
    report = ReportFactory()

    claimed = clerk_client.post(workflow_url(report), {"to_status": "in_review"})
    report.refresh_from_db()
    assert claimed.status_code == 302
    assert claimed.url == change_url(report)
    assert (report.status, report.assigned_to) == ("in_review", clerk)
    assert messages_of(claimed) == [("success", "The report is now “In review”.")]
    claimed_page = html.unescape(clerk_client.get(claimed.url).content.decode())
    assert "The report is now “In review”." in claimed_page

    approved = clerk_client.post(workflow_url(report), {"to_status": "approved"})

    report.refresh_from_db()
    year = timezone.localdate().year % 100
    assert report.status == "approved"
    assert report.case_number == f"{settings.CASE_NUMBER_PREFIX}-{year:02d}-000001"
    [(level, text)] = messages_of(approved)
    assert level == "success"
    assert "Approved" in text
    assert report.case_number in text
    page = html.unescape(clerk_client.get(change_url(report)).content.decode())
    assert report.case_number in page


def test_the_report_page_offers_only_the_steps_allowed_now(clerk_client, supervisor_client):
    submitted = ReportFactory()
    rejected = ReportFactory(status="rejected")

    def offered(client, report):
        content = client.get(change_url(report)).content.decode()
        return re.findall(r'name="to_status" value="([a-z_]+)"', content)

    assert offered(clerk_client, submitted) == ["in_review"]
    assert offered(clerk_client, rejected) == []
    assert offered(supervisor_client, rejected) == ["in_review"]


def test_a_forbidden_step_posted_anyway_is_refused_with_an_error(clerk_client):
    report = ReportFactory()

    response = clerk_client.post(workflow_url(report), {"to_status": "approved"})

    report.refresh_from_db()
    assert (report.status, report.case_number) == ("submitted", None)
    assert not StatusChange.objects.filter(report=report).exists()
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "Received" in text
    assert "Approved" in text


def test_asking_for_information_without_a_question_is_refused_with_an_error(clerk_client):
    report = ReportFactory(status="in_review")

    response = clerk_client.post(workflow_url(report), {"to_status": "needs_info"})

    report.refresh_from_db()
    assert report.status == "in_review"
    assert messages_of(response) == [("error", "Write the question to the resident.")]


def test_an_unknown_step_is_refused(clerk_client):
    report = ReportFactory(status="in_review")

    response = clerk_client.post(workflow_url(report), {"to_status": "deleted"})

    report.refresh_from_db()
    assert report.status == "in_review"
    assert messages_of(response) == [("error", "That action is not available.")]


def test_staff_without_the_review_permission_cannot_post_a_step():
    report = ReportFactory()
    client, _user = client_for("officer")

    response = client.post(workflow_url(report), {"to_status": "in_review"})

    assert response.status_code == 403
    report.refresh_from_db()
    assert (report.status, report.assigned_to) == ("submitted", None)


def test_marking_a_duplicate_takes_the_originals_tracking_number_as_typed(clerk_client):
    original = ReportFactory(status="approved")
    report = ReportFactory(status="in_review")
    typed = original.tracking_number.replace("-", " ").lower()

    clerk_client.post(workflow_url(report), {"to_status": "duplicate", "duplicate_of": typed})

    report.refresh_from_db()
    assert (report.status, report.duplicate_of) == ("duplicate", original)


def test_not_accepting_shows_the_reason_to_the_resident_but_never_the_internal_note(
    clerk_client,
):
    reason = RejectionReason.objects.get(code="outside_city")
    report = ReportFactory(status="in_review")

    response = clerk_client.post(
        workflow_url(report),
        {
            "to_status": "rejected",
            "reason": reason.pk,
            "message": "It happened in St. Paul.",
            "note": "INTERNAL: resident was rude on the phone.",
        },
    )

    assert messages_of(response)[0][0] == "success"
    change = StatusChange.objects.get(report=report)
    assert (change.reason, change.note) == (reason, "INTERNAL: resident was rude on the phone.")
    page = status_page_text(report)
    assert reason.public_text in page
    assert "It happened in St. Paul." in page
    assert "resident was rude" not in page


def test_the_note_form_adds_an_internal_note(clerk, clerk_client):
    report = ReportFactory()

    response = clerk_client.post(
        reverse("admin:reports_report_note", args=[report.pk]),
        {"text": "Called the resident; voicemail."},
    )

    note = InternalNote.objects.get(report=report)
    assert (note.author, note.text) == (clerk, "Called the resident; voicemail.")
    assert messages_of(response) == [("success", "Note added.")]
    page = html.unescape(clerk_client.get(change_url(report)).content.decode())
    assert "Called the resident; voicemail." in page


def test_an_empty_note_is_refused(clerk_client):
    report = ReportFactory()

    response = clerk_client.post(
        reverse("admin:reports_report_note", args=[report.pk]), {"text": ""}
    )

    assert not InternalNote.objects.filter(report=report).exists()
    assert messages_of(response) == [("error", "Write the note.")]


def test_the_nibrs_form_corrects_the_code(clerk_client):
    report = ReportFactory(nibrs_code="23H")

    response = clerk_client.post(
        reverse("admin:reports_report_nibrs", args=[report.pk]),
        {"code": "23c", "note": "Taken from a store."},
    )

    report.refresh_from_db()
    assert report.nibrs_code == "23C"
    assert messages_of(response) == [("success", "NIBRS code corrected.")]
    note = InternalNote.objects.get(report=report)
    assert "23H" in note.text
    assert "23C" in note.text


def test_a_malformed_nibrs_code_is_refused_with_an_error(clerk_client):
    report = ReportFactory(nibrs_code="23H")

    response = clerk_client.post(
        reverse("admin:reports_report_nibrs", args=[report.pk]), {"code": "2!"}
    )

    report.refresh_from_db()
    assert report.nibrs_code == "23H"
    assert messages_of(response)[0][0] == "error"


# --- The queue -----------------------------------------------------------------------------


def test_the_queue_lists_the_oldest_report_first(clerk_client):
    now = timezone.now()
    middle = ReportFactory(submitted_at=now - dt.timedelta(days=2))
    newest = ReportFactory(submitted_at=now - dt.timedelta(hours=1))
    oldest = ReportFactory(submitted_at=now - dt.timedelta(days=5))

    response = clerk_client.get(CHANGELIST)

    assert listed(response) == [oldest, middle, newest]


@pytest.fixture
def queue(clerk):
    """Three reports that each filter tells apart."""
    now = timezone.now()
    other = staff_in("Clerks", "clerk.smith")
    new_theft = ReportFactory(report_type="theft", status="submitted")
    mine = ReportFactory(report_type="property_damage", status="in_review", assigned_to=clerk)
    theirs = ReportFactory(report_type="theft", status="approved", assigned_to=other)
    # The newest copy counts: an older one in another state does not.
    for report, states in ((new_theft, ["ready", "pending"]), (mine, ["pending", "ready"])):
        for version, state in enumerate(states, start=1):
            CaseCopy.objects.create(report=report, version=version, state=state, requested_at=now)
        # The copy services keep this column in step (tests/reports/test_case_copies.py);
        # rows made by hand here set it as they would.
        Report.objects.filter(pk=report.pk).update(version=len(states), copy_state=states[-1])
    return {"new_theft": new_theft, "mine": mine, "theirs": theirs}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status__exact=submitted", {"new_theft"}),
        ("status__exact=in_review", {"mine"}),
        ("status__exact=approved", {"theirs"}),
        ("report_type__exact=theft", {"new_theft", "theirs"}),
        ("report_type__exact=property_damage", {"mine"}),
        ("assigned=me", {"mine"}),
        ("assigned=nobody", {"new_theft"}),
        ("copy=ready", {"mine"}),
        ("copy=pending", {"new_theft"}),
        ("copy=failed", set()),
        ("status__exact=submitted&report_type__exact=theft", {"new_theft"}),
    ],
)
def test_the_queue_filters(clerk_client, queue, query, expected):
    response = clerk_client.get(f"{CHANGELIST}?{query}")

    assert {name for name, r in queue.items() if r in listed(response)} == expected
    assert len(listed(response)) == len(expected)


@pytest.fixture
def searchable():
    """Two reports with every searchable field different."""
    ana = ReportFactory(
        reporter_last_name="Lopez",
        reporter_email="ana.lopez@example.org",
        reporter_phone="+16125550123",
        case_number="MP-26-000007",
        status="approved",
    )
    ItemFactory(report=ana, serial_number="WTU123456")
    VehicleFactory(report=ana, plate="ABC123", vin="1HGCM82633A004352")
    ben = ReportFactory(
        reporter_last_name="Okafor",
        reporter_email="ben.okafor@example.org",
        reporter_phone="+16125550199",
        case_number="MP-26-000008",
        status="approved",
    )
    ItemFactory(report=ben, serial_number="WTU999999")
    VehicleFactory(report=ben, plate="XYZ789", vin="2T1BURHE0JC000001")
    return ana, ben


SEARCHES = {
    "tracking number": lambda r: r.tracking_number,
    "tracking number lowercase without dashes": lambda r: r.tracking_number.replace(
        "-", ""
    ).lower(),
    "case number": lambda r: r.case_number,
    "last name": lambda r: r.reporter_last_name,
    "last name lowercase": lambda r: r.reporter_last_name.lower(),
    "email": lambda r: r.reporter_email,
    "serial number": lambda r: r.items.get().serial_number,
    "plate lowercase with a space": lambda r: (
        r.vehicles.get().plate.lower()[:3] + " " + r.vehicles.get().plate[3:]
    ),
    "VIN": lambda r: r.vehicles.get().vin,
}


@pytest.mark.parametrize("term", SEARCHES.values(), ids=SEARCHES.keys())
@pytest.mark.parametrize("who", [0, 1], ids=["ana", "ben"])
def test_the_queue_search_finds_the_report_and_not_another(clerk_client, searchable, term, who):
    wanted = searchable[who]

    response = clerk_client.get(CHANGELIST, {"q": term(wanted)})

    assert listed(response) == [wanted]


def test_the_list_page_makes_as_many_queries_for_100_reports_as_for_10(clerk, clerk_client):
    def add_reports(count):
        reports = Report.objects.bulk_create(ReportFactory.build_batch(count, assigned_to=clerk))
        CaseCopy.objects.bulk_create(
            CaseCopy(report=r, version=1, state="ready", requested_at=timezone.now())
            for r in reports
        )

    def queries_for_list_page():
        with CaptureQueriesContext(connection) as context:
            response = clerk_client.get(CHANGELIST)
        assert response.status_code == 200
        # Sessions are read through a cache shared with other processes: whether the
        # session row is read depends on them, not on the list.
        queries = [q for q in context.captured_queries if "django_session" not in q["sql"]]
        return len(queries), len(listed(response))

    add_reports(10)
    few, shown_few = queries_for_list_page()
    add_reports(90)
    many, shown_many = queries_for_list_page()

    assert (shown_few, shown_many) == (10, 50)
    assert few == many


def test_the_list_never_counts_the_whole_table_on_a_filtered_page(clerk_client):
    ReportFactory.create_batch(3)

    with CaptureQueriesContext(connection) as context:
        response = clerk_client.get(CHANGELIST, {"status__exact": "submitted"})

    assert len(listed(response)) == 3
    assert admin.site._registry[Report].show_full_result_count is False
    counts = [
        q["sql"]
        for q in context.captured_queries
        if "COUNT(" in q["sql"].upper() and '"reports_report"' in q["sql"]
    ]
    assert counts  # the paginator counts the filtered list...
    assert all("WHERE" in sql.upper() for sql in counts)  # ...never the whole table


# --- Access log ----------------------------------------------------------------------------


def test_opening_a_report_page_writes_one_view_row(clerk, clerk_client):
    report = ReportFactory()

    clerk_client.get(change_url(report), REMOTE_ADDR="203.0.113.9")

    rows = AccessLog.objects.filter(report_id=report.pk, action="view")
    assert [(r.user, r.ip_address) for r in rows] == [(clerk, "203.0.113.9")]


def test_the_list_page_writes_no_view_rows(clerk_client):
    ReportFactory.create_batch(3)

    clerk_client.get(CHANGELIST)

    assert not AccessLog.objects.filter(action="view").exists()


# --- CSV export ----------------------------------------------------------------------------


def export_selected(client, reports):
    return client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [str(r.pk) for r in reports]},
    )


def test_a_clerks_export_has_no_personal_data(clerk, clerk_client):
    report = ReportFactory(
        reporter_first_name="Ana", reporter_last_name="Lopez", reporter_email="ana@example.org"
    )

    response = export_selected(clerk_client, [report])

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:2] == ["Tracking number", "Case number"]
    for column in ("First name", "Last name", "Email", "Phone", "Street"):
        assert column not in header
    assert [row[0] for row in rows] == [report.tracking_number]
    assert not any("ana@example.org" in cell or "Lopez" in cell for cell in rows[0])
    log = AccessLog.objects.get(action="export")
    assert (log.user, log.detail) == (clerk, "without personal data")


def test_a_supervisors_export_has_the_residents_names_and_emails(supervisor, supervisor_client):
    report = ReportFactory(
        reporter_first_name="Ana", reporter_last_name="Lopez", reporter_email="ana@example.org"
    )

    header, *rows = csv_rows(export_selected(supervisor_client, [report]))

    row = dict(zip(header, rows[0], strict=True))
    assert (row["First name"], row["Last name"], row["Email"]) == (
        "Ana",
        "Lopez",
        "ana@example.org",
    )
    log = AccessLog.objects.get(action="export")
    assert (log.user, log.detail) == (supervisor, "with personal data")


FORMULAS = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    # Unicode look-alikes that spreadsheets may read as the real thing.
    '\uff1dHYPERLINK("http://x")',  # full-width equals
    "\uff0b1+1",  # full-width plus
    "\ufe622+3",  # small plus
    "\uff0d2+3",  # full-width hyphen-minus
    "\ufe632+3",  # small hyphen-minus
    "\u22122+3",  # minus sign
    "\uff20SUM(A1)",  # full-width commercial at
    "\ufe6bSUM(A1)",  # small commercial at
    "\ufe66HYPERLINK(1)",  # small equals
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_exported_cells_that_look_like_formulas_are_defused(supervisor_client, formula):
    report = ReportFactory(location=formula, reporter_last_name=formula)

    header, *rows = csv_rows(export_selected(supervisor_client, [report]))

    row = dict(zip(header, rows[0], strict=True))
    assert row["Location"] == "'" + formula
    assert row["Last name"] == "'" + formula


def test_each_export_writes_one_export_row(clerk_client):
    reports = ReportFactory.create_batch(2)

    csv_rows(export_selected(clerk_client, reports))
    csv_rows(export_selected(clerk_client, reports[:1]))

    assert AccessLog.objects.filter(action="export").count() == 2


def test_export_all_exports_the_list_as_filtered(clerk_client):
    approved = ReportFactory.create_batch(2, status="approved")
    ReportFactory.create_batch(3, status="submitted")

    response = clerk_client.get(
        reverse("admin:reports_report_export_all"), {"status__exact": "approved"}
    )

    _header, *rows = csv_rows(response)
    assert sorted(row[0] for row in rows) == sorted(r.tracking_number for r in approved)
    assert AccessLog.objects.filter(action="export").count() == 1


def test_export_all_follows_the_search_too(clerk_client):
    wanted = ReportFactory(reporter_last_name="Okafor")
    ReportFactory.create_batch(2, reporter_last_name="Lopez")

    response = clerk_client.get(reverse("admin:reports_report_export_all"), {"q": "okafor"})

    _header, *rows = csv_rows(response)
    assert [row[0] for row in rows] == [wanted.tracking_number]


def test_a_thousand_report_export_streams_every_row(clerk_client):
    Report.objects.bulk_create(ReportFactory.build_batch(1000))

    response = clerk_client.get(reverse("admin:reports_report_export_all"))

    assert response.streaming is True
    rows = csv_rows(response)
    assert len(rows) == 1001
    assert len({row[0] for row in rows[1:]}) == 1000


def test_officers_cannot_export():
    ReportFactory()
    client, _user = client_for("officer")

    response = client.get(reverse("admin:reports_report_export_all"))

    assert response.status_code == 403
    assert not getattr(response, "streaming", False)
    assert not AccessLog.objects.filter(action="export").exists()


# --- Bulk actions --------------------------------------------------------------------------


def test_regenerating_copies_bumps_versions_and_makes_new_copies(
    clerk_client, django_capture_on_commit_callbacks
):
    reports = ReportFactory.create_batch(2, version=3)
    untouched = ReportFactory(version=3)

    with django_capture_on_commit_callbacks() as callbacks:
        response = clerk_client.post(
            CHANGELIST,
            {"action": "regenerate_copies", "_selected_action": [str(r.pk) for r in reports]},
        )
        for report in reports:
            assert report.copies.get(version=4).state == "pending"
    for callback in callbacks:
        callback()

    for report in reports:
        report.refresh_from_db()
        assert report.version == 4
        assert report.copies.get(version=4).state == "ready"
    untouched.refresh_from_db()
    assert (untouched.version, untouched.copies.count()) == (3, 0)
    assert messages_of(response) == [("info", "New copies requested for 2 reports.")]


def test_claiming_selected_reports_claims_only_new_ones(clerk, clerk_client):
    other = staff_in("Clerks", "clerk.smith")
    new = ReportFactory.create_batch(2)
    taken = ReportFactory(status="in_review", assigned_to=other)
    approved = ReportFactory(status="approved", assigned_to=other)

    response = clerk_client.post(
        CHANGELIST,
        {
            "action": "claim_selected",
            "_selected_action": [str(r.pk) for r in [*new, taken, approved]],
        },
    )

    for report in new:
        report.refresh_from_db()
        assert (report.status, report.assigned_to) == ("in_review", clerk)
    for report, status in ((taken, "in_review"), (approved, "approved")):
        report.refresh_from_db()
        assert (report.status, report.assigned_to) == (status, other)
    assert StatusChange.objects.filter(actor=clerk).count() == 2
    assert messages_of(response) == [("info", "2 reports claimed.")]


def test_officers_get_no_actions():
    ReportFactory()
    client, _user = client_for("officer")

    response = client.post(
        CHANGELIST,
        {"action": "claim_selected", "_selected_action": [str(Report.objects.get().pk)]},
    )

    assert response.status_code == 403
    assert Report.objects.get().status == "submitted"


# --- The admin's front page ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "supervisor"])
def test_records_staff_land_on_the_dashboard(role):
    client, _user = client_for(role)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == reverse("admin:dashboard")


def test_the_full_admin_index_is_one_link_away(clerk_client):
    response = clerk_client.get(reverse("admin:index"), {"all": "1"})

    assert response.status_code == 200
    apps = {app["app_label"]: app for app in response.context["app_list"]}
    assert "reports" in apps
    assert "Report" in {model["object_name"] for model in apps["reports"]["models"]}


def test_staff_without_the_dashboard_see_the_plain_index():
    client, _user = client_for("officer")

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "reports" not in {app["app_label"] for app in response.context["app_list"]}


def test_the_queue_filters_reports_by_whether_the_records_system_took_them(clerk_client):
    taken = ReportFactory(
        status="approved", rms_record_number="RMS-1", rms_imported_at=timezone.now()
    )
    waiting = ReportFactory(status="approved")
    ReportFactory(status="submitted")

    assert listed(clerk_client.get(CHANGELIST, {"rms": "in"})) == [taken]
    assert listed(clerk_client.get(CHANGELIST, {"rms": "waiting"})) == [waiting]


def test_the_report_page_says_when_the_records_system_took_it(clerk_client):
    report = ReportFactory(
        status="approved", rms_record_number="RMS-778", rms_imported_at=timezone.now()
    )

    page = clerk_client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert "In the records system" in page.content.decode()
    assert "record RMS-778" in page.content.decode()


@pytest.mark.parametrize(("sort", "reversed_"), [("2", False), ("-2", True)])
def test_a_column_sort_keeps_the_queue_order_within_each_value(clerk_client, sort, reversed_):
    # The column's queue index then reads the first page either way (QueueChangeList).
    now = timezone.now()
    old = ReportFactory(report_type="theft", submitted_at=now - dt.timedelta(days=3))
    new = ReportFactory(report_type="theft", submitted_at=now - dt.timedelta(days=1))
    flagged = ReportFactory(
        report_type="theft", submitted_at=now - dt.timedelta(days=2), crisis_flag=True
    )
    damage = ReportFactory(report_type="property_damage")

    shown = listed(clerk_client.get(CHANGELIST, {"o": sort}))

    in_queue_order = [damage, flagged, old, new]  # "Property damage" sorts before "Theft"
    assert shown == (in_queue_order[::-1] if reversed_ else in_queue_order)


def test_a_second_sort_column_keeps_the_direction_the_clerk_chose(clerk_client):
    ReportFactory()
    response = clerk_client.get(CHANGELIST, {"o": "-3.1"})  # status down, tracking up
    cl = response.context["cl"]

    ordering = cl.get_ordering(response.wsgi_request, cl.root_queryset)

    assert ordering[:2] == ["-status", "tracking_number"]


def test_the_age_column_sorts_the_youngest_first(clerk_client):
    now = timezone.now()
    old = ReportFactory(submitted_at=now - dt.timedelta(days=5))
    young = ReportFactory(submitted_at=now - dt.timedelta(hours=1))

    assert listed(clerk_client.get(CHANGELIST, {"o": "4"})) == [young, old]


def test_a_reports_own_items_never_crowd_out_its_duplicates(clerk_client):
    report = ReportFactory()
    for n in range(25):
        ItemFactory(report=report, serial_number=f"OWN-{n:03d}")
    ItemFactory(report=report, serial_number="SHARED-1")
    other = ReportFactory()
    ItemFactory(report=other, serial_number="SHARED-1")

    found = selectors.possible_duplicates(report)

    assert [d.report for d in found] == [other]


def test_a_corrected_nibrs_code_is_shown_with_its_name(clerk_client):
    report = ReportFactory(report_type="theft", nibrs_code="23C")

    page = clerk_client.get(reverse("admin:reports_report_change", args=[report.pk]))

    assert "23C (Shoplifting)" in page.content.decode()


def test_a_filter_matching_more_than_can_be_counted_cheaply_is_estimated(clerk_client, monkeypatch):
    # The count of a page costs the same at any table size: exact up to a bound, the
    # planner's estimate past it.
    monkeypatch.setattr(EstimatedCountPaginator, "EXACT_UP_TO", 5)
    few = [ReportFactory(status="in_review") for _ in range(3)]
    many = [ReportFactory(status="approved") for _ in range(12)]

    exact = clerk_client.get(CHANGELIST, {"status__exact": "in_review"}).context["cl"]
    estimated = clerk_client.get(CHANGELIST, {"status__exact": "approved"}).context["cl"]

    assert exact.result_count == len(few)
    assert estimated.result_count > 5
    assert set(estimated.result_list) == set(many)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_queues_row_checkbox_is_djangos_own_markup(language):
    report = ReportFactory()
    queue = admin.site._registry[Report]

    with translation.override(language):
        ours = queue.action_checkbox(report)
        djangos = admin.ModelAdmin.action_checkbox(queue, report)

    assert ours == djangos
