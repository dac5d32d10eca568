"""A step's address is the one Django's URL configuration gives, for every report type
and step, whatever the draft and the address the site is served under."""

from __future__ import annotations

import uuid

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from reports.filing.session import OpenDraft
from reports.filing.wizard import step_url
from reports.registry import REPORT_TYPES

CASES = [(slug, step) for slug, kind in REPORT_TYPES.items() for step in kind.steps]


def draft(report_type: str) -> OpenDraft:
    return OpenDraft(draft_id=str(uuid.uuid4()), report_type=report_type, screening={})


@pytest.mark.parametrize(("report_type", "step"), CASES)
def test_a_step_address_is_the_one_django_reverses(report_type, step):
    open_draft = draft(report_type)
    expected = reverse(
        "reports:wizard",
        kwargs={"report_type": report_type, "draft_id": open_draft.draft_id, "step": step},
    )

    assert step_url(open_draft, step) == expected


def test_two_drafts_get_their_own_addresses():
    first, second = draft("theft"), draft("theft")

    assert first.draft_id in step_url(first, "about_you")
    assert second.draft_id in step_url(second, "about_you")
    assert step_url(first, "about_you") != step_url(second, "about_you")


def test_a_site_served_under_a_path_keeps_it_in_step_addresses():
    open_draft = draft("theft")
    set_script_prefix("/police/")
    try:
        address = step_url(open_draft, "about_you")
    finally:
        clear_script_prefix()

    assert address == f"/police/report/theft/{open_draft.draft_id}/about_you/"
