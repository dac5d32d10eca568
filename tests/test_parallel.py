"""tests/parallel.py: under pytest-xdist, each worker keeps to its own Redis databases and
files (checked here on the hook itself; `make test` runs the suite so)."""

from __future__ import annotations

import os

import pytest

from tests import parallel

ENVIRONMENT = {
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
    "PRIVATE_STORAGE_ROOT": "/srv/ereport-private",
}


def _environment_of(monkeypatch, worker: str | None) -> dict[str, str]:
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    if worker is None:
        monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    else:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
    parallel.pytest_load_initial_conftests(None, None, [])
    return {name: os.environ[name] for name in ENVIRONMENT}


@pytest.mark.parametrize("worker", [None, "gw0"])
def test_a_run_on_one_process_and_the_first_worker_keep_the_settings(monkeypatch, worker):
    assert _environment_of(monkeypatch, worker) == ENVIRONMENT


def test_the_second_worker_takes_redis_databases_and_files_of_its_own(monkeypatch):
    assert _environment_of(monkeypatch, "gw1") == {
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/4",
        "PRIVATE_STORAGE_ROOT": "/srv/ereport-private-gw1",
    }


def test_more_workers_than_redis_has_room_for_are_refused(monkeypatch):
    with pytest.raises(pytest.UsageError):
        _environment_of(monkeypatch, f"gw{parallel.MAX_WORKERS}")
