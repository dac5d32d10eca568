"""Save and resume without an account: every valid step is kept in a Draft as the resident
goes; "Save and finish later" gives a resume code (shown once, emailed with a signed link)
that works on any device with the email address; wrong pairs get one generic answer and
guessing is rate-limited; drafts are reminded before they expire, then deleted with their
temporary uploads; a full card number never reaches a draft."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import secrets
import time

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from freezegun import freeze_time
from PIL import Image

from reports import retention, tasks
from reports.filing import drafts
from reports.filing.session import ReportSession
from reports.models import Draft, Report
from tests.factories import ReportFactory
from tests.reports.wizard_data import (
    STEP_DATA,
    answer_steps,
    input_value,
    main_text,
    session_rows_decoded,
    start_report,
    step_post,
    step_url,
    steps_of,
)

pytestmark = pytest.mark.django_db

CODE_PATTERN = re.compile(
    r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$"
)
EMAIL = STEP_DATA["about_you"]["email"]  # "Ana.Lopez@Example.org"
SAVED_NOTE = "Your answers are saved as you go."
GENERIC_REFUSAL = "We could not find a saved report with that code and email address."
BAD_LINK = "That link has expired or is not valid. Enter your resume code instead."
RESUME = reverse("reports:resume")
SAVED = reverse("reports:draft_saved")
CARD_NUMBER = "4111 1111 1111 1111"


# --- Helpers ------------------------------------------------------------------------------


def new_client() -> Client:
    """A browser on its own address, so rate limits never mix with other tests or runs."""
    octets = [secrets.randbelow(256), secrets.randbelow(256), secrets.randbelow(254) + 1]
    return Client(REMOTE_ADDR="10.{}.{}.{}".format(*octets))


@pytest.fixture
def resident():
    return new_client()


@pytest.fixture
def private_storage(settings, tmp_path):
    """Private files go to a directory of this test's own."""
    root = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


@pytest.fixture
def own_cache(settings):
    """Rate-limit counters in a cache of this test's own: the shared Redis is flushed by
    every concurrent test run, which would reset the counters mid-test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"drafts-{secrets.token_hex(8)}",
        }
    }
    return settings


def save_later(client, report_type: str, step: str, values=None):
    """Press "Save and finish later" on `step` with these answers."""
    return client.post(
        step_url(client, report_type, step),
        step_post(report_type, step, values) | {"save_later": "1"},
    )


def saved_code(client) -> str:
    """The resume code on the page shown after "Save and finish later"."""
    page = client.get(SAVED)
    assert page.status_code == 200, page
    match = re.search(r'id="resume-code">\s*([^<\s]+)\s*<', page.content.decode())
    assert match, main_text(page)
    return match.group(1)


def theft_saved_at(client, step: str) -> str:
    """Start a theft report, answer every step before `step`, save on `step`; the code."""
    start_report(client, "theft")
    answer_steps(client, "theft", until=step)
    response = save_later(client, "theft", step)
    assert response.url == SAVED, response
    return saved_code(client)


def resume(client, code: str, email: str = EMAIL, **kwargs):
    return client.post(RESUME, {"code": code, "email": email}, **kwargs)


def has_wizard(client, report_type: str = "theft") -> bool:
    """Whether this browser holds a wizard for `report_type` (else it is sent to screening)."""
    if ReportSession(client.session).latest_open_draft(report_type) is None:
        return False
    response = client.get(step_url(client, report_type, "about_you"))
    return response.status_code == 200


def the_draft() -> Draft:
    return Draft.objects.get()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def upload_photo(client, report_type: str = "theft"):
    data = step_post(report_type, "attachments") | {
        "upload": SimpleUploadedFile("photo.jpg", jpeg_bytes()),
        "upload_only": "1",
    }
    return client.post(step_url(client, report_type, "attachments"), data)


def temp_files(root) -> list[str]:
    return sorted(p.name for p in (root / "wizard-tmp").glob("*"))


def resume_link_path(email) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/report/resume/[^/\s\"]+/)", email.body)
    assert match, email.body
    return match.group(1)


def kind_of_draft_email(email) -> str:
    return "reminder" if "deleted soon" in email.subject else "saved"


# --- Autosave -----------------------------------------------------------------------------


def test_each_valid_step_is_copied_into_the_draft_as_the_resident_goes(resident):
    start_report(resident, "theft")
    flow = steps_of("theft")
    answered = []

    for step in flow[: flow.index("review")]:
        response = resident.post(step_url(resident, "theft", step), step_post("theft", step))
        assert response.status_code == 302, (step, main_text(response))
        answered.append(step)

        draft = the_draft()
        assert sorted(draft.data["step_data"]) == sorted(answered)
    draft = the_draft()
    assert draft.report_type == "theft"
    assert draft.email == EMAIL.lower()
    assert draft.data["step_data"]["about_you"]["about_you-first_name"] == ["Ana"]
    assert draft.screening["outcome"] == "eligible"
    assert draft.resume_code_hash == ""  # nobody asked for a code yet


def test_a_step_with_errors_is_not_copied_into_the_draft(resident):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")

    resident.post(
        step_url(resident, "theft", "when_where"),
        step_post("theft", "when_where", {**STEP_DATA["when_where"], "date": "not a date"}),
    )

    assert list(the_draft().data["step_data"]) == ["about_you"]


def test_the_wizard_says_the_answers_are_saved_once_a_step_is_saved(resident):
    start_report(resident, "theft")
    before = main_text(resident.get(step_url(resident, "theft", "about_you")))

    resident.post(step_url(resident, "theft", "about_you"), step_post("theft", "about_you"))
    after = main_text(resident.get(step_url(resident, "theft", "when_where")))

    assert SAVED_NOTE not in before
    assert SAVED_NOTE in after


def test_each_autosave_pushes_the_expiry_a_full_retention_period_ahead(resident):
    start_report(resident, "theft")
    period = dt.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    with freeze_time(timezone.now()) as clock:
        resident.post(step_url(resident, "theft", "about_you"), step_post("theft", "about_you"))
        first = (the_draft().expires_at, timezone.now())
        clock.tick(dt.timedelta(hours=1))
        resident.post(step_url(resident, "theft", "when_where"), step_post("theft", "when_where"))
        second = (the_draft().expires_at, timezone.now())

    for expires, saved in (first, second):
        # At least the period, rounded up to the next whole hour.
        assert saved + period < expires <= saved + period + dt.timedelta(hours=1)
        assert (expires.minute, expires.second, expires.microsecond) == (0, 0, 0)
    assert second[0] == first[0] + dt.timedelta(hours=1)


def test_the_autosaves_of_one_hour_keep_the_same_expiry(resident):
    start_report(resident, "theft")
    top_of_the_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with freeze_time(top_of_the_hour + dt.timedelta(minutes=1)) as clock:
        resident.post(step_url(resident, "theft", "about_you"), step_post("theft", "about_you"))
        first = the_draft().expires_at
        clock.tick(dt.timedelta(minutes=50))
        resident.post(step_url(resident, "theft", "when_where"), step_post("theft", "when_where"))

    assert the_draft().expires_at == first


def test_an_autosave_within_the_hour_rewrites_the_draft_in_place(resident):
    def updates() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_updated('reports_draft'::regclass),"
                " pg_stat_get_xact_tuples_hot_updated('reports_draft'::regclass)"
            )
            return cursor.fetchone()

    start_report(resident, "theft")
    top_of_the_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with freeze_time(top_of_the_hour + dt.timedelta(minutes=1)) as clock:
        resident.post(step_url(resident, "theft", "about_you"), step_post("theft", "about_you"))
        before = updates()
        clock.tick(dt.timedelta(minutes=5))
        resident.post(step_url(resident, "theft", "when_where"), step_post("theft", "when_where"))
        after = updates()

    updated, in_place = after[0] - before[0], after[1] - before[1]
    assert updated >= 1
    assert in_place == updated  # no index entry added (a HOT update)


# --- Save and finish later ---------------------------------------------------------------


def test_save_and_finish_later_shows_a_resume_code_once(resident):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")

    response = save_later(resident, "theft", "when_where")
    page = resident.get(SAVED)
    reload = resident.get(SAVED)

    assert response.url == SAVED
    code = re.search(r'id="resume-code">\s*([^<\s]+)\s*<', page.content.decode()).group(1)
    assert CODE_PATTERN.match(code), code
    text = main_text(page)
    assert "Write this code down" in text
    assert EMAIL.lower() in text  # "We also sent the code and a link to ..."
    assert reload.status_code == 302
    assert reload.url == RESUME
    assert code not in reload.content.decode()


def test_save_and_finish_later_keeps_the_valid_pages_when_this_one_has_errors(resident):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")

    response = save_later(resident, "theft", "when_where", {"timing": "exact", "date": "nope"})

    assert response.url == SAVED
    draft = the_draft()
    assert list(draft.data["step_data"]) == ["about_you"]
    assert draft.resume_code_hash == drafts.code_hash(saved_code(resident))


def test_the_saved_page_gives_the_expiry_date_as_it_is_in_minneapolis(resident):
    # 04:30 UTC is still the evening before in Minneapolis: the date the resident reads
    # must be the local date of the expiry, not the UTC one.
    frozen = dt.datetime.combine(dt.date.today(), dt.time(4, 30), tzinfo=dt.UTC)
    with freeze_time(frozen):
        start_report(resident, "theft")
        save_later(resident, "theft", "about_you")
        page = main_text(resident.get(SAVED))

    expires_local = timezone.localtime(the_draft().expires_at).date()
    assert expires_local != the_draft().expires_at.date()  # the case this test is about
    shown = {expires_local.isoformat(), date_format(expires_local, "DATE_FORMAT")}
    assert any(f"until {date}" in page for date in shown), page


def test_saving_sends_one_email_with_the_code_and_a_signed_link_after_commit(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")

    with django_capture_on_commit_callbacks() as callbacks:
        save_later(resident, "theft", "when_where")
        assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    code = saved_code(resident)
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    html_body = email.alternatives[0][0]
    assert email.to == [EMAIL.lower()]
    assert "saved" in email.subject
    link = settings.SITE_URL + resume_link_path(email)
    for body in (email.body, html_body):
        assert code in body
        assert link in body
        assert settings.SITE_URL + RESUME in body
        # The answers themselves never travel by email.
        assert STEP_DATA["about_you"]["street"] not in body
        assert STEP_DATA["when_where"]["location"] not in body


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_the_saved_and_reminder_emails_are_in_the_residents_language(
    code, mailoutbox, django_capture_on_commit_callbacks
):
    client = new_client()
    client.get(reverse("switch_language", args=[code]), {"next": "/"})
    start_report(client, "theft")
    with django_capture_on_commit_callbacks(execute=True):
        save_later(client, "theft", "about_you")
    with (
        freeze_time(the_draft().expires_at - dt.timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        drafts.drafts_remind_and_expire()

    with translation.override(code):
        expected = [
            translation.gettext("Your unfinished police report is saved"),
            translation.gettext("Your unfinished police report will be deleted soon"),
        ]
    assert [email.subject for email in mailoutbox] == expected


def test_a_draft_resumes_on_another_device_and_the_report_can_be_filed(resident):
    code = theft_saved_at(resident, "theft_details")
    other_device = new_client()

    response = resume(other_device, code)

    assert response.status_code == 302
    assert response.url == step_url(other_device, "theft", "theft_details")
    about = other_device.get(step_url(other_device, "theft", "about_you"))
    assert input_value(about, "about_you-first_name") == "Ana"
    assert input_value(about, "about_you-street") == STEP_DATA["about_you"]["street"]
    draft_id = the_draft().pk

    flow = steps_of("theft")
    for step in flow[flow.index("theft_details") :]:
        response = other_device.post(
            step_url(other_device, "theft", step), step_post("theft", step)
        )
        assert response.status_code == 302, (step, main_text(response))

    assert response.url == reverse("reports:confirmation")
    report = Report.objects.get()
    assert (report.reporter_first_name, report.reporter_last_name) == ("Ana", "Lopez")
    assert report.items.get().serial_number == "WTU123456"
    # The draft keeps no answers once filed, only which report it became.
    filed = Draft.objects.get(pk=draft_id)
    assert (filed.data, filed.report, filed.resume_code_hash) == ({}, report, "")


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(lambda code: code, id="as shown"),
        pytest.param(lambda code: code.lower(), id="lowercase"),
        pytest.param(lambda code: code.replace("-", " "), id="spaces"),
        pytest.param(lambda code: code.replace("-", ""), id="no separators"),
        pytest.param(lambda code: code.replace("0", "O").replace("1", "I"), id="look-alikes"),
    ],
)
def test_the_code_is_read_however_it_is_typed(resident, typed):
    code = theft_saved_at(resident, "when_where")
    other_device = new_client()

    response = resume(other_device, f"  {typed(code)} ", email=f" {EMAIL.upper()} ")

    assert response.status_code == 302, main_text(response)
    assert response.url == step_url(other_device, "theft", "when_where")


def _other_code(code: str) -> str:
    while (other := drafts.new_resume_code()) == code:
        pass
    return other


def _wrong_check_character(code: str) -> str:
    last = code[-1]
    return code[:-1] + next(ch for ch in "0123456789ABCDEFGHJKMNPQRSTVWXYZ" if ch != last)


WRONG_PAIRS = [
    pytest.param(lambda code: code, "someone.else@example.org", 0, id="wrong email"),
    pytest.param(_other_code, EMAIL, 0, id="wrong code"),
    pytest.param(_wrong_check_character, EMAIL, 0, id="mistyped code"),
    pytest.param(lambda code: "ABCD-1234", EMAIL, 0, id="malformed code"),
    pytest.param(lambda code: code, EMAIL, settings.DRAFT_RETENTION_DAYS + 1, id="expired draft"),
]


@pytest.mark.parametrize(("code_for", "email", "days_later"), WRONG_PAIRS)
def test_every_wrong_pair_gets_the_same_generic_answer(resident, code_for, email, days_later):
    code = theft_saved_at(resident, "when_where")
    other_device = new_client()

    with freeze_time(timezone.now() + dt.timedelta(days=days_later)):
        response = resume(other_device, code_for(code), email)
        still_there = has_wizard(other_device)

    assert response.status_code == 200
    assert GENERIC_REFUSAL in main_text(response)
    assert "Saved reports are kept for 30 days." in main_text(response)
    assert not still_there


def test_the_generic_answer_does_not_tell_a_wrong_email_from_a_wrong_code(resident):
    code = theft_saved_at(resident, "when_where")

    wrong_email = main_text(resume(new_client(), code, "someone.else@example.org"))
    wrong_code = main_text(resume(new_client(), _other_code(code)))

    assert wrong_email == wrong_code


def test_the_generic_answer_gives_the_retention_period_in_force(resident, settings):
    settings.DRAFT_RETENTION_DAYS = 21
    code = theft_saved_at(resident, "when_where")

    page = main_text(resume(new_client(), code, "someone.else@example.org"))

    assert GENERIC_REFUSAL in page
    assert "kept for 21 days" in page


def test_resume_attempts_are_limited_per_address(resident, own_cache, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "resume": (3, 3600)}
    code = theft_saved_at(resident, "when_where")
    guesser = new_client()

    answers = [resume(guesser, _other_code(code)) for _ in range(3)]
    blocked = resume(guesser, code)  # even the right pair, once the address is over
    other_address = new_client()
    elsewhere = resume(other_address, code)

    assert all(GENERIC_REFUSAL in main_text(a) for a in answers)
    assert blocked.status_code == 429
    assert not has_wizard(guesser)
    assert elsewhere.status_code == 302
    assert elsewhere.url == step_url(other_address, "theft", "when_where")


def test_resume_attempts_are_limited_per_code_across_addresses(resident, own_cache, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "resume_code": (2, 3600)}
    code = theft_saved_at(resident, "when_where")

    first = resume(new_client(), code, "guess.one@example.org")
    second = resume(new_client(), code, "guess.two@example.org")
    owner = new_client()
    refused = resume(owner, code)  # the right pair, but this code has been guessed at

    assert GENERIC_REFUSAL in main_text(first)
    assert GENERIC_REFUSAL in main_text(second)
    assert refused.status_code == 200
    assert "Too many tries were made with this code" in main_text(refused)
    assert GENERIC_REFUSAL not in main_text(refused)
    assert not has_wizard(owner)


def test_the_signed_link_in_the_email_resumes_directly(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")
    with django_capture_on_commit_callbacks(execute=True):
        save_later(resident, "theft", "when_where")
    other_device = new_client()

    response = other_device.get(resume_link_path(mailoutbox[0]))

    assert response.status_code == 302
    assert response.url == step_url(other_device, "theft", "when_where")
    about = other_device.get(step_url(other_device, "theft", "about_you"))
    assert input_value(about, "about_you-first_name") == "Ana"


def _tampered(path: str) -> str:
    token = path.rstrip("/").rsplit("/", 1)[1]
    position = len(token) // 2
    swapped = "A" if token[position] != "A" else "B"
    return reverse("reports:resume_link", args=[token[:position] + swapped + token[position + 1 :]])


BAD_LINKS = [
    pytest.param(_tampered, 0, id="tampered"),
    pytest.param(lambda path: reverse("reports:resume_link", args=["nonsense"]), 0, id="garbage"),
    pytest.param(lambda path: path, settings.DRAFT_RETENTION_DAYS + 1, id="expired"),
]


@pytest.mark.parametrize(("link_for", "days_later"), BAD_LINKS)
def test_a_bad_or_expired_link_sends_the_resident_to_the_code_form_with_a_message(
    resident, mailoutbox, django_capture_on_commit_callbacks, link_for, days_later
):
    start_report(resident, "theft")
    with django_capture_on_commit_callbacks(execute=True):
        save_later(resident, "theft", "about_you")
    path = resume_link_path(mailoutbox[0])
    other_device = new_client()

    with freeze_time(timezone.now() + dt.timedelta(days=days_later)):
        response = other_device.get(link_for(path), follow=True)
        still_there = has_wizard(other_device)

    assert response.redirect_chain == [(RESUME, 302)]
    assert BAD_LINK in main_text(response)
    assert not still_there


def test_saving_again_gives_a_new_code_and_the_old_one_stops_working(resident):
    old = theft_saved_at(resident, "when_where")

    resident.get(step_url(resident, "theft", "when_where"))
    save_later(resident, "theft", "when_where")
    new = saved_code(resident)

    assert new != old
    refused = resume(new_client(), old)
    assert GENERIC_REFUSAL in main_text(refused)
    laptop = new_client()
    accepted = resume(laptop, new)
    assert accepted.status_code == 302
    assert accepted.url == step_url(laptop, "theft", "when_where")
    assert Draft.objects.count() == 1


def test_saving_again_also_retires_the_link_sent_with_the_old_code(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    start_report(resident, "theft")
    with django_capture_on_commit_callbacks(execute=True):
        save_later(resident, "theft", "about_you")
    old_link = resume_link_path(mailoutbox[0])
    resident.get(step_url(resident, "theft", "when_where"))
    with django_capture_on_commit_callbacks(execute=True):
        save_later(resident, "theft", "when_where")
    new_link = resume_link_path(mailoutbox[1])

    laptop = new_client()
    old = new_client().get(old_link)
    new = laptop.get(new_link)

    assert new.url == step_url(laptop, "theft", "when_where")
    assert old.url == RESUME


def test_finishing_on_both_devices_files_one_report(resident):
    start_report(resident, "theft")
    flow = steps_of("theft")
    for step in flow[: flow.index("theft_details")]:
        resident.get(step_url(resident, "theft", step))  # pages are seen before they are answered
        resident.post(step_url(resident, "theft", step), step_post("theft", step))
    resident.get(step_url(resident, "theft", "theft_details"))
    save_later(resident, "theft", "theft_details")
    other_device = new_client()
    resume(other_device, saved_code(resident), follow=True)

    for device in (other_device, resident):
        for step in flow[flow.index("theft_details") :]:
            device.get(step_url(device, "theft", step))
            response = device.post(step_url(device, "theft", step), step_post("theft", step))
            assert response.status_code == 302, (step, main_text(response))
        assert response.url == reverse("reports:confirmation")

    assert Report.objects.count() == 1
    assert list(Draft.objects.values_list("data", flat=True)) == [{}]


def test_a_session_that_ended_mid_report_leaves_the_saved_draft_resumable(resident):
    code = theft_saved_at(resident, "theft_details")

    resident.cookies.clear()  # the browser closed, or the session timed out
    gone = has_wizard(resident)
    response = resume(resident, code)

    assert not gone
    assert response.url == step_url(resident, "theft", "theft_details")
    about = resident.get(step_url(resident, "theft", "about_you"))
    assert input_value(about, "about_you-first_name") == "Ana"


def test_keepalive_answers_ok_and_touches_the_session(resident):
    start_report(resident, "theft")

    response = resident.get(reverse("reports:keepalive"))

    assert response.json() == {"ok": True}
    # The session cookie is sent again: the session's life starts over.
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


# --- Identity theft: a full card number never reaches a draft ------------------------------

CARD_DIGITS = re.compile(r"4111\D?1111")


def _account_with_card(**extra) -> dict:
    row = {"institution": "First Bank", "kind": "credit_card", "last4": CARD_NUMBER, **extra}
    return step_post("identity_theft", "accounts", [row])


CARD_ATTEMPTS = {
    "save later": {"save_later": "1"},
    "continue": {"wizard_next": "1"},
    "back": {"wizard_goto_step": "identity_theft"},
    "add a row": {"add_row": "1"},
}


@pytest.mark.parametrize("button", CARD_ATTEMPTS.values(), ids=CARD_ATTEMPTS.keys())
def test_a_full_card_number_typed_in_the_accounts_step_is_never_kept(resident, button):
    start_report(resident, "identity_theft")
    answer_steps(resident, "identity_theft", until="accounts")

    resident.post(step_url(resident, "identity_theft", "accounts"), _account_with_card() | button)
    # Then the resident leaves, saving what they have.
    resident.post(
        step_url(resident, "identity_theft", "accounts"),
        step_post("identity_theft", "accounts", [{"institution": "First Bank", "kind": ""}])
        | {"save_later": "1"},
    )

    stored = json.dumps(the_draft().data)
    assert "identity_theft" in the_draft().data["step_data"]  # the draft was saved
    assert not CARD_DIGITS.search(stored)
    assert "4111111111111111" not in stored
    for session in session_rows_decoded():
        assert not CARD_DIGITS.search(json.dumps(session, default=str))


def test_only_the_last_four_digits_are_kept_when_typed_right(resident):
    start_report(resident, "identity_theft")
    answer_steps(resident, "identity_theft", until="accounts")

    save_later(resident, "identity_theft", "accounts")

    accounts = the_draft().data["step_data"]["accounts"]
    assert accounts["accounts-0-last4"] == ["4321"]


# --- Reminders and expiry -----------------------------------------------------------------


def test_a_saved_draft_gets_one_reminder_three_days_before_it_expires(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    start = timezone.now()
    code = theft_saved_at(resident, "when_where")
    expires = the_draft().expires_at
    mailoutbox.clear()
    sent = []

    for when in (
        expires - dt.timedelta(days=4),  # too early
        expires - dt.timedelta(days=3) + dt.timedelta(minutes=1),  # due
        expires - dt.timedelta(days=2),  # already reminded
        expires - dt.timedelta(hours=1),
    ):
        with freeze_time(when), django_capture_on_commit_callbacks(execute=True):
            tasks.drafts_and_follow_ups()
        sent.append(len(mailoutbox))

    assert expires - start >= dt.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    assert sent == [0, 1, 1, 1]
    reminder = mailoutbox[0]
    assert reminder.to == [EMAIL.lower()]
    assert "deleted soon" in reminder.subject
    assert settings.SITE_URL + "/report/resume/" in reminder.body
    assert code not in reminder.body  # the code is never stored, so never resent
    assert the_draft().reminder_sent_at is not None


def test_the_reminder_link_resumes_the_draft(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    theft_saved_at(resident, "when_where")
    expires = the_draft().expires_at
    mailoutbox.clear()
    with (
        freeze_time(expires - dt.timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.drafts_and_follow_ups()

    laptop = new_client()
    response = laptop.get(resume_link_path(mailoutbox[0]))

    assert response.url == step_url(laptop, "theft", "when_where")


def test_a_draft_worked_on_after_its_reminder_is_reminded_again_before_its_new_expiry(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    code = theft_saved_at(resident, "when_where")
    first_expiry = the_draft().expires_at
    mailoutbox.clear()
    with freeze_time(first_expiry - dt.timedelta(days=2)) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            drafts.drafts_remind_and_expire()
        # The reminder worked: the resident comes back and answers one more page.
        device = new_client()
        resume(device, code)
        device.post(step_url(device, "theft", "when_where"), step_post("theft", "when_where"))
        new_expiry = the_draft().expires_at
        clock.move_to(new_expiry - dt.timedelta(days=2))
        with django_capture_on_commit_callbacks(execute=True):
            drafts.drafts_remind_and_expire()

    assert new_expiry > first_expiry
    assert [kind_of_draft_email(email) for email in mailoutbox] == ["reminder", "reminder"]


def test_a_draft_never_saved_for_later_gets_no_reminder(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="when_where")  # autosaved, with an email
    expires = the_draft().expires_at

    with (
        freeze_time(expires - dt.timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminded, _deleted = drafts.drafts_remind_and_expire()

    assert reminded == 0
    assert mailoutbox == []


def test_expired_drafts_are_deleted_with_their_temporary_uploads(resident, private_storage):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="attachments")
    upload_photo(resident)
    save_later(resident, "theft", "attachments")
    draft = the_draft()
    stored = [u["storage_name"] for u in draft.data["extra_data"]["uploads"]]
    assert len(stored) == 1
    assert temp_files(private_storage) == [stored[0].rsplit("/", 1)[1]]

    with freeze_time(draft.expires_at - dt.timedelta(hours=1)):
        tasks.drafts_and_follow_ups()
    kept = Draft.objects.filter(pk=draft.pk).exists(), temp_files(private_storage)
    with freeze_time(draft.expires_at + dt.timedelta(minutes=1)):
        tasks.drafts_and_follow_ups()

    assert kept == (True, [stored[0].rsplit("/", 1)[1]])
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert temp_files(private_storage) == []
    assert not default_storage.exists(stored[0])


def test_the_retention_job_keeps_temporary_uploads_that_live_drafts_point_at(
    resident, private_storage
):
    start_report(resident, "theft")
    answer_steps(resident, "theft", until="attachments")
    upload_photo(resident)
    save_later(resident, "theft", "attachments")
    referenced = the_draft().data["extra_data"]["uploads"][0]["storage_name"]
    orphan = default_storage.save("wizard-tmp/abandoned.jpg", ContentFile(jpeg_bytes()))
    long_ago = time.time() - settings.SESSION_COOKIE_AGE - 24 * 3600
    for name in (referenced, orphan):
        os.utime(default_storage.path(name), (long_ago, long_ago))

    result = retention.retention_purge()

    assert default_storage.exists(referenced)
    assert not default_storage.exists(orphan)
    assert result.temp_files == 1


# --- the statements every wizard page runs --------------------------------------------


@pytest.fixture
def stored_draft(db):
    import uuid

    draft = drafts.draft_autosave(
        draft_id=str(uuid.uuid4()),
        report_type="theft",
        data={"step": "about_you", "step_data": {"about_you": {"x": ["é"]}}},
        screening={"in_city": "yes"},
        new=True,
    )
    return str(draft.pk)


def test_the_draft_is_read_back_as_saved(stored_draft):
    data, filed, saved_at = drafts.draft_state(draft_id=stored_draft, report_type="theft")

    assert data == {"step": "about_you", "step_data": {"about_you": {"x": ["é"]}}}
    assert filed is None
    assert saved_at == Draft.objects.get(pk=stored_draft).updated_at


def test_an_unknown_draft_or_another_type_reads_as_never_saved(stored_draft):
    import uuid

    assert drafts.draft_state(draft_id=str(uuid.uuid4()), report_type="theft") == (None,) * 3
    assert drafts.draft_state(draft_id=stored_draft, report_type="vandalism") == (None,) * 3


def test_a_draft_id_that_is_not_one_is_refused_as_before(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        drafts.draft_state(draft_id="not-a-uuid", report_type="theft")


def test_a_draft_nobody_wrote_since_it_was_read_is_written_without_the_lock(
    stored_draft, monkeypatch
):
    _data, _filed, saved_at = drafts.draft_state(draft_id=stored_draft, report_type="theft")
    monkeypatch.setattr(drafts, "_locked", lambda *a: pytest.fail("took the merge path"))

    drafts.draft_autosave(
        draft_id=stored_draft,
        report_type="theft",
        data={"step": "when_where", "step_data": {"when_where": {"y": "1"}}},
        screening={"in_city": "yes"},
        email="Ana@Example.org",
        loaded_at=saved_at,
    )

    row = Draft.objects.get(pk=stored_draft)
    assert row.data == {"step": "when_where", "step_data": {"when_where": {"y": "1"}}}
    assert row.email == "ana@example.org"
    assert row.updated_at > saved_at
    assert row.expires_at > timezone.now() + dt.timedelta(days=settings.DRAFT_RETENTION_DAYS - 1)


def test_a_draft_written_meanwhile_or_filed_is_not_written_over(stored_draft):
    _data, _filed, saved_at = drafts.draft_state(draft_id=stored_draft, report_type="theft")
    later = saved_at + dt.timedelta(seconds=1)

    stale = drafts._write_if_unchanged(stored_draft, "theft", later, {"data": {}})
    Draft.objects.filter(pk=stored_draft).update(report=ReportFactory())
    filed = drafts._write_if_unchanged(stored_draft, "theft", saved_at, {"data": {}})

    assert (stale, filed) == (False, False)
    assert Draft.objects.get(pk=stored_draft).data["step"] == "about_you"


def test_resuming_gives_the_browser_a_new_session_key(resident):
    code = theft_saved_at(resident, "theft_details")
    other_device = new_client()
    other_device.get(reverse("reports:resume"))
    other_device.session.save()
    planted = other_device.session.session_key

    response = resume(other_device, code)

    assert response.status_code == 302
    assert other_device.session.session_key != planted
    assert other_device.get(response.url).status_code == 200  # the draft is open here
