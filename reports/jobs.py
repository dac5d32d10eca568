"""Background work, asked for by name once the transaction that needs it commits.

The services that change reports (filing, review, copies, notify) ask for background
work (render a copy, send an email) inside the transaction that makes it necessary. They
do not import reports.tasks: the tasks call those very services, so the import would run
in a circle. Instead a service names the task here, and the task is looked up in the
Celery app's registry when the transaction commits. reports.tasks registers each task
under one of these names, and a test checks that every name here is registered.

This module sits at the bottom of reports/: it imports Celery and Django, nothing of ours.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# The registered names of the tasks that services ask for (see reports.tasks).
RENDER_CASE_COPY = "reports.render_case_copy"
DELIVER_RESIDENT_EMAIL = "reports.deliver_resident_email"
SEND_DRAFT_EMAIL = "reports.send_draft_email"

NAMES = (RENDER_CASE_COPY, DELIVER_RESIDENT_EMAIL, SEND_DRAFT_EMAIL)


def task(name: str):
    """The registered task called `name`. Loading the app's task modules first is
    Celery's own autodiscovery (a web process has not imported them yet)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue(name: str, **kwargs: Any) -> None:
    """Queue the task called `name` now (for sweepers, which run outside a transaction)."""
    task(name).apply_async(kwargs=kwargs)


def enqueue_after_commit(name: str, **kwargs: Any) -> None:
    """Queue the task called `name` once the current transaction commits.

    robust=True: a broker that is down at that moment must not turn a committed report
    into an error page; the failure is logged, and the sweepers queue the work again.
    """
    transaction.on_commit(lambda: enqueue(name, **kwargs), robust=True)
