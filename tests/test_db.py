"""ereport.db.OneRowRead: a one-row read written once gives what the ORM would."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import timezone

from ereport.db import OneRowRead
from reports.models import Draft, Report
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def stored_draft(**fields) -> Draft:
    now = timezone.now()
    return Draft.objects.create(
        report_type="theft",
        data={"step_data": {"about_you": {"about_you-first_name": ["Ana"]}}, "n": 1},
        created_at=now,
        updated_at=now,
        expires_at=now + timedelta(days=30),
        **fields,
    )


DRAFT_STATE = OneRowRead(Draft, ("data", "report", "updated_at"), where=("id", "report_type"))


@pytest.mark.parametrize("filed", [False, True])
def test_a_row_reads_as_the_orm_reads_it(filed):
    draft = stored_draft(report=ReportFactory() if filed else None)

    row = DRAFT_STATE(str(draft.pk), "theft")

    assert row == Draft.objects.values_list("data", "report", "updated_at").get(pk=draft.pk)
    assert isinstance(row[0], dict)
    assert row[1] is None or isinstance(row[1], uuid.UUID)
    assert row[2].tzinfo is not None


def test_no_matching_row_reads_as_none():
    draft = stored_draft()

    assert DRAFT_STATE(str(uuid.uuid4()), "theft") is None
    assert DRAFT_STATE(str(draft.pk), "vandalism") is None


def test_a_value_its_field_cannot_take_is_refused_as_a_filter_would():
    with pytest.raises(ValidationError):
        DRAFT_STATE("not-a-uuid", "theft")


def test_a_value_is_a_parameter_never_sql():
    stored_draft()

    assert DRAFT_STATE(str(uuid.uuid4()), "theft' OR '1'='1") is None


def test_an_instance_holds_the_columns_read_each_in_its_place_and_defers_the_rest():
    report = ReportFactory(reporter_email="ana@example.org", reporter_phone="+16125550123")
    read = OneRowRead(
        Report, ("id", "reporter_email", "reporter_phone"), where=("tracking_number",)
    )

    found = read.instance(report.tracking_number)

    assert found.pk == report.pk
    assert found.reporter_email == "ana@example.org"
    assert found.reporter_phone == "+16125550123"
    assert not found._state.adding
    deferred = found.get_deferred_fields()
    assert "narrative" in deferred and "reporter_email" not in deferred
    assert read.instance("ER-0000-0000-0") is None


def test_a_read_that_could_match_many_rows_is_refused_when_declared():
    with pytest.raises(ImproperlyConfigured):
        OneRowRead(Report, ("id",), where=("reporter_email",))


def test_none_is_refused_rather_than_matching_nothing():
    with pytest.raises(ValueError):
        DRAFT_STATE(None, "theft")
