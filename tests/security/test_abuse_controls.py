"""Abuse controls on the public pages: rate limits (friendly 429 page), the honeypot
fields, and the minimum time a person needs to fill a report (ASVS V11.1)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from ereport import ratelimit
from reports.filing import drafts
from reports.filing.session import ReportSession
from reports.models import Draft, Report
from tests.reports.wizard_data import (
    STEP_DATA,
    answer_steps,
    start_report,
    step_post,
    step_url,
    steps_of,
)
from tests.security import browser, file_report, private_cache, redirect_path, text_of

pytestmark = pytest.mark.django_db

WAIT = "Please wait a moment"


@pytest.fixture
def limits(settings):
    """Small limits, counted in a cache nobody else flushes."""
    private_cache(settings)

    def set_limit(scope: str, count: int, period: int = 60):
        settings.RATELIMITS = {**settings.RATELIMITS, scope: (count, period)}

    return set_limit


# --- Rate limits ---------------------------------------------------------------------------


def test_status_lookups_over_the_limit_get_the_wait_page(limits):
    limits("status", 3)
    client, neighbour = browser(100), browser(101)
    lookup = {"tracking_number": "ER-0000-0000-0", "email": "someone@example.org"}

    answers = [client.post(reverse("reports:status"), lookup) for _ in range(4)]
    other_address = neighbour.post(reverse("reports:status"), lookup)

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert WAIT in text_of(answers[-1])
    assert other_address.status_code == 200
    assert WAIT not in text_of(other_address)


def test_verification_lookups_over_the_limit_get_the_wait_page(limits):
    limits("verify", 2)
    client = browser(102)

    answers = [client.post(reverse("reports:verify"), {"code": "7K3M9-QXD4A"}) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert WAIT in text_of(answers[-1])


def test_screening_answers_over_the_limit_get_the_wait_page(limits):
    limits("screening", 3)
    client = browser(103)
    client.get(reverse("screening:start"))

    answers = [
        client.post(reverse("screening:question", args=["now"]), {"emergency": "perhaps"})
        for _ in range(4)
    ]

    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[3].status_code == 429
    assert WAIT in text_of(answers[3])


def test_final_submissions_are_limited_per_address_per_hour(limits):
    limits("submit", 1, 3600)
    first, second_same_address, elsewhere = browser(104), browser(104), browser(105)
    file_report(first)

    start_report(second_same_address, "theft")
    answer_steps(second_same_address, "theft")
    refused = second_same_address.post(
        step_url(second_same_address, "theft", "declaration"), step_post("theft", "declaration")
    )
    count_after_refusal = Report.objects.count()
    file_report(elsewhere)

    assert refused.status_code == 429
    assert WAIT in text_of(refused)
    assert count_after_refusal == 1
    assert Report.objects.count() == 2


def test_residents_behind_one_address_are_limited_per_browser_not_together(limits):
    limits("submit_session", 1, 3600)
    limits("submit", 3, 3600)
    first, neighbour = browser(140), browser(140)
    file_report(first)

    start_report(first, "theft")
    answer_steps(first, "theft")
    second_from_first = first.post(
        step_url(first, "theft", "declaration"), step_post("theft", "declaration")
    )
    file_report(neighbour)

    assert second_from_first.status_code == 429
    assert Report.objects.count() == 2


def test_the_default_limits_let_a_shared_address_file_many_reports(settings):
    per_address, period = settings.RATELIMITS["submit"]
    per_browser, _period = settings.RATELIMITS["submit_session"]

    assert period == 3600
    assert per_address >= 50
    assert per_address > per_browser


def twenty_past() -> dt.datetime:
    """The last hh:20:00 before now: 40 minutes before the hour's counters start again."""
    now = timezone.now()
    start = now.replace(minute=20, second=0, microsecond=0)
    return start if start <= now else start - dt.timedelta(hours=1)


def test_the_wait_page_says_how_long_the_wait_really_is(limits):
    limits("submit", 1, 3600)
    client = browser(141)

    with freeze_time(twenty_past(), tick=True):
        file_report(client)
        start_report(client, "theft")
        answer_steps(client, "theft")
        refused = client.post(
            step_url(client, "theft", "declaration"), step_post("theft", "declaration")
        )

    assert refused.status_code == 429
    assert "Please wait about 40 minutes, then go back and try again." in text_of(refused)
    assert 2340 < int(refused["Retry-After"]) <= 2400


WAITS = [
    (1, "about a minute"),
    (60, "about a minute"),
    (61, "about 2 minutes"),
    (2400, "about 40 minutes"),
    (3540, "about 59 minutes"),
    (3541, "about an hour"),
    (3600, "about an hour"),
    (2 * 3600, "about 2 hours"),
]


@pytest.mark.parametrize(("seconds", "words"), WAITS)
def test_a_wait_is_said_in_words_rounded_up(seconds, words):
    assert ratelimit.wait_in_words(seconds) == words


def sessions_stored() -> int:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    return store.get_model_class().objects.count()


def test_keepalive_without_a_report_in_progress_makes_no_session(limits):
    client = browser(142)
    before = sessions_stored()

    answers = [client.get(reverse("reports:keepalive")) for _ in range(20)]

    assert [a.status_code for a in answers] == [200] * 20
    assert answers[-1].json() == {"ok": False}
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert sessions_stored() == before


def test_keepalive_is_rate_limited(limits):
    limits("keepalive", 2)
    client = browser(143)
    start_report(client, "theft")

    answers = [client.get(reverse("reports:keepalive")) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[0].json() == {"ok": True}


@pytest.fixture
def saved_draft():
    """A draft saved for later by ana@example.org, and its resume code."""
    draft = drafts.draft_autosave(
        draft_id=str(uuid.uuid4()),
        report_type="theft",
        data={"step": "when_where", "step_data": {}, "step_files": {}, "extra_data": {}},
        screening={"outcome": "eligible", "answers": {"report_type": "theft"}},
        email="ana@example.org",
    )
    return draft, drafts.draft_save_for_later(draft=Draft.objects.get(pk=draft.pk))


def resume(client, code: str, email: str):
    return client.post(reverse("reports:resume"), {"code": code, "email": email})


def test_the_right_code_and_email_resume_a_draft(limits, saved_draft):
    _draft, code = saved_draft

    laptop = browser(106)
    response = resume(laptop, code, "ana@example.org")

    assert response.status_code == 302
    assert redirect_path(response) == step_url(laptop, "theft", "when_where")


def test_guesses_at_one_resume_code_are_limited_across_addresses(limits, saved_draft):
    limits("resume_code", 2, 3600)
    _draft, code = saved_draft
    guesser, other_guesser, owner = browser(107), browser(108), browser(109)

    guesses = [
        resume(guesser, code, "mallory@example.org"),
        resume(other_guesser, code, "trudy@example.org"),
    ]
    owner_after = resume(owner, code, "ana@example.org")

    assert [g.status_code for g in guesses] == [200, 200]
    # The code's limit is spent, whoever guessed: even the right pair is refused for now,
    # and its owner is told why and for how long.
    assert owner_after.status_code == 200
    assert "Too many tries were made with this code" in text_of(owner_after)
    assert "Please try again in about" in text_of(owner_after)
    assert "We could not find a saved report with that code" not in text_of(owner_after)
    assert ReportSession(owner.session).latest_open_draft("theft") is None


def test_a_code_locked_by_guesses_tells_its_owner_when_to_try_again(limits, saved_draft):
    limits("resume_code", 1, 3600)
    _draft, code = saved_draft

    with freeze_time(twenty_past(), tick=True):
        resume(browser(144), code, "mallory@example.org")
        owner = resume(browser(145), code, "ana@example.org")

    assert "Too many tries were made with this code" in text_of(owner)
    assert "Please try again in about 40 minutes." in text_of(owner)


# --- Honeypots -----------------------------------------------------------------------------

REFUSED = "Something went wrong. Please try again."


def test_about_you_with_the_hidden_field_filled_is_refused():
    client = browser(110)
    start_report(client, "theft")
    data = step_post("theft", "about_you")
    data["about_you-website"] = "http://spam.example/cheap-pills"

    response = client.post(step_url(client, "theft", "about_you"), data)

    assert response.status_code == 200
    assert REFUSED in text_of(response)
    next_step = client.get(step_url(client, "theft", "when_where"))
    assert redirect_path(next_step) == step_url(client, "theft", "about_you")
    assert not Draft.objects.exists()


def test_about_you_hidden_field_is_rendered_for_bots_but_hidden_from_people():
    client = browser(111)
    start_report(client, "theft")

    page = client.get(step_url(client, "theft", "about_you")).content.decode()

    wrapper = re.search(r'<div class="ereport-hp" aria-hidden="true">(.*?)</div>', page, re.S)
    assert wrapper is not None
    field = re.search(r'<input[^>]*name="about_you-website"[^>]*>', wrapper.group(1))
    assert field is not None
    assert 'tabindex="-1"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)


def test_status_lookup_with_the_hidden_field_filled_is_refused():
    report = file_report(browser(112))
    client = browser(113)

    response = client.post(
        reverse("reports:status"),
        {
            "tracking_number": report.tracking_number,
            "email": report.reporter_email,
            "website": "http://spam.example",
        },
    )

    assert response.status_code == 200
    assert REFUSED in text_of(response)
    assert redirect_path(client.get(reverse("reports:status_detail"))) == reverse("reports:status")


# --- Minimum time to fill a report ---------------------------------------------------------

QUICK = "That was very quick"


def open_and_answer_every_step(client, report_type: str = "theft") -> None:
    """As a person does it: open each page, then send it."""
    start_report(client, report_type)
    for step in steps_of(report_type)[:-1]:
        client.get(step_url(client, report_type, step))
        response = client.post(step_url(client, report_type, step), step_post(report_type, step))
        assert response.status_code == 302, step
    client.get(step_url(client, report_type, "declaration"))


def declare(client):
    return client.post(step_url(client, "theft", "declaration"), step_post("theft", "declaration"))


def test_a_report_filled_faster_than_a_person_could_is_refused_then_accepted_later(settings):
    settings.REPORT_MIN_FILL_SECONDS = 3
    client = browser(114)

    with freeze_time(timezone.now()) as clock:
        open_and_answer_every_step(client)
        clock.tick(dt.timedelta(seconds=2))
        too_quick = declare(client)
        stored_after_refusal = Report.objects.count()
        clock.tick(dt.timedelta(seconds=2))
        in_time = declare(client)

    assert too_quick.status_code == 200
    assert QUICK in text_of(too_quick)
    assert stored_after_refusal == 0
    assert in_time.status_code == 302
    assert redirect_path(in_time) == reverse("reports:confirmation")
    assert Report.objects.count() == 1


def test_a_script_that_only_posts_the_steps_is_held_to_the_minimum_time_too(settings):
    settings.REPORT_MIN_FILL_SECONDS = 3
    client = browser(116)

    with freeze_time(timezone.now()) as clock:
        start_report(client, "theft")
        answer_steps(client, "theft")  # POSTs only: no page is ever opened
        clock.tick(dt.timedelta(seconds=1))
        too_quick = declare(client)

    assert too_quick.status_code == 200
    assert QUICK in text_of(too_quick)
    assert Report.objects.count() == 0


def test_screening_is_required_before_any_report_step():
    client = browser(115)

    response = client.post(step_url(client, "theft", "about_you"), step_post("theft", "about_you"))

    assert redirect_path(response) == reverse("screening:start")
    assert STEP_DATA["about_you"]["email"] not in str(dict(client.session))
    assert not Draft.objects.exists()
