"""The clerk's NIBRS correction accepts only codes from the FBI's offense list."""

from __future__ import annotations

import pytest

from reports.nibrs.codes import OFFENSES, offense_code
from reports.review import workflow
from reports.review.admin import NibrsForm
from tests.factories import ReportFactory
from tests.security import make_staff


@pytest.mark.parametrize(
    ("raw", "code"),
    [("23h", "23H"), (" 13C ", "13C"), ("90z", "90Z"), ("Þ", None), ("ZZZ", None), ("", None)],
)
def test_offense_codes_are_read_case_insensitively_from_the_list(raw, code):
    assert offense_code(raw) == code


def test_the_list_has_group_a_and_group_b():
    assert OFFENSES["23H"].group == "A"
    assert OFFENSES["90Z"].group == "B"


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["Þ", "ZZZ"])
def test_a_code_not_on_the_list_is_refused_with_a_clear_error(bad):
    report = ReportFactory(nibrs_code="23H")
    clerk = make_staff("clerk", password=None)

    with pytest.raises(workflow.TransitionError, match="is not a NIBRS offense code"):
        workflow.report_correct_nibrs(report=report, actor=clerk, code=bad)

    report.refresh_from_db()
    assert report.nibrs_code == "23H"
    assert NibrsForm({"code": bad}).is_valid() is False


@pytest.mark.django_db
def test_a_lower_case_code_is_stored_as_the_fbi_writes_it():
    report = ReportFactory(nibrs_code="23H")
    clerk = make_staff("clerk", password=None)

    workflow.report_correct_nibrs(report=report, actor=clerk, code="23h")

    report.refresh_from_db()
    assert report.nibrs_code == "23H"
    form = NibrsForm({"code": "23h"})
    assert form.is_valid() and form.cleaned_data["code"] == "23H"
