"""PDF case copy speed and memory: `python bench/pdf.py`.

In one process (as a worker would): the median of 10 renders of a typical copy (5 items,
one supplement, a long narrative; two pages) against the median of 10 renders of its
floor: WeasyPrint on plain HTML holding the same text (read back from the copy with
pypdf), one paragraph per line, no stylesheet, no PDF/A, no attachment, filling the same
number of pages. The two are rendered alternately. Their page counts are read with pypdf
and asserted (the copy's against the count this benchmark claims, the floor's against
the copy's), then the resident memory growth over 500 copies. Uses an unsaved report held
in memory, so no database is needed beyond Django's settings.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ereport.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.common import WORKER_CONCURRENCY, rss_mb, write_result  # noqa: E402
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
        * 6,
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


RUNS = 10
TYPICAL_PAGES = 2  # what the README calls a typical copy
GOAL = 2.0  # issue 17: a copy at most twice its plain-HTML floor


def pages_and_text(pdf_bytes: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def plain_html(text: str) -> str:
    """The copy's text as plain HTML: a paragraph a line, on the copy's paper and in its
    font and size, so that it fills as many pages."""
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())
    style = (
        "@page { size: Letter; margin: 22mm 16mm 20mm } html { font: 9.5pt 'DejaVu Sans' }"
        " p { margin: 0 0 1mm }"
    )
    return f"<!DOCTYPE html><html lang='en'><style>{style}</style><body>{paragraphs}</body></html>"


def alternate(first, second, runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds of each, run in turn, so that other load on the machine falls on
    both alike: CPU seconds of this process (what a render costs; the ratio is taken
    from these, as other processes on two shared cores stretch wall time unevenly) and
    wall seconds."""
    cpu: tuple[list, list] = ([], [])
    wall: tuple[list, list] = ([], [])
    for _ in range(runs):
        for i, fn in enumerate((first, second)):
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            cpu[i].append(time.process_time() - start_cpu)
            wall[i].append(time.perf_counter() - start)
    return {
        "cpu": (statistics.median(cpu[0]), statistics.median(cpu[1])),
        "wall": (statistics.median(wall[0]), statistics.median(wall[1])),
    }


def breakdown(report, context, runs: int) -> dict:
    """What the copy's extras cost, from the same HTML rendered without each (median CPU
    ms, alternated), and how many times WeasyPrint lays out each page."""
    import re

    import weasyprint
    import weasyprint.layout.page as pages_module

    captured = {}
    render_html = pdf.render_html

    def capture(html, *, attachments=None):
        captured["html"] = html
        return render_html(html, attachments=attachments)

    pdf.render_html = capture
    try:
        pdf.render_case_copy(report, version=1, verification_code="ABCDE-12345", context=context)
    finally:
        pdf.render_html = render_html
    html = captured["html"]
    bare = re.sub(r'<div class="page-(header|footer)">.*?</div>', "", html, flags=re.S)
    no_page_numbers = weasyprint.CSS(string="@page { @bottom-right { content: none } }")

    def render(document, *, variant="pdf/a-3b", extra=()):
        def run():
            return weasyprint.HTML(
                string=document,
                base_url=pdf.PDF_ASSETS.as_uri() + "/",
                url_fetcher=pdf.url_fetcher(),
            ).write_pdf(
                stylesheets=[pdf._stylesheet(), *extra],
                font_config=pdf._font_config(),
                pdf_variant=variant,
            )

        return run

    variants = {
        "as made": render(html),
        "without PDF/A": render(html, variant=None),
        "without running header and footer": render(bare),
        "without Page X of Y": render(html, extra=[no_page_numbers]),
    }
    samples = {name: [] for name in variants}
    for _ in range(runs):
        for name, fn in variants.items():
            start = time.process_time()
            fn()
            samples[name].append(time.process_time() - start)
    medians = {name: statistics.median(v) for name, v in samples.items()}
    made = medians["as made"]
    share = {
        name: round(100 * (made - m) / made, 1) for name, m in medians.items() if name != "as made"
    }

    # Layout passes: WeasyPrint lays a page out in remake_page; count the calls per page.
    calls = 0
    remake_page = pages_module.remake_page

    def counting(*args, **kwargs):
        nonlocal calls
        calls += 1
        return remake_page(*args, **kwargs)

    pages_module.remake_page = counting
    try:
        document = weasyprint.HTML(
            string=html, base_url=pdf.PDF_ASSETS.as_uri() + "/", url_fetcher=pdf.url_fetcher()
        ).render(stylesheets=[pdf._stylesheet()], font_config=pdf._font_config())
    finally:
        pages_module.remake_page = remake_page
    return {
        "cpu_ms": {name: round(m * 1000, 1) for name, m in medians.items()},
        "share_of_copy_percent": share,
        "page_layouts_per_page": round(calls / len(document.pages), 2),
    }


THROUGHPUT_COPIES = 20  # per process


def throughput(render) -> dict:
    """Copies a second when WORKER_CONCURRENCY processes (the Celery worker's, as
    docker/compose.yaml) render typical copies at once and nothing else runs: the most
    the worker can make on this machine, whatever the web does."""
    pipes = []
    started = time.perf_counter()
    for _ in range(WORKER_CONCURRENCY):
        read, write = os.pipe()
        if os.fork() == 0:  # a child: render, report its wall seconds, leave
            os.close(read)
            try:
                begin = time.perf_counter()
                for _ in range(THROUGHPUT_COPIES):
                    render()
                os.write(write, str(time.perf_counter() - begin).encode())
            finally:  # never back into main(), even when a render fails
                os._exit(0)
        os.close(write)
        pipes.append(read)
    per_process = []
    for read in pipes:
        with os.fdopen(read) as handle:
            reported = handle.read()
        if not reported:
            raise RuntimeError("a rendering process failed: see its error above")
        per_process.append(float(reported))
    for _ in pipes:
        os.wait()
    elapsed = time.perf_counter() - started
    return {
        "processes": WORKER_CONCURRENCY,
        "copies_per_second": round(WORKER_CONCURRENCY * THROUGHPUT_COPIES / elapsed, 1),
        "wall_ms_per_copy": [round(1000 * s / THROUGHPUT_COPIES, 1) for s in per_process],
    }


def main() -> None:
    import weasyprint

    report, context = typical_report()

    def typical():
        return pdf.render_case_copy(
            report, version=1, verification_code="ABCDE-12345", context=context
        )

    copy_pages, text = pages_and_text(typical())
    assert copy_pages == TYPICAL_PAGES, f"the typical copy has {copy_pages} pages, not 2"
    floor_document = plain_html(text)

    def floor():
        return weasyprint.HTML(string=floor_document).write_pdf()

    floor_pages, _text = pages_and_text(floor())
    assert floor_pages == copy_pages, f"the floor has {floor_pages} pages, the copy {copy_pages}"
    timings = alternate(typical, floor, RUNS)
    typical_s, floor_s = timings["cpu"]
    extras = breakdown(report, context, RUNS)
    at_once = throughput(typical)
    before = rss_mb(os.getpid())
    for _ in range(500):
        typical()
    after = rss_mb(os.getpid())
    ratio = round(typical_s / floor_s, 2)
    result = {
        "how": (
            f"one process, median CPU time of {RUNS} renders each, alternated; the floor is "
            "WeasyPrint on plain HTML of the copy's text with the same page count"
        ),
        "floor_ms": round(floor_s * 1000, 1),
        "typical_ms": round(typical_s * 1000, 1),
        "ratio": ratio,
        "wall_ms": {
            "typical": round(timings["wall"][0] * 1000, 1),
            "floor": round(timings["wall"][1] * 1000, 1),
        },
        "goal": GOAL,
        "meets_goal": ratio <= GOAL,
        "typical_pages": copy_pages,
        "floor_pages": floor_pages,
        "breakdown": extras,
        "throughput": at_once,
        "rss_before_mb": before,
        "rss_after_500_mb": after,
        "rss_growth_mb": round(after - before, 1),
        "load_average": os.getloadavg(),
    }
    write_result("pdf", result)
    print(result)


if __name__ == "__main__":
    main()
