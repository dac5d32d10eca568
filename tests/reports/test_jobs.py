"""Services ask for background work by task name (reports.jobs); every name they use
must be a registered task, or a report would be filed and its copy never made."""

from __future__ import annotations

import pytest
from django.db import transaction

from reports import jobs


@pytest.mark.parametrize("name", jobs.NAMES)
def test_every_task_name_services_use_is_a_registered_task(name):
    assert jobs.task(name).name == name


def test_an_unknown_task_name_fails_loudly():
    with pytest.raises(KeyError):
        jobs.task("reports.no_such_task")


@pytest.mark.django_db(transaction=True)
def test_work_is_queued_only_when_the_transaction_commits(monkeypatch):
    sent = []
    task = jobs.task(jobs.RENDER_CASE_COPY)
    monkeypatch.setattr(task, "apply_async", lambda kwargs: sent.append(kwargs))

    with transaction.atomic():
        jobs.enqueue_after_commit(jobs.RENDER_CASE_COPY, report_id="r", version=1)
        assert sent == []

    assert sent == [{"report_id": "r", "version": 1}]


@pytest.mark.django_db(transaction=True)
def test_work_asked_for_in_a_rolled_back_transaction_is_never_queued(monkeypatch):
    sent = []
    task = jobs.task(jobs.RENDER_CASE_COPY)
    monkeypatch.setattr(task, "apply_async", lambda kwargs: sent.append(kwargs))

    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_after_commit(jobs.RENDER_CASE_COPY, report_id="r", version=1)
        raise RuntimeError("the filing failed")

    assert sent == []
