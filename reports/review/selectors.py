"""Read queries for staff: the access funnel (every report a staff member opens is
logged), the search that the clerks' queue and the officers' portal share, the CSV
export and the dashboard's figures."""

from __future__ import annotations

import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, Count, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ereport.http import client_ip
from reports import tracking
from reports.enums import OPEN_STATUSES, ReportStatus
from reports.models import AccessLog, Item, PersonResponsible, Report, ReportDayCount, Vehicle
from reports.registry import REPORT_TYPES
from screening.models import ScreeningOutcome
from screening.reasons import reason_words
from screening.rules import OUTCOMES_911


def report_for_staff(*, request, report_id, action: str) -> Report | None:
    """The access funnel for staff: fetch one report for `request.user` and write the
    access-log row. The caller has checked the permission; a missing report is None."""
    try:
        report = Report.objects.filter(pk=report_id).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id is "not found"
        report = None
    if report is None:
        return None
    AccessLog.objects.create(
        at=timezone.now(),
        user=request.user,
        report=report,
        action=action,
        ip_address=client_ip(request),
    )
    return report


# Each search branch is a lookup one index answers; the branches are run one by one and
# their report ids joined, because one big OR across joined tables defeats every index.
_MAX_MATCHES = 1000


def report_ids_matching(text: str) -> set:
    """Reports a staff search box matches: a tracking or case number, a reporter's name,
    email or phone, a serial number, a plate or VIN, or a person responsible's name."""
    text = text.strip()[:100]
    if not text:
        return set()
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    branches = [Report.objects.filter(case_number=text.upper())]
    if canonical := tracking.normalize(text):
        branches.append(Report.objects.filter(tracking_number=canonical))
    parts = text.split()
    if len(parts) == 2:
        branches.append(
            Report.objects.filter(
                reporter_first_name__iexact=parts[0], reporter_last_name__iexact=parts[1]
            )
        )
    branches += [
        Report.objects.filter(reporter_last_name__iexact=text),
        Report.objects.filter(reporter_first_name__iexact=text),
    ]
    if "@" in text:
        branches.append(Report.objects.filter(reporter_email__iexact=text))
    if phone := _e164(text):
        branches.append(Report.objects.filter(reporter_phone=phone))
    ids = set()
    for branch in branches:
        ids.update(branch.values_list("pk", flat=True)[:_MAX_MATCHES])
    related = [
        Item.objects.filter(serial_number__iexact=text),
        Vehicle.objects.filter(plate=compact) if compact else Vehicle.objects.none(),
        Vehicle.objects.filter(vin=compact) if len(compact) == 17 else Vehicle.objects.none(),
        PersonResponsible.objects.filter(name__icontains=text),
    ]
    if compact and compact != text.upper():
        related.append(Item.objects.filter(serial_number__iexact=compact))
    for queryset in related:
        ids.update(queryset.values_list("report_id", flat=True)[:_MAX_MATCHES])
    return ids


def reports_matching(queryset, text: str):
    """`queryset` narrowed to the reports the search box matches (report_ids_matching)."""
    ids = report_ids_matching(text)
    if connection.vendor == "postgresql" and ids:
        # The ids as one array parameter: as a list (pk__in) each of up to thousands of
        # ids is a parameter that the page and its count each compile and send, which
        # profiling showed to be a third of a common name's search at a million reports.
        array = RawSQL("SELECT unnest(%s::uuid[])", ([str(pk) for pk in ids],))
        return queryset.filter(pk__in=array)
    return queryset.filter(pk__in=ids)


def _e164(text: str) -> str | None:
    import phonenumbers  # only searches that look like phone numbers parse them

    if sum(ch.isdigit() for ch in text) < 7:
        return None
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def reports_search(
    *,
    text: str = "",
    report_type: str = "",
    submitted_from=None,
    submitted_to=None,
):
    """Officers' search: the search box (see report_ids_matching), narrowed by type and
    date, newest first."""
    qs = Report.objects.all()
    if text.strip():
        qs = reports_matching(qs, text)
    if report_type:
        qs = qs.filter(report_type=report_type)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    return qs.order_by("-submitted_at")


DUPLICATE_WINDOW = timedelta(days=30)
_DUPLICATES_SHOWN = 20


@dataclass
class PossibleDuplicate:
    report: Report
    reasons: list[str]


def possible_duplicates(report: Report) -> list[PossibleDuplicate]:
    """Other reports that may tell the same story: the same serial number, VIN or plate,
    the resident's email or phone, or the same address and type filed within 30 days.
    Each branch is one lookup an index answers (a handful of statements at any table
    size); the newest matches first."""
    found: dict[uuid.UUID, list[str]] = defaultdict(list)

    def add(ids, reason) -> None:
        for report_id in ids:
            if report_id != report.pk and reason not in found[report_id]:
                found[report_id].append(reason)

    serials = {s for s in report.items.values_list("serial_number", flat=True) if s}
    if serials:
        add(
            Item.objects.filter(serial_number__in=serials)
            .exclude(report_id=report.pk)
            .values_list("report_id", flat=True)[:_DUPLICATES_SHOWN],
            _("same serial number"),
        )
    vehicles = list(report.vehicles.values_list("plate", "vin"))
    plates = {plate for plate, _vin in vehicles if plate}
    vins = {vin for _plate, vin in vehicles if vin}
    if vins:
        add(
            Vehicle.objects.filter(vin__in=vins)
            .exclude(report_id=report.pk)
            .values_list("report_id", flat=True)[:_DUPLICATES_SHOWN],
            _("same VIN"),
        )
    if plates:
        add(
            Vehicle.objects.filter(plate__in=plates)
            .exclude(report_id=report.pk)
            .values_list("report_id", flat=True)[:_DUPLICATES_SHOWN],
            _("same licence plate"),
        )
    others = Report.objects.exclude(pk=report.pk)
    if report.reporter_email:  # blank when the resident gave none: that is no match
        add(
            others.filter(reporter_email__iexact=report.reporter_email)
            .order_by()
            .values_list("pk", flat=True)[:_DUPLICATES_SHOWN],
            _("same resident email"),
        )
    if report.reporter_phone:
        add(
            others.filter(reporter_phone=report.reporter_phone)
            .order_by()
            .values_list("pk", flat=True)[:_DUPLICATES_SHOWN],
            _("same resident phone"),
        )
    if report.location.strip():
        add(
            others.filter(
                report_type=report.report_type,
                submitted_at__range=(
                    report.submitted_at - DUPLICATE_WINDOW,
                    report.submitted_at + DUPLICATE_WINDOW,
                ),
                location__iexact=report.location.strip(),
            )
            .order_by()
            .values_list("pk", flat=True)[:_DUPLICATES_SHOWN],
            _("same address and type within 30 days"),
        )
    if not found:
        return []
    reports = Report.objects.filter(pk__in=list(found)).order_by("-submitted_at")[
        :_DUPLICATES_SHOWN
    ]
    return [PossibleDuplicate(r, [str(reason) for reason in found[r.pk]]) for r in reports]


EXPORT_COLUMNS = (
    ("tracking_number", "Tracking number"),
    ("case_number", "Case number"),
    ("report_type", "Type"),
    ("nibrs_code", "NIBRS"),
    ("status", "Status"),
    ("submitted_at", "Submitted"),
    ("decided_at", "Decided"),
    ("assigned_to__username", "Assigned to"),
    ("location", "Location"),
    ("total_value", "Total value"),
)
PII_COLUMNS = (
    ("reporter_first_name", "First name"),
    ("reporter_last_name", "Last name"),
    ("reporter_email", "Email"),
    ("reporter_phone", "Phone"),
    ("reporter_street", "Street"),
    ("reporter_city", "City"),
    ("reporter_zip", "ZIP"),
)


def export_rows(*, queryset, with_pii: bool):
    """CSV rows for the clerks' export, streamed: the header, then one row per report,
    read in chunks so that 100,000 reports never sit in memory at once."""
    columns = EXPORT_COLUMNS + (PII_COLUMNS if with_pii else ())
    yield [label for _field, label in columns]
    values = queryset.order_by().values_list(*(field for field, _label in columns))
    for row in values.iterator(chunk_size=2000):
        yield ["" if value is None else _csv_safe(value) for value in row]


def _csv_safe(value) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A cell starting with = + - @ is a formula in spreadsheets (CSV injection); so is one
    # starting with a look-alike a spreadsheet may fold into them (U+FF1D full-width equals,
    # U+FE62 small plus, U+2212 minus...): the first character is compared in NFKC form.
    first = unicodedata.normalize("NFKC", text[:1]).replace("\u2212", "-")[:1]
    return "'" + text if first in ("=", "+", "-", "@", "\t", "\r") else text


# The median is read over the latest decisions only, so that it costs the same at any
# size: enough to be a fair figure for a records unit, few enough to sort at once.
MEDIAN_OVER_DECISIONS = 1000


def _median_hours_to_decision(since) -> float | None:
    """The median time from submission to decision over the latest decisions (at most
    MEDIAN_OVER_DECISIONS) made since `since`."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP "
                "(ORDER BY EXTRACT(EPOCH FROM decided_at - submitted_at)) "
                "FROM (SELECT decided_at, submitted_at FROM reports_report "
                "WHERE decided_at IS NOT NULL AND decided_at >= %s "
                "ORDER BY decided_at DESC LIMIT %s) AS latest",
                [since, MEDIAN_OVER_DECISIONS],
            )
            seconds = cursor.fetchone()[0]
        return round(seconds / 3600, 1) if seconds is not None else None
    # The embedded SQLite default has no percentile function; its data is small.
    latest = Report.objects.filter(decided_at__gte=since).order_by("-decided_at")
    spans = sorted(
        (d - s).total_seconds()
        for s, d in latest.values_list("submitted_at", "decided_at")[:MEDIAN_OVER_DECISIONS]
    )
    return round(spans[len(spans) // 2] / 3600, 1) if spans else None


def _filed_per_week_and_type(since) -> list[dict]:
    """[{"week": date, "report_type": str, "n": int}] for reports filed since `since`."""
    if connection.vendor == "postgresql":
        # Read from the daily counts a trigger keeps (see ReportDayCount).
        return list(
            ReportDayCount.objects.filter(day__gte=timezone.localdate(since))
            .annotate(week=TruncWeek("day"))
            .values("week", "report_type")
            .annotate(n=Sum("filed"))
        )
    return [
        {**row, "week": row["week"].date()}
        for row in Report.objects.filter(submitted_at__gte=since)
        .annotate(week=TruncWeek("submitted_at"))
        .values("week", "report_type")
        .annotate(n=Count("id"))
    ]


_AGE_WORDS = {
    "under 1 day": _("under 1 day"),
    "1-2 days": _("1 to 2 days"),
    "2-7 days": _("2 to 7 days"),
    "over 7 days": _("over 7 days"),
}


def dashboard_numbers(*, weeks: int = 12) -> dict:
    """The diversion dashboard's figures, from aggregate queries only: the number of
    queries does not grow with the data."""
    since = timezone.now() - timedelta(weeks=weeks)
    outcome_rows = (
        ScreeningOutcome.objects.filter(decided_hour__gte=since)
        .annotate(week=TruncWeek("decided_hour"))
        .values("week", "outcome", "reasons")
        .annotate(n=Sum("count"))
    )
    screening_weeks: dict = defaultdict(lambda: defaultdict(int))
    reasons_911: dict = defaultdict(int)
    for row in outcome_rows:
        week = row["week"].date()
        outcome = row["outcome"]
        group = "911" if outcome in OUTCOMES_911 else outcome
        screening_weeks[week][group] += row["n"]
        if outcome in OUTCOMES_911:
            for reason in row["reasons"] or []:
                reasons_911[reason] += row["n"]

    filed_weeks: dict = defaultdict(lambda: defaultdict(int))
    for row in _filed_per_week_and_type(since):
        filed_weeks[row["week"]][row["report_type"]] += row["n"]
        screening_weeks[row["week"]]["filed"] += row["n"]

    now = timezone.now()
    backlog = (
        Report.objects.filter(status__in=[s.value for s in OPEN_STATUSES])
        .annotate(
            age=Case(
                When(submitted_at__gte=now - timedelta(days=1), then=Value("under 1 day")),
                When(submitted_at__gte=now - timedelta(days=2), then=Value("1-2 days")),
                When(submitted_at__gte=now - timedelta(days=7), then=Value("2-7 days")),
                default=Value("over 7 days"),
            )
        )
        .values("status", "age")
        .annotate(n=Count("id"))
        .order_by("status", "age")
    )
    week_list = sorted(screening_weeks)
    rows = [
        {
            "week": week,
            "eligible": screening_weeks[week]["eligible"],
            "filed": screening_weeks[week]["filed"],
            "sent_911": screening_weeks[week]["911"],
            "sent_311": screening_weeks[week]["call_311"],
            "outside_city": screening_weeks[week]["outside_city"],
        }
        for week in week_list
    ]
    peak = max([max(r["filed"], r["sent_911"], r["eligible"]) for r in rows] or [0]) or 1
    for index, row in enumerate(rows):
        row["x"] = 10 + index * 50
        row["filed_height"] = round(120 * row["filed"] / peak)
        row["sent_911_height"] = round(120 * row["sent_911"] / peak)
        row["filed_y"] = 130 - row["filed_height"]
        row["sent_911_y"] = 130 - row["sent_911_height"]
    return {
        "screening_rows": rows,
        "chart_width": max(60, 10 + 50 * len(rows)),
        "reasons_911": [
            (reason_words(reason), n)
            for reason, n in sorted(reasons_911.items(), key=lambda kv: -kv[1])
        ],
        "filed_by_type": [
            (
                week,
                sorted(
                    (REPORT_TYPES[t].label if t in REPORT_TYPES else t, n) for t, n in types.items()
                ),
            )
            for week, types in sorted(filed_weeks.items())
        ],
        "backlog": [
            {**row, "status": ReportStatus(row["status"]).label, "age": _AGE_WORDS[row["age"]]}
            for row in backlog
        ],
        "median_hours_to_decision": _median_hours_to_decision(since),
        "totals": {
            "filed": sum(r["filed"] for r in rows),
            "sent_911": sum(r["sent_911"] for r in rows),
        },
    }
