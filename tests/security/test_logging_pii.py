"""Residents' personal data never reaches the logs (CJIS 5.4.1.1.1, ASVS V7.1): what the
configured 'console' handler writes while a whole report is filed, and when a database
error quotes personal data, holds no email, phone, date of birth or name."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import uuid
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.http import QueryDict

from ereport.logging import RedactPersonalData, redact
from reports.models import Report
from tests.security import about, browser, file_report

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zenobia", "Quartermaine"
EMAIL = "zenobia.quartermaine@example.org"
PHONE_DIGITS = "6125550147"
DOB = dt.date(1979, 8, 14)


def personal_data_in(text: str) -> list[str]:
    """Which of the resident's data a piece of log output still holds."""
    digits = re.sub(r"\D", "", text)
    checks = {
        "email": EMAIL.lower() in text.lower() or "zenobia.quartermaine@" in text.lower(),
        "phone": PHONE_DIGITS in digits or "555-0147" in text or "5550147" in text,
        "date of birth": any(
            form in text
            for form in (DOB.isoformat(), "08/14/1979", "8/14/1979", "1979, 8, 14", "14/08/1979")
        ),
        "first name": FIRST in text,
        "last name": LAST in text,
    }
    return [name for name, found in checks.items() if found]


def console_handler() -> logging.Handler:
    """The handler settings.LOGGING configured as 'console', as Django set it up."""
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert len(handlers) == 1, "settings.LOGGING configures one 'console' handler on root"
    return handlers[0]


@contextmanager
def console_output():
    """Everything the configured console handler writes, with every logger's records
    let through (the root at DEBUG): filters and formatter exactly as configured."""
    handler = console_handler()
    buffer = io.StringIO()
    root = logging.getLogger()
    old_stream, old_level = handler.setStream(buffer), root.level
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.setLevel(old_level)
        handler.setStream(old_stream)


def test_the_console_handler_runs_the_redaction_filter():
    handler = console_handler()

    assert any(isinstance(f, RedactPersonalData) for f in handler.filters)


def test_filing_a_whole_report_logs_no_personal_data(django_capture_on_commit_callbacks):
    client = browser(180)
    overrides = {
        "about_you": {
            **about(FIRST, LAST, EMAIL),
            "phone": "(612) 555-0147",
            "date_of_birth": DOB.isoformat(),
        },
        "narrative": {
            "narrative": f"I am {FIRST} {LAST}, call me at 612-555-0147 or write to {EMAIL}."
        },
    }

    with console_output() as output, django_capture_on_commit_callbacks(execute=True):
        report = file_report(client, overrides=overrides, photo=True)
        client.get("/report/confirmation/")
        client.post("/status/", {"tracking_number": report.tracking_number, "email": EMAIL})
        client.get("/status/report/")

    assert report.reporter_last_name == LAST
    assert personal_data_in(output.getvalue()) == []


def test_a_database_error_quoting_an_email_is_logged_without_it():
    User.objects.create_user(EMAIL, EMAIL)
    logger = logging.getLogger("reports.services")

    with console_output() as output:
        try:
            with transaction.atomic():
                User.objects.create_user(EMAIL, EMAIL)
        except IntegrityError:
            logger.exception("could not create the account for %s", EMAIL)

    text = output.getvalue()
    assert "IntegrityError" in text  # the traceback itself is kept
    assert personal_data_in(text) == []


def test_a_database_error_quoting_a_whole_row_is_logged_without_personal_data():
    # PostgreSQL's NOT NULL errors quote the failing row: every column of the report.
    logger = logging.getLogger("reports.services")
    now = dt.datetime.now(dt.UTC)

    with console_output() as output:
        try:
            with transaction.atomic():
                Report.objects.create(
                    tracking_number=None,
                    submission_key=uuid.uuid4(),
                    report_type="theft",
                    submitted_at=now,
                    language="en",
                    reporter_first_name=FIRST,
                    reporter_last_name=LAST,
                    reporter_date_of_birth=DOB,
                    reporter_phone="+1" + PHONE_DIGITS,
                    reporter_email=EMAIL,
                    reporter_street="4471 Larkspur Lane",
                    reporter_city="Minneapolis",
                    reporter_state="MN",
                    reporter_zip="55415",
                    reporting_for="self",
                    occurred_start=now,
                    place_kind="street",
                    narrative="Someone took my bicycle from the rack.",
                    declared_at=now,
                )
        except IntegrityError:
            logger.exception("report submission failed")

    text = output.getvalue()
    assert "not-null constraint" in text
    assert personal_data_in(text) == []


ANSWERS = {
    "first_name": FIRST,
    "last_name": LAST,
    "email": EMAIL,
    "phone": "+1" + PHONE_DIGITS,
    "date_of_birth": DOB.isoformat(),
}


def test_a_message_quoting_the_answers_is_logged_without_them():
    logger = logging.getLogger("reports.wizard")

    with console_output() as output:
        logger.warning("step refused: %s", ANSWERS)

    assert personal_data_in(output.getvalue()) == []


def test_a_message_quoting_the_posted_form_is_logged_without_it():
    # What a "log the request" line prints: the POST as Django holds it.
    posted = QueryDict(mutable=True)
    posted.update({f"about_you-{name}": value for name, value in ANSWERS.items()})
    logger = logging.getLogger("reports.wizard")

    with console_output() as output:
        logger.warning("step refused: %r", posted)

    assert "QueryDict" in output.getvalue()
    assert personal_data_in(output.getvalue()) == []


# --- redact(), case by case ----------------------------------------------------------------

REDACT_CASES = [
    ("email", "duplicate key (email)=(ana.lopez+x@mail.example.co.uk)", "ana.lopez"),
    ("email in caps", "to ANA@EXAMPLE.ORG failed", "ANA@"),
    ("phone with dashes", "call 612-555-0123 now", "555-0123"),
    ("phone with parentheses", "call (612) 555-0123", "555-0123"),
    ("phone E.164", "phone=+16125550123", "6125550123"),
    ("phone with dots", "612.555.0123", "555.0123"),
    ("phone with spaces and country code", "+1 612 555 0123", "555 0123"),
    ("phone, bare digits", "phone 6125550123", "6125550123"),
    ("ISO date", "born 1985-04-23", "1985-04-23"),
    ("US date", "born 04/23/1985", "04/23/1985"),
    ("first name field", "first_name='Ana'", "Ana"),
    ("last name in JSON", '{"last_name": "Lopez"}', "Lopez"),
    ("reporter name field", "reporter_name=Ana Lopez,", "Ana Lopez"),
    ("respondent name", "respondent_name: John Roe", "John Roe"),
    ("other party", "other_party_name='Sam Roe'", "Sam Roe"),
]


@pytest.mark.parametrize(
    ("case", "text", "secret"), REDACT_CASES, ids=[case for case, *_ in REDACT_CASES]
)
def test_redact_removes_personal_data(case, text, secret):
    assert secret not in redact(text), case


KEPT_CASES = [
    ("timestamp", "2026-03-02 15:00:00 INFO started"),
    ("ISO timestamp", "at 2026-03-02T15:00:00Z"),
    ("tracking number", "report ER-7K3M-9QXD-4 filed"),
    ("uuid", "report 2f1c6a0e-52b1-4c1e-9d0f-6f4b1f0e9c11"),
    # A Celery worker's log line: the task's id once read "b5db-[phone]b2".
    ("uuid with ten digits in a row", "Task x[40f6782a-781d-48c7-b5db-6125550123b2] succeeded"),
    ("uuid ending in twelve digits", "report 2f1c6a0e-52b1-4c1e-9d0f-612555012345"),
    ("short number", "took 250 ms for 3 files"),
    ("path", "GET /admin/reports/report/ 200"),
]


@pytest.mark.parametrize(("case", "text"), KEPT_CASES, ids=[case for case, _ in KEPT_CASES])
def test_redact_keeps_what_operators_need(case, text):
    assert redact(text) == text, case


def test_the_filter_redacts_arguments_and_tracebacks():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "mail to %s failed", ("ana@example.org",), None
    )
    try:
        raise ValueError("bad phone 612-555-0123")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()

    RedactPersonalData().filter(record)
    formatted = logging.Formatter().format(record)

    assert "ana@example.org" not in formatted
    assert "612-555-0123" not in formatted
    assert "[email]" in formatted
    assert "ValueError" in formatted
