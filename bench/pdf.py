"""PDF case copy speed and memory: `python bench/pdf.py`.

In one process (as a worker would): the median time of a typical copy (2 pages, 5 items,
one supplement) against WeasyPrint's floor (a one-line document), their ratio, and the
resident memory growth over 500 copies. Uses an unsaved report held in memory, so no
database is needed beyond Django's settings.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ereport.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from bench.common import rss_mb, write_result  # noqa: E402
from reports import tracking  # noqa: E402
from reports.copies import pdf  # noqa: E402
from reports.models import Item, Report, Supplement  # noqa: E402


def typical_report() -> tuple[Report, dict]:
    now = timezone.now()
    report = Report(
        id=uuid.uuid4(),
        tracking_number=tracking.generate(),
        submission_key=uuid.uuid4(),
        report_type="theft",
        submitted_at=now,
        language="en",
        screening={"outcome": "eligible", "answers": {"in_city": "yes"}},
        reporter_first_name="Ana",
        reporter_last_name="Lopez",
        reporter_date_of_birth=(now - timedelta(days=40 * 365)).date(),
        reporter_phone="+16125550123",
        reporter_email="ana@example.org",
        reporter_street="350 S 5th St",
        reporter_city="Minneapolis",
        reporter_state="MN",
        reporter_zip="55415",
        reporting_for="self",
        occurred_start=now - timedelta(days=1),
        location="Lake St and Hiawatha Ave",
        place_kind="street",
        narrative=(
            "Someone cut the lock on my bike and took it from the rack outside the "
            "library. A neighbour saw a white van parked there earlier.\n"
        )
        * 12,
        details={"theft_kind": "bicycle", "entered_building": "no", "force_or_threat": "no"},
        total_value=Decimal("1650.00"),
        nibrs_code="23H",
        declared_at=now,
    )
    items = [
        Item(
            report=report,
            position=i,
            category="electronics",
            description=f"Item {i}",
            brand="Trek",
            model="Marlin",
            serial_number=f"WTU{i:06d}",
            color="Black",
            quantity=1,
            value=Decimal("330.00"),
        )
        for i in range(5)
    ]
    supplement = Supplement(report=report, created_at=now, narrative="I found the receipt.")
    # The context casefiles.casefile_context builds from the database, built here from
    # unsaved rows so that the benchmark needs no data.
    context = {
        "type_label": "Theft",
        "nibrs_code": "23H",
        "nibrs_label": "All Other Larceny",
        "detail_rows": [("What was stolen?", "A bicycle")],
        "items": items,
        "vehicles": [],
        "people": [],
        "court_orders": [],
        "accounts": [],
        "supplements": [supplement],
        "attachments": [],
        "children": [],
        "screening_answers": [("in_city", "yes")],
        "machine_readable": {"tracking_number": report.tracking_number, "items": len(items)},
    }
    return report, context


def median_seconds(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    report, context = typical_report()
    floor_html = "<!DOCTYPE html><html><body><p>Floor.</p></body></html>"

    def typical():
        return pdf.render_case_copy(
            report, version=1, verification_code="ABCDE-12345", context=context
        )

    def floor():
        return pdf.render_html(floor_html)

    typical()
    floor()  # warm up: fonts, stylesheet
    floor_s = median_seconds(floor, 30)
    typical_s = median_seconds(typical, 30)
    pages = typical().count(b"/Type /Page\n") or None
    before = rss_mb(os.getpid())
    for _ in range(500):
        typical()
    after = rss_mb(os.getpid())
    result = {
        "floor_ms": round(floor_s * 1000, 1),
        "typical_ms": round(typical_s * 1000, 1),
        "ratio": round(typical_s / floor_s, 2),
        "typical_pages": pages,
        "rss_before_mb": before,
        "rss_after_500_mb": after,
        "rss_growth_mb": round(after - before, 1),
    }
    write_result("pdf", result)
    print(result)


if __name__ == "__main__":
    main()
