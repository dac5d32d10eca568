"""A Celery worker's database connections live as a web worker's do (ereport.celery):
kept between tasks, checked and renewed by Django's own rules, never closed under an
in-process (eager) task's caller."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun

import ereport.celery
from ereport.celery import app, connections_as_a_request_has_them


def task(*, eager: bool):
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


@pytest.fixture
def closed(monkeypatch):
    calls = []
    monkeypatch.setattr(ereport.celery, "close_old_connections", lambda: calls.append(1))
    return calls


@pytest.mark.parametrize("signal", [task_prerun, task_postrun])
def test_before_and_after_each_task_old_connections_are_closed_as_after_a_request(signal):
    assert connections_as_a_request_has_them in [ref() for _key, ref in signal.receivers]


def test_a_task_in_a_worker_gets_djangos_request_lifecycle(closed):
    connections_as_a_request_has_them(sender=task(eager=False))

    assert closed == [1]


def test_a_task_run_in_process_leaves_its_callers_connection_alone(closed):
    connections_as_a_request_has_them(sender=task(eager=True))

    assert closed == []


def test_celerys_fixup_does_not_close_the_connection_after_every_task():
    fixup = DjangoWorkerFixup(app)

    assert fixup.db_reuse_max == 1000
    # Two calls a task (before, after): the fixup closes only every thousandth task.
    closes = []
    fixup._close_database = lambda *a, **k: closes.append(1)
    for _ in range(2 * 10):
        fixup.close_database()
    assert closes == []
