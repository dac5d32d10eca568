"""Two tabs never undo each other's work. Each report has its own draft id in its
addresses (/report/<type>/<draft id>/<step>/) and its answers live in that draft's row:
two reports written side by side in one browser keep their own answers, two tabs on the
same report keep each other's later pages, and a request writes back only the pages it
changed. A draft's address opens it only in the browser that started or resumed it."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from reports.filing import drafts
from reports.filing.draft_storage import DraftStorage
from reports.filing.session import MAX_OPEN_DRAFTS, ReportSession
from reports.models import Draft, Report
from tests.reports.wizard_data import (
    ROW_STEPS,
    STEP_DATA,
    input_value,
    main_text,
    pass_screening,
    step_post,
    steps_of,
)

pytestmark = pytest.mark.django_db

CONFIRMATION = reverse("reports:confirmation")


def start_now(client, report_type: str = "theft") -> str:
    """A new screening, then "Start now": the new report's address, without the step."""
    pass_screening(client, report_type)
    response = client.get(reverse("reports:start", args=[report_type]))
    assert response.status_code == 302
    return response.url.rstrip("/").rsplit("/", 1)[0]


def post_step(client, report: str, step: str, values=None, report_type: str = "theft"):
    client.get(f"{report}/{step}/")
    return client.post(f"{report}/{step}/", step_post(report_type, step, values))


def answer(client, report: str, *, until: str | None = None, about=None) -> None:
    for step in steps_of("theft"):
        if step == until:
            return
        values = {**STEP_DATA["about_you"], **about} if step == "about_you" and about else None
        response = post_step(client, report, step, values)
        assert response.status_code == 302, (step, main_text(response))


def first_name_on(client, report: str) -> str | None:
    return input_value(client.get(f"{report}/about_you/"), "about_you-first_name")


def tabs_on(client, count: int = 2) -> list[DraftStorage]:
    """`count` requests on the report last opened, each as it read the draft (what two tabs
    sending at the same moment look like to the server)."""
    opened = ReportSession(client.session).latest_open_draft("theft")
    request = RequestFactory().get("/")
    return [
        DraftStorage("report_theft", request, draft=opened, screening_for_save=dict)
        for _ in range(count)
    ]


def saved_draft(client) -> dict:
    opened = ReportSession(client.session).latest_open_draft("theft")
    saved, _filed, _saved_at = drafts.draft_state(draft_id=opened.draft_id, report_type="theft")
    return saved


def _upload(name: str) -> dict:
    return {"storage_name": f"wizard-tmp/{name}", "display_name": name, "size": 1}


def _saved_uploads(client) -> list[str]:
    return sorted(u["display_name"] for u in saved_draft(client)["extra_data"].get("uploads", []))


# --- Two reports in two tabs ----------------------------------------------------------------


def test_each_report_has_its_own_address(client):
    first = start_now(client)
    second = start_now(client)

    assert first != second
    assert first.startswith("/report/theft/") and second.startswith("/report/theft/")


def test_two_reports_in_two_tabs_keep_their_own_answers(client):
    bike = start_now(client)
    answer(client, bike, until="items", about={"first_name": "Ana"})
    car_radio = start_now(client)  # a second incident, screened in another tab
    answer(client, car_radio, until="items", about={"first_name": "Bea"})

    # Back in the first tab, its answers are its own.
    assert first_name_on(client, bike) == "Ana"
    assert first_name_on(client, car_radio) == "Bea"
    assert Draft.objects.count() == 2


def test_two_reports_in_two_tabs_are_filed_as_two_reports(client):
    bike = start_now(client)
    answer(client, bike, until="review", about={"first_name": "Ana"})
    car_radio = start_now(client)
    answer(client, car_radio, until="review", about={"first_name": "Bea"})

    for report in (bike, car_radio):
        for step in ("review", "declaration"):
            response = post_step(client, report, step)
        assert response.url == CONFIRMATION

    assert sorted(Report.objects.values_list("reporter_first_name", flat=True)) == ["Ana", "Bea"]


def test_filing_one_report_leaves_the_other_tab_open(client):
    bike = start_now(client)
    answer(client, bike, until="review")
    car_radio = start_now(client)
    answer(client, car_radio, until="items", about={"first_name": "Bea"})

    for step in ("review", "declaration"):
        post_step(client, bike, step)

    assert first_name_on(client, car_radio) == "Bea"


def test_pressing_start_now_again_continues_the_same_report(client):
    pass_screening(client, "theft")
    first = client.get(reverse("reports:start", args=["theft"])).url
    answer(client, first.rstrip("/").rsplit("/", 1)[0], until="items")

    again = client.get(reverse("reports:start", args=["theft"])).url

    assert again == first


# --- Two tabs on the same report ------------------------------------------------------------


def test_a_stale_tab_does_not_undo_the_later_pages_of_the_same_report(client):
    report = start_now(client)
    answer(client, report, until="when_where")
    stale_tab = client.get(f"{report}/when_where/")  # tab 2 opens the same page
    assert stale_tab.status_code == 200
    # Tab 1 goes on through the items, to the review.
    answer(client, report, until="review")

    # Tab 2, still on "when and where", sends its page with a change.
    changed = {**STEP_DATA["when_where"], "location": "Lake Street and 5th Avenue"}
    response = client.post(f"{report}/when_where/", step_post("theft", "when_where", changed))

    assert response.status_code == 302
    items = client.get(f"{report}/items/")
    assert input_value(items, "items-0-serial_number") == ROW_STEPS["items"][0]["serial_number"]
    review = main_text(client.get(f"{report}/review/"))
    assert "Lake Street and 5th Avenue" in review
    assert ROW_STEPS["items"][0]["serial_number"] in review


def test_two_requests_on_one_report_at_once_keep_both_pages(client):
    """Two tabs send different pages at the same moment: each request read the draft
    before the other wrote it. Both pages are kept."""
    report = start_now(client)
    answer(client, report, until="items")
    tabs = tabs_on(client)

    tabs[0].set_step_data("items", {"items-TOTAL_FORMS": ["1"], "items-0-make": ["Trek"]})
    tabs[1].set_step_data("when_where", {"when_where-location": ["Lake Street"]})
    tabs[1].extra_data = {**tabs[1].extra_data, "note": "from tab 2"}
    for tab in tabs:
        tab.save()

    saved = saved_draft(client)
    assert saved["step_data"]["items"]["items-0-make"] == ["Trek"]
    assert saved["step_data"]["when_where"] == {"when_where-location": ["Lake Street"]}
    assert saved["step_data"]["about_you"]["about_you-first_name"] == [
        STEP_DATA["about_you"]["first_name"]
    ]
    assert saved["extra_data"]["note"] == "from tab 2"


def test_a_report_filed_in_one_tab_shows_its_confirmation_in_the_other(client):
    report = start_now(client)
    answer(client, report, until="review")
    stale_tab = step_post("theft", "when_where")
    for step in ("review", "declaration"):
        post_step(client, report, step)

    response = client.post(f"{report}/when_where/", stale_tab, follow=True)

    assert Report.objects.count() == 1
    assert Report.objects.get().tracking_number in main_text(response)


# --- Whose report -----------------------------------------------------------------------------


def test_knowing_a_reports_address_does_not_open_it_in_another_browser(client):
    report = start_now(client)
    answer(client, report, until="items", about={"first_name": "Ana"})
    stranger = Client()

    response = stranger.get(f"{report}/about_you/", follow=True)

    assert response.redirect_chain[0][0] == reverse("screening:start")
    assert "Ana" not in response.content.decode()
    posted = stranger.post(f"{report}/when_where/", step_post("theft", "when_where"))
    assert posted.url == reverse("screening:start")


def test_the_oldest_of_many_open_reports_is_let_go_but_its_answers_are_kept(client):
    reports = [start_now(client) for _ in range(MAX_OPEN_DRAFTS + 1)]
    for report in reports[1:]:
        assert client.get(f"{report}/about_you/").status_code == 200

    oldest = client.get(f"{reports[0]}/about_you/")

    assert oldest.url == reverse("screening:start")


def test_an_address_without_a_draft_id_opens_the_report_last_opened(client):
    report = start_now(client)
    answer(client, report, until="items")

    response = client.get("/report/theft/items/")

    assert response.url == f"{report}/items/"


def test_a_page_sent_to_an_address_without_a_draft_id_keeps_its_answers(client):
    report = start_now(client)
    answer(client, report, until="review")
    changed = {**STEP_DATA["when_where"], "location": "Lake Street and 5th Avenue"}

    response = client.post(
        "/report/theft/when_where/", step_post("theft", "when_where", changed), follow=True
    )

    assert response.status_code == 200
    assert "Lake Street and 5th Avenue" in main_text(client.get(f"{report}/review/"))


def test_an_address_without_a_draft_id_and_no_report_open_starts_one(client):
    pass_screening(client, "theft")

    response = client.get("/report/theft/about_you/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("/about_you/")
    assert ReportSession(client.session).latest_open_draft("theft") is not None


def test_a_first_page_sent_without_pressing_start_now_opens_a_report_with_it(client):
    pass_screening(client, "theft")

    response = client.post("/report/theft/about_you/", step_post("theft", "about_you"), follow=True)

    assert response.status_code == 200
    report = ReportSession(client.session).latest_open_draft("theft")
    assert response.redirect_chain[-1][0].endswith(f"/{report.draft_id}/when_where/")
    assert first_name_on(client, response.redirect_chain[-1][0].rsplit("/", 2)[0]) == "Ana"


def test_a_page_sent_without_a_screening_goes_to_the_questions(client):
    response = client.post("/report/theft/about_you/", step_post("theft", "about_you"))

    assert response.status_code == 302
    assert Draft.objects.count() == 0


def test_filing_one_report_keeps_a_screening_made_since_in_another_tab(client):
    bike = start_now(client)
    answer(client, bike, until="review")
    pass_screening(client, "theft")  # another tab: a second incident, screened, not started

    for step in ("review", "declaration"):
        post_step(client, bike, step)
    second = client.get(reverse("reports:start", args=["theft"]))

    assert Report.objects.count() == 1
    assert second.url.endswith("/about_you/")


def test_a_tab_that_loaded_before_filing_writes_nothing_back(client):
    report = start_now(client)
    answer(client, report, until="items")
    (stale_tab,) = tabs_on(client, 1)
    answer(client, report, until="review")
    for step in ("review", "declaration"):
        post_step(client, report, step)

    stale_tab.set_step_data("items", {"items-0-make": ["Trek"]})
    stale_tab.save()

    draft = Draft.objects.get(pk=stale_tab.draft.draft_id)
    assert (draft.data, draft.report) == ({}, Report.objects.get())


def test_a_resident_at_work_on_a_report_is_not_signed_out(client, settings):
    report = start_now(client)
    with freeze_time() as clock:
        clock.tick(61)
        working = client.get(f"{report}/about_you/")
        clock.tick(10)
        again = client.get(f"{report}/about_you/")

    # The session cookie is sent again (its life restarts), at most once a minute.
    cookie = settings.SESSION_COOKIE_NAME
    assert working.cookies[cookie]["max-age"] == settings.SESSION_COOKIE_AGE
    assert cookie not in again.cookies


def test_a_double_click_on_the_first_page_makes_one_draft_with_both_answers(client):
    """Two requests both found no draft yet and both save: the second does not fail on
    the row the first made a moment ago; it merges into it."""
    opened = ReportSession(client.session)
    draft_id = opened.open_draft(report_type="theft", screening={})
    empty = {"step": "about_you", "step_data": {}, "step_files": {}, "extra_data": {}}

    for step, values in (("about_you", {"a": ["1"]}), ("when_where", {"w": ["2"]})):
        data = {**empty, "step_data": {step: values}}
        drafts.draft_autosave(
            draft_id=draft_id,
            report_type="theft",
            data=data,
            screening={},
            steps={step},
            extra_keys=set(),
            new=True,
        )

    saved, _filed, _saved_at = drafts.draft_state(draft_id=draft_id, report_type="theft")
    assert saved["step_data"] == {"about_you": {"a": ["1"]}, "when_where": {"w": ["2"]}}


def test_files_added_in_two_tabs_at_once_are_both_kept(client):
    report = start_now(client)
    answer(client, report, until="items")
    first, second = tabs_on(client)

    first.extra_data = {**first.extra_data, "uploads": [_upload("bike.jpg")]}
    second.extra_data = {**second.extra_data, "uploads": [_upload("receipt.pdf")]}
    first.save()
    second.save()

    assert _saved_uploads(client) == ["bike.jpg", "receipt.pdf"]


def test_a_file_removed_in_one_tab_stays_removed_when_another_adds_one(client):
    report = start_now(client)
    answer(client, report, until="items")
    (setup,) = tabs_on(client, 1)
    setup.extra_data = {**setup.extra_data, "uploads": [_upload("a.jpg"), _upload("b.jpg")]}
    setup.save()
    first, second = tabs_on(client)

    first.extra_data = {**first.extra_data, "uploads": [_upload("b.jpg")]}
    second.extra_data = {
        **second.extra_data,
        "uploads": [_upload("a.jpg"), _upload("b.jpg"), _upload("c.jpg")],
    }
    first.save()
    second.save()

    assert _saved_uploads(client) == ["b.jpg", "c.jpg"]
