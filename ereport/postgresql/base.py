"""Django's PostgreSQL backend, checking a kept connection's health without a round trip.

With CONN_HEALTH_CHECKS, Django asks the server `SELECT 1` before each request's first
query on a kept connection, so that a connection PostgreSQL dropped while it was idle
(a restart, a terminated backend) is replaced instead of failing a request. That is one
more round trip on every page that reads the database (a twenty-fifth of a wizard
page's time, py-spy).

A server that drops a connection says so on it: a closing message and the end of the
stream wait to be read. An idle connection that has nothing waiting is alive as far as
`SELECT 1` could tell, so the check looks for that instead, without a query. Anything
waiting (or a connection psycopg already knows is broken) makes it unusable: Django
then closes it and connects afresh. The PostgreSQL restart test (tests/reliability)
holds the site to this.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg2 import extensions


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.info.transaction_status == extensions.TRANSACTION_STATUS_UNKNOWN:
            return False
        try:
            waiting, _writable, _errors = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not waiting
