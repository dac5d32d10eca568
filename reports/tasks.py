"""Celery tasks: the top of reports/. Each is a thin wrapper that fetches a row by id
and calls one service of a sub-package; nothing imports this module (services ask for
a task by its name: reports.jobs).

Tasks take primitive ids as keyword arguments and are queued only after the
transaction that made their work commits (reports.jobs.enqueue_after_commit)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_init, worker_process_init

from ereport.heap import freeze_loaded_objects
from reports import jobs, retention
from reports.copies import casefiles, pdf
from reports.filing import drafts
from reports.models import Draft
from reports.notify import emails
from reports.review import follow_ups

logger = logging.getLogger(__name__)


@worker_init.connect
def preload_copy_renderer(**_kwargs) -> None:
    """The worker's main process loads what its pool processes share (they are forked
    from it), so a process starts fast and its first copy is not slowed by imports
    (reports.copies.pdf.preload). What it loaded is then frozen (ereport.heap), before
    the fork, as Python's documentation advises."""
    try:
        pdf.preload()
    except Exception:  # a copy will say what is wrong; the worker must still start
        logger.exception("case copies: could not load the renderer")
    freeze_loaded_objects()


@worker_process_init.connect
def warm_copy_renderer(**_kwargs) -> None:
    """Each pool process builds its fonts and stylesheet as it starts, not on the first
    resident's copy (reports.copies.pdf.warm).

    What the process built is then frozen too (ereport.heap): WeasyPrint leaves cyclic
    garbage behind every copy, and each full collection that sets off walked the whole
    heap again. Measured over 100 bench theft copies in one process: 11.7 ms of full
    collections a copy before, 1.8 ms after; in a worker (--concurrency=2, 200 copies,
    two runs of each, alternated): 108 and 113 ms of CPU a copy against 120 and 122."""
    try:
        pdf.warm()
    except Exception:  # a copy will say what is wrong; the process must still start
        logger.exception("case copies: could not prepare the renderer")
    freeze_loaded_objects()


@shared_task(
    name=jobs.DELIVER_RESIDENT_EMAIL,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
    soft_time_limit=30,
    time_limit=60,
)
def deliver_resident_email(*, email_id: int) -> None:
    if not emails.email_deliver(email_id=email_id):
        logger.info("email %s: already sent, or its report no longer exists", email_id)


@shared_task(name="reports.sweep_resident_emails", soft_time_limit=60, time_limit=90)
def sweep_resident_emails() -> int:
    return emails.emails_sweep()


@shared_task(
    name=jobs.SEND_DRAFT_EMAIL,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=8,
    soft_time_limit=30,
    time_limit=60,
)
def send_draft_email(*, draft_id: str, kind: str, code: str = "") -> None:
    draft = Draft.objects.filter(pk=draft_id).first()
    if draft is None:
        logger.info("draft email %s: draft %s is gone (filed or expired)", kind, draft_id)
        return
    token = drafts.resume_link_token(draft)
    emails.send_draft(draft=draft, kind=kind, link_token=token, code=code)


@shared_task(name="reports.drafts_and_follow_ups", soft_time_limit=600, time_limit=900)
def drafts_and_follow_ups() -> str:
    reminded, deleted = drafts.drafts_remind_and_expire()
    follow = follow_ups.follow_ups_run()
    return f"drafts: {reminded} reminded, {deleted} deleted; {follow}"


@shared_task(
    name=jobs.RENDER_CASE_COPY,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def render_case_copy(*, report_id: str, version: int) -> None:
    copy = casefiles.casefile_render(report_id=report_id, version=version)
    if copy is None:
        logger.warning("case copy: report %s version %s no longer exists", report_id, version)


@shared_task(name="reports.sweep_case_copies", soft_time_limit=60, time_limit=90)
def sweep_case_copies() -> int:
    return casefiles.casefile_sweep()


@shared_task(name="reports.purge_expired", soft_time_limit=600, time_limit=900)
def purge_expired() -> str:
    return str(retention.retention_purge())
