"""The Celery app. Configuration lives in settings under the CELERY_ prefix.

Database connections in the worker live as they do in a web worker: kept for
CONN_MAX_AGE, checked before a task's first query (CONN_HEALTH_CHECKS, our backend's
is_usable), dropped after an error. Celery's Django fixup closes every connection before
and after each task unless CELERY_DB_REUSE_MAX is set; it is set (settings), and these
handlers give the tasks Django's own request lifecycle (close_old_connections) instead.
A connection for each task cost a PostgreSQL backend's start-up twice per filing (its
copy and its email).
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ereport.settings")

app = Celery("ereport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def connections_as_a_request_has_them(sender=None, **_kwargs) -> None:
    """Before and after a task, as Django does before and after a request: close a
    connection past CONN_MAX_AGE or left broken, and have the next query check the one
    kept. A task run in-process (eager) is part of a request or a test: its connection
    is the caller's, left alone as Celery's fixup leaves it."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    close_old_connections()
