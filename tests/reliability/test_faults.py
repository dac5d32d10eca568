"""Nothing is lost, nothing is doubled: residents file reports through a live server while
a worker is killed, Redis restarts, PostgreSQL restarts, or the same final POST arrives
twice at once. Each test ends by counting: confirmations seen == reports stored ==
copies ready, and no duplicates."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone

from bench.common import Browser
from bench.run import THEFT_STEPS, file_theft, items_data, screen, start_theft, step_data
from reports.copies import casefiles
from reports.models import CaseCopy, Item, Report
from tests.reliability.conftest import postgres_stopped, redis_stopped, wait_for

pytestmark = [pytest.mark.timeout(240), pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 30
THREADS = 6


def file_many(port: int, count: int, salt: str) -> list[str | None]:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(lambda i: file_theft(Browser(port), f"{salt}{i}X", {}), range(count)))


def sweep_until_every_copy_is_ready(numbers: list[str], timeout: float = 120) -> None:
    """What beat does every minute: re-queue copies still pending (aged past the
    sweeper's threshold here, so that the test need not wait two minutes)."""

    def all_ready():
        CaseCopy.objects.filter(state__in=("pending", "failed")).update(
            requested_at=timezone.now() - timedelta(minutes=10)
        )
        casefiles.casefile_sweep()
        ready = (
            CaseCopy.objects.filter(report__tracking_number__in=numbers, state="ready")
            .values("report")
            .distinct()
            .count()
        )
        return ready == len(numbers)

    wait_for(all_ready, timeout=timeout, interval=2, message="every copy ready")


def tally(confirmed: list[str | None]) -> dict:
    numbers = [n for n in confirmed if n]
    reports = Report.objects.filter(tracking_number__in=numbers)
    ready = CaseCopy.objects.filter(report__in=reports, state="ready")
    files = 0
    for report in reports:
        _dirs, names = default_storage.listdir(f"casecopies/{report.pk}")
        files += len(names)
    return {
        "confirmations": len(numbers),
        "reports": reports.count(),
        "copies_ready": ready.values("report").distinct().count(),
        "copy_files": files,
        "duplicate_reports": Report.objects.values("submission_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "duplicate_copies": CaseCopy.objects.values("report", "version")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
    }


def assert_nothing_lost_nothing_doubled(confirmed, *, expected: int | None = None) -> None:
    counts = tally(confirmed)
    n = counts["confirmations"]
    if expected is not None:
        assert n == expected
    assert counts == {
        "confirmations": n,
        "reports": n,
        "copies_ready": n,
        "copy_files": n,
        "duplicate_reports": 0,
        "duplicate_copies": 0,
    }


def test_killed_worker_loses_no_copy_and_makes_none_twice(live_server, workers):
    port = int(live_server.url.rsplit(":", 1)[1])
    workers.start("w1")
    results: list = []
    filing = threading.Thread(target=lambda: results.extend(file_many(port, SUBMISSIONS, "K")))
    filing.start()
    wait_for(
        lambda: CaseCopy.objects.filter(state="ready").exists(),
        timeout=60,
        message="the first copy",
    )
    workers.kill("w1")  # SIGKILL, mid-run
    workers.start("w2")
    filing.join()

    sweep_until_every_copy_is_ready([n for n in results if n])

    assert_nothing_lost_nothing_doubled(results, expected=SUBMISSIONS)


def test_redis_restart_loses_no_report_and_no_copy(live_server, workers):
    port = int(live_server.url.rsplit(":", 1)[1])
    workers.start("w1")
    results: list = []
    filing = threading.Thread(target=lambda: results.extend(file_many(port, SUBMISSIONS, "R")))
    filing.start()
    time.sleep(2)
    with redis_stopped():
        time.sleep(4)  # residents keep filing while Redis is away
    filing.join()

    sweep_until_every_copy_is_ready([n for n in results if n])

    # Every resident either got a confirmation or a page asking to try again (never a
    # traceback); every confirmation has its report and exactly one copy.
    assert results.count(None) <= SUBMISSIONS // 3
    assert_nothing_lost_nothing_doubled(results)


def test_postgres_restart_gives_a_friendly_page_and_the_site_recovers(live_server, worker):
    port = int(live_server.url.rsplit(":", 1)[1])
    before = file_many(port, 5, "B")
    resident = Browser(port)
    screen(resident)
    report = start_theft(resident)
    _s, _l, html = resident.request("GET", f"{report}/about_you/")
    about_you = {
        **step_data("about_you", THEFT_STEPS[0][1]),
        "csrfmiddlewaretoken": resident.csrf(html),
    }

    with postgres_stopped():
        # Saving a step needs the database: the resident is asked to try again shortly.
        status, _location, page = resident.request("POST", f"{report}/about_you/", about_you)
        health, _l, _b = Browser(port).request("GET", "/healthz")

    # Back: the same resident carries on where they were (the session lived on).
    again, next_step, _b = resident.request("POST", f"{report}/about_you/", about_you)
    after = file_many(port, 5, "A")
    sweep_until_every_copy_is_ready([n for n in before + after if n])

    assert status == 503
    assert "We will be back in a moment" in page
    assert (again, next_step) == (302, f"{report}/when_where/")
    assert "Traceback" not in page
    assert health == 503
    # No half-written report: each theft report has its items and its copy.
    assert not Report.objects.filter(report_type="theft", items__isnull=True).exists()
    assert Item.objects.filter(report__isnull=True).count() == 0
    assert_nothing_lost_nothing_doubled(before + after, expected=10)


def test_the_same_final_post_sent_twice_at_once_makes_one_report(live_server, worker):
    port = int(live_server.url.rsplit(":", 1)[1])
    resident = Browser(port)
    screen(resident)
    report = start_theft(resident)
    for step, fields in THEFT_STEPS[:-1]:
        _s, _l, html = resident.request("GET", f"{report}/{step}/")
        data = items_data(2, "D") if step == "items" else step_data(step, fields)
        data["csrfmiddlewaretoken"] = resident.csrf(html)
        resident.request("POST", f"{report}/{step}/", data)
    _s, _l, html = resident.request("GET", f"{report}/declaration/")
    final = step_data("declaration", {"confirm": "on"})
    final["csrfmiddlewaretoken"] = resident.csrf(html)
    tabs = [Browser(port, cookies=dict(resident.cookies)) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers = []

    def submit(tab):
        barrier.wait()
        answers.append(tab.request("POST", f"{report}/declaration/", final)[:2])

    threads = [threading.Thread(target=submit, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _status, _l, page = resident.request("GET", "/report/confirmation/")
    number = page.split('id="tracking-number">', 1)[1].split("<", 1)[0].strip()
    sweep_until_every_copy_is_ready([number])

    assert sorted(code for code, _location in answers) == [302, 302]
    assert Report.objects.count() == 1
    assert_nothing_lost_nothing_doubled([number], expected=1)
