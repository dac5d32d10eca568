"""The diversion dashboard (/admin/dashboard/): the numbers it shows for known data, an
accessible chart, a query count that does not grow with the data, and who may see it."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, ReportDayCount
from reports.review import selectors
from screening.models import ScreeningOutcome
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:dashboard")


# --- Helpers ----------------------------------------------------------------------------


def staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, f"{username}@police.example", is_staff=True)
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


class _Tables(HTMLParser):
    """Every <table> of a page as rows of cell texts (th and td alike)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def main_of(content: str) -> str:
    """The dashboard itself, without the admin's navigation around it."""
    return content.split('<div id="content-main">', 1)[1]


def tables_of(content: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(main_of(content))
    return parser.tables


def local(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def monday_weeks_ago(weeks: int) -> dt.date:
    day = timezone.localdate() - dt.timedelta(weeks=weeks)
    return day - dt.timedelta(days=day.weekday())


def outcomes(count: int, outcome: str, at: dt.datetime, reasons=(), report_type=""):
    ScreeningOutcome.objects.bulk_create(
        ScreeningOutcome(
            outcome=outcome,
            reasons=list(reasons),
            report_type=report_type,
            language="en",
            decided_hour=at,
        )
        for _ in range(count)
    )


@pytest.fixture(autouse=True)
def _daily_counts_now():
    """The daily counts are kept by a trigger deferred to commit; a test's transaction
    never commits, so the trigger runs at once instead."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def clerk_client():
    return signed_in(staff_in("Clerks", "clerk.jones"))


@pytest.fixture
def known_week():
    """One week, three weeks ago, with known screening outcomes and reports; and one
    screening outside the dashboard's twelve weeks."""
    week = monday_weeks_ago(3)
    tuesday = local(week + dt.timedelta(days=1), 10)
    outcomes(5, "eligible", tuesday, report_type="theft")
    outcomes(3, "emergency_911", tuesday, reasons=["in_progress"])
    outcomes(2, "major_crime_911", tuesday, reasons=["burglary"])
    outcomes(1, "call_311", tuesday, reasons=["not_online_type"])
    outcomes(1, "outside_city", tuesday, reasons=["outside_city"])
    outcomes(4, "eligible", local(monday_weeks_ago(20), 10), report_type="theft")

    submitted = local(week + dt.timedelta(days=1), 9)
    ReportFactory.create_batch(2, report_type="theft", submitted_at=submitted)
    ReportFactory(
        report_type="theft",
        submitted_at=submitted,
        status="approved",
        decided_at=submitted + dt.timedelta(hours=2),
    )
    ReportFactory(
        report_type="property_damage",
        submitted_at=submitted,
        status="rejected",
        decided_at=submitted + dt.timedelta(hours=6),
    )
    return week


# --- The numbers ------------------------------------------------------------------------


def test_the_weekly_table_shows_the_known_numbers(clerk_client, known_week):
    content = clerk_client.get(DASHBOARD).content.decode()

    screening = tables_of(content)[0]
    assert screening[0] == [
        "Week of",
        "Eligible",
        "Filed",
        "Sent to 911",
        "Sent to 311",
        "Outside the city",
    ]
    assert screening[1:] == [[known_week.isoformat(), "5", "4", "5", "1", "1"]]


def test_the_summary_gives_totals_and_the_median_time_to_decision(clerk_client, known_week):
    content = html.unescape(clerk_client.get(DASHBOARD).content.decode())
    text = " ".join(re.sub(r"<[^>]+>", "", content).split())

    assert "Last 12 weeks: reports filed online 4; sent to 911 by the screening 5." in text
    # Decided after 2 and 6 hours: the median of the two is 4.
    assert "Median time from submission to decision: 4.0 hours." in text


def test_the_911_table_counts_each_reason_in_words(clerk_client, known_week):
    content = clerk_client.get(DASHBOARD).content.decode()

    reasons = tables_of(content)[1]
    # A reason the dashboard has no words for yet is spelled out, never shown as a code.
    assert reasons[1:] == [["Crime happening now", "3"], ["Burglary", "2"]]


def test_reports_per_week_are_counted_by_type(clerk_client, known_week):
    content = clerk_client.get(DASHBOARD).content.decode()

    by_type = tables_of(content)[2]
    assert by_type[1:] == [[known_week.isoformat(), "Property damage: 1, Theft: 3"]]


def test_the_backlog_counts_open_reports_by_status_and_age_in_words(clerk_client, known_week):
    ReportFactory(status="needs_info", submitted_at=timezone.now() - dt.timedelta(hours=3))

    content = clerk_client.get(DASHBOARD).content.decode()

    backlog = tables_of(content)[3]
    assert backlog[1:] == [
        ["Information requested", "under 1 day", "1"],
        ["Received", "over 7 days", "2"],
    ]


def test_an_empty_dashboard_says_so(clerk_client):
    content = clerk_client.get(DASHBOARD).content.decode()

    tables = tables_of(content)
    assert tables[0][1:] == [["No data yet."]]
    assert tables[3][1:] == [["Nothing waiting."]]
    assert "Median time" not in content


def test_the_chart_has_a_title_a_description_and_a_bar_per_number(clerk_client, known_week):
    content = clerk_client.get(DASHBOARD).content.decode()

    chart = main_of(content).split('<div class="ereport-chart">', 1)[1]
    [svg] = re.findall(r"<svg\b.*?</svg>", chart.split("</div>", 1)[0], flags=re.DOTALL)
    opening = re.match(r"<svg\b[^>]*>", svg).group(0)
    assert 'role="img"' in opening
    title = re.search(r'<title id="([^"]+)">([^<]+)</title>', svg)
    desc = re.search(r'<desc id="([^"]+)">([^<]+)</desc>', svg)
    assert title and title.group(2).strip()
    assert desc and desc.group(2).strip()
    assert f'aria-labelledby="{title.group(1)} {desc.group(1)}"' in opening
    # Filed 4 and sent to 911 5, against the tallest number (5) drawn 120 high.
    heights = re.findall(r'<rect [^>]*height="(\d+)"', svg)
    assert heights == ["96", "120"]


# --- Queries and access -----------------------------------------------------------------


def test_every_report_inserted_is_counted_on_its_local_day(db):
    """The daily counts the dashboard reads follow every way a report reaches the table,
    and a report filed late in the evening counts on the local day, not the UTC one."""
    monday = monday_weeks_ago(2)
    ReportFactory(report_type="theft", submitted_at=local(monday, 23))  # 05:00 UTC Tuesday
    Report.objects.bulk_create(
        [
            ReportFactory.build(report_type="theft", submitted_at=local(monday, 9)),
            ReportFactory.build(report_type="harassment", submitted_at=local(monday, 10)),
        ]
    )

    counts = {(row.day, row.report_type): row.filed for row in ReportDayCount.objects.all()}

    assert counts == {(monday, "theft"): 2, (monday, "harassment"): 1}


def test_the_median_time_to_decision_is_over_the_latest_decisions(clerk_client, monkeypatch):
    monkeypatch.setattr(selectors, "MEDIAN_OVER_DECISIONS", 2)
    submitted = local(monday_weeks_ago(3), 9)
    for hours, days_later in ((100, 0), (2, 7), (6, 8)):  # decided in this order
        ReportFactory(
            status="approved",
            submitted_at=submitted + dt.timedelta(days=days_later),
            decided_at=submitted + dt.timedelta(days=days_later, hours=hours),
        )

    content = html.unescape(clerk_client.get(DASHBOARD).content.decode())
    text = " ".join(re.sub(r"<[^>]+>", "", content).split())

    # The decision after 100 hours came first: only the latest two count.
    assert "Median time from submission to decision: 4.0 hours." in text


def test_the_dashboard_makes_as_many_queries_for_100_rows_as_for_10(clerk_client):
    kinds = [
        ("eligible", []),
        ("emergency_911", ["in_progress"]),
        ("major_crime_911", ["weapon"]),
        ("call_311", []),
        ("outside_city", []),
    ]
    types = ["theft", "property_damage", "harassment"]

    def add_rows(count, offset):
        for i in range(offset, offset + count):
            week = monday_weeks_ago(1 + i % 4)
            at = local(week + dt.timedelta(days=i % 5), 8 + i % 8)
            outcome, reasons = kinds[i % len(kinds)]
            outcomes(1, outcome, at, reasons=reasons)
            decided = at + dt.timedelta(hours=1 + i % 7) if i % 2 else None
            Report.objects.bulk_create(
                [
                    ReportFactory.build(
                        report_type=types[i % len(types)],
                        submitted_at=at,
                        status="approved" if decided else "submitted",
                        decided_at=decided,
                    )
                ]
            )

    def queries_for_dashboard():
        with CaptureQueriesContext(connection) as context:
            response = clerk_client.get(DASHBOARD)
        assert response.status_code == 200
        # Sessions are read through a cache shared with other processes: whether the
        # session row is read depends on them, not on the dashboard.
        queries = [q for q in context.captured_queries if "django_session" not in q["sql"]]
        return len(queries), tables_of(response.content.decode())[0]

    add_rows(10, 0)
    few, table_few = queries_for_dashboard()
    add_rows(90, 10)
    many, table_many = queries_for_dashboard()

    assert sum(int(row[2]) for row in table_few[1:]) == 10
    assert sum(int(row[2]) for row in table_many[1:]) == 100
    assert few == many


@pytest.mark.parametrize("group", ["Clerks", "Supervisors"])
def test_records_staff_see_the_dashboard(group):
    client = signed_in(staff_in(group, "staff.member"))

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert "Reports taken online instead of by a squad" in response.content.decode()


def test_officers_may_not_see_the_dashboard():
    client = signed_in(staff_in("Officers", "officer.kim"))

    response = client.get(DASHBOARD)

    assert response.status_code == 403
    assert "Reports taken online instead of by a squad" not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in():
    response = Client().get(DASHBOARD)

    assert response.status_code == 302
    assert "login" in response.url
    assert "dashboard" in response.url
