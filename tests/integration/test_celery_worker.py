"""Case copies made by real Celery workers through the real Redis broker: the normal
path, a broker that is down when the report is filed, a worker killed in the middle of a
render, and the same task delivered several times."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports.copies import casefiles
from reports.models import CaseCopy, Report, ResidentEmail
from reports.notify import emails
from reports.tasks import render_case_copy
from tests.integration.conftest import point_app_at, wait_for
from tests.reports.wizard_data import STEP_DATA, file_report

pytestmark = [pytest.mark.timeout(120)]

DEAD_BROKER = "redis://127.0.0.1:1/0"
NARRATIVE = STEP_DATA["narrative"]["narrative"]
SERIAL = "SN-WORKER-4242"
ITEMS = [
    {
        "category": "electronics",
        "description": "Grey laptop",
        "brand": "Lenovo",
        "model": "T14",
        "serial_number": SERIAL,
        "color": "Grey",
        "quantity": "1",
        "value": "1100.00",
    }
]


def file_theft(client=None) -> Report:
    client = client or Client()
    response = file_report(client, "theft", {"items": ITEMS})
    assert response.status_code == 302
    assert response.url == reverse("reports:confirmation")
    return Report.objects.latest("submitted_at")


def ready_copy(report: Report, version: int = 1) -> CaseCopy | None:
    return CaseCopy.objects.filter(report=report, version=version, state="ready").first()


def wait_until_ready(report: Report, *, timeout: float = 60) -> CaseCopy:
    return wait_for(
        lambda: ready_copy(report),
        timeout=timeout,
        message=f"the copy of {report.tracking_number}",
    )


def files_of(report: Report) -> list[str]:
    folder = f"casecopies/{report.pk}"
    if not default_storage.exists(folder):
        return []
    return sorted(default_storage.listdir(folder)[1])


def pdf_text(copy: CaseCopy) -> str:
    with default_storage.open(copy.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def nospace(text: str) -> str:
    """Without white space: a long serial number in a narrow cell breaks where it must."""
    return "".join(text.split())


def age(report: Report) -> None:
    """Make the report's copy request older than the sweeper's two minutes."""
    CaseCopy.objects.filter(report=report).update(
        requested_at=timezone.now() - casefiles.SWEEP_AFTER - dt.timedelta(seconds=10)
    )


def assert_made_once(report: Report) -> CaseCopy:
    copies = list(CaseCopy.objects.filter(report=report))
    assert len(copies) == 1
    copy = copies[0]
    assert copy.state == "ready"
    assert copy.file.name == f"casecopies/{report.pk}/v1.pdf"
    assert files_of(report) == ["v1.pdf"]
    text = pdf_text(copy)
    assert report.tracking_number in text
    assert SERIAL in nospace(text)
    return copy


def test_worker_makes_the_copy_of_a_report_filed_through_the_site(worker):
    report = file_theft()

    copy = wait_until_ready(report)

    text = pdf_text(copy)
    assert report.tracking_number in text
    assert NARRATIVE in text
    assert SERIAL in nospace(text)
    assert_made_once(report)
    assert copy.attempts == 1
    assert re.search(r"Task reports.render_case_copy\[[^\]]+\] succeeded", worker.log("w1"))


def test_report_filed_while_the_broker_is_down_gets_its_copy_from_the_sweeper(worker, broker):
    point_app_at(DEAD_BROKER)
    try:
        started = time.monotonic()
        response = file_report(Client(), "theft", {"items": ITEMS})
        took = time.monotonic() - started
    finally:
        point_app_at(broker)

    assert response.status_code == 302
    assert response.url == reverse("reports:confirmation")
    report = Report.objects.get()
    assert CaseCopy.objects.get(report=report).state == "pending"
    assert took < 30

    time.sleep(2)  # nothing reached the worker: the copy is still pending
    assert CaseCopy.objects.get(report=report).state == "pending"

    age(report)
    queued = casefiles.casefile_sweep()

    assert queued == 1
    wait_until_ready(report)
    assert_made_once(report)
    # The confirmation email was owed while the broker was down: the sweeper sends it.
    owed = ResidentEmail.objects.get(report=report, kind="confirmation")
    assert owed.sent_at is None
    ResidentEmail.objects.filter(pk=owed.pk).update(
        queued_at=timezone.now() - emails.SWEEP_AFTER - dt.timedelta(seconds=10)
    )
    assert emails.emails_sweep() == 1
    wait_for(
        lambda: ResidentEmail.objects.get(pk=owed.pk).sent_at,
        timeout=60,
        message="the confirmation email",
    )
    subject = f"Subject: We received your police report {report.tracking_number}"
    assert worker.log("w1").count(subject) == 1


def test_copy_arrives_exactly_once_after_its_worker_is_killed_mid_render(workers):
    report = file_theft()  # queued; no worker is running yet
    workers.start("w1", wait=False)
    # The render counts its attempt, then spends a second or more in WeasyPrint.
    wait_for(
        lambda: CaseCopy.objects.filter(report=report, attempts=1).exists(),
        timeout=30,
        interval=0.01,
        message="the worker to start rendering",
    )

    workers.kill("w1")

    copy = CaseCopy.objects.get(report=report)
    assert copy.state == "pending", "the render finished before the kill: nothing was tested"
    assert files_of(report) == []

    workers.start("w1")
    # The lost message comes back only after the broker's visibility timeout (an hour):
    # the sweeper re-queues the copy well before that.
    time.sleep(3)
    if ready_copy(report) is None:
        age(report)
        assert casefiles.casefile_sweep() == 1
    wait_until_ready(report)

    time.sleep(2)  # any late duplicate would have stored a second file by now
    copy = assert_made_once(report)
    assert copy.attempts == 2


def test_the_same_render_delivered_several_times_stores_one_file(workers):
    report = file_theft()  # its own render is queued; no worker is running yet
    for _ in range(3):
        render_case_copy.apply_async(kwargs={"report_id": str(report.pk), "version": 1})

    workers.start("w1")
    workers.start("w2")  # two workers, so two renders of the copy can run at once
    wait_until_ready(report)
    wait_for(
        lambda: (
            sum(
                len(
                    re.findall(r"Task reports.render_case_copy\[[^\]]+\] succeeded", workers.log(w))
                )
                for w in ("w1", "w2")
            )
            == 4
        ),
        timeout=60,
        message="all four deliveries to be processed",
    )

    assert_made_once(report)
