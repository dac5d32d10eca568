"""Django's PostgreSQL backend, checking a busy connection's health without a round trip.

With CONN_HEALTH_CHECKS, Django asks the server `SELECT 1` before each request's first
query on a kept connection, so that a connection PostgreSQL dropped while it was idle
(a restart, a terminated backend) is replaced instead of failing a request. Under load
that is one more round trip on every page that reads the database (a twenty-fifth of a
wizard page's time, py-spy).

A server that drops a connection says so on it: a closing message and the end of the
stream wait to be read. So a connection checked moments ago is judged by that alone,
without a query: anything waiting to be read, a state other than idle (autocommit leaves
none), or a socket psycopg already knows is closed makes it unusable, and Django closes
it and connects afresh. A connection that has sat unchecked for longer than
ASK_AFTER_IDLE_SECONDS still gets Django's `SELECT 1`: a network device that silently
forgot an idle connection leaves nothing to read. The PostgreSQL restart test
(tests/reliability) holds the site to this.
"""

from __future__ import annotations

import select
import time

from django.db.backends.postgresql import base
from psycopg2 import extensions

# Busy web workers check their connection many times a second; an idle one gets asked.
ASK_AFTER_IDLE_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    _checked_at = float("-inf")

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self._checked_at = time.monotonic()
        return connection

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status != extensions.TRANSACTION_STATUS_IDLE:
            return False
        if _something_waiting(connection.fileno()):
            return False
        now = time.monotonic()
        idle = now - self._checked_at
        self._checked_at = now
        return idle <= ASK_AFTER_IDLE_SECONDS or super().is_usable()


def _something_waiting(fd: int) -> bool:
    """Whether the server sent anything (or closed the stream) on an idle connection.
    poll(), not select(): select() cannot watch descriptors numbered 1024 and above."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP)
    try:
        return bool(poller.poll(0))
    except OSError:
        return True
