"""ereport.postgresql: a kept connection's health is checked without a query, and a
connection the server dropped is found out and replaced."""

from __future__ import annotations

import os
import resource
import time

import pytest
from django.db import connection, connections

from ereport.postgresql import base as postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept():
    """A connection of the site's own, apart from the test's transaction."""
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


def last_query_of(backend_pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [backend_pid])
        return cursor.fetchone()[0]


def test_the_site_runs_on_the_backend_with_the_cheap_health_check():
    assert connection.settings_dict["ENGINE"] == "ereport.postgresql"
    assert connection.vendor == "postgresql"


def test_a_kept_connection_is_checked_without_asking_the_server(kept):
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the last thing asked'")

    usable = kept.is_usable()

    assert usable
    assert last_query_of(kept.connection.get_backend_pid()) == "SELECT 'the last thing asked'"


def test_a_connection_the_server_dropped_is_unusable_and_is_replaced(kept):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept.connection.get_backend_pid()])
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)

    usable_after_drop = kept.is_usable()
    kept.health_check_done = False
    kept.close_if_health_check_failed()  # what Django does before a request's first query
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
        answer = cursor.fetchone()

    assert usable_after_drop is False
    assert answer == (1,)


def test_a_closed_connection_is_unusable(kept):
    kept.connection.close()

    assert kept.is_usable() is False


def test_a_connection_idle_for_a_while_is_asked_as_django_asks(kept):
    kept._checked_at -= postgresql.ASK_AFTER_IDLE_SECONDS + 1

    usable = kept.is_usable()

    assert usable
    assert last_query_of(kept.connection.get_backend_pid()) == "SELECT 1"


def test_a_connection_left_inside_a_transaction_is_unusable(kept):
    with kept.cursor() as cursor:
        kept.connection.autocommit = False
        cursor.execute("SELECT 1")  # opens a transaction, left open

    assert kept.is_usable() is False


def test_a_connection_numbered_past_1023_is_checked_too(kept):
    # select() cannot watch such a descriptor; a busy process may hand out one.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2048), hard))
    high = os.dup2(kept.connection.fileno(), 1500)
    try:
        assert postgresql._something_waiting(high) is False
    finally:
        os.close(high)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
