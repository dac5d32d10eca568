"""Real Celery workers for the integration tests.

Each test gets its own Redis database as the broker (one that is empty when the test
starts), real worker processes (`celery -A ereport worker`, not eager) that read the
test's PostgreSQL database, and this process's Celery app pointed at the same broker so
that what the site queues reaches those workers. Data must be committed for a worker to
see it: the fixtures use the transactional database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.db import connection

from ereport.celery import app
from tests.parallel import worker_index

BASE_DIR = Path(settings.BASE_DIR)
REDIS = "redis://127.0.0.1:6379"
# Two databases in 10..15 for each xdist worker (tests.parallel): no two workers pick one.
BROKER_DBS = range(10 + 2 * worker_index(), 12 + 2 * worker_index())
READY_TIMEOUT = 20.0


def point_app_at(broker_url: str, *, eager: bool = False) -> None:
    """Send this process's tasks to `broker_url` from now on. Celery reads the
    CELERY_BROKER_URL environment variable before its own configuration, and caches its
    connection and producer pools: all three are changed."""
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = eager
    kombu.pools.reset()  # closes and forgets every pooled connection and producer
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


def wait_for(condition, *, timeout: float, interval: float = 0.2, message: str = ""):
    """Poll `condition` until it returns something truthy; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout:.0f} s waiting: {message}")
        time.sleep(interval)


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_broker_db() -> int:
    """A Redis database of this worker's (in 10..15) that nothing is using right now."""
    candidates = list(BROKER_DBS)
    random.shuffle(candidates)
    for number in candidates:
        if redis.Redis.from_url(f"{REDIS}/{number}").dbsize() == 0:
            return number
    pytest.fail(f"no empty Redis database in {list(BROKER_DBS)} for a private broker (flush one)")


@dataclass
class Workers:
    """Worker processes on a private broker; their output goes to log files."""

    broker_url: str
    log_dir: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    starts: int = 0

    def start(self, name: str = "w1", *, wait: bool = True) -> subprocess.Popen:
        """Start a worker; with wait, return once it answers a ping (it may already
        have run what was queued by then)."""
        self.starts += 1
        log = open(self.log_path(name), "ab")  # noqa: SIM115 - the child writes to it
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ereport",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                "celery",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=info",
                "-n",
                f"{name}-{self.starts}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes[name] = process
        if wait:
            self._wait_ready(name, process)
        return process

    def _wait_ready(self, name: str, process: subprocess.Popen) -> None:
        prefix = f"{name}-{self.starts}@"

        def answered():
            if process.poll() is not None:
                pytest.fail(f"worker {name} exited ({process.returncode}):\n{self.log(name)}")
            replies = app.control.ping(timeout=1)
            return any(host.startswith(prefix) for reply in replies for host in reply)

        try:
            wait_for(answered, timeout=READY_TIMEOUT, interval=0.1, message=f"worker {name}")
        except BaseException:
            print(self.log(name))
            raise

    def kill(self, name: str = "w1") -> None:
        """SIGKILL: the worker dies at once, holding whatever it was doing."""
        process = self.processes.pop(name)
        _kill_group(process, signal.SIGKILL)

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            _kill_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _kill_group(process, signal.SIGKILL)

    def log_path(self, name: str = "w1") -> Path:
        return self.log_dir / f"worker-{name}.log"

    def log(self, name: str = "w1") -> str:
        path = self.log_path(name)
        return path.read_text(errors="replace") if path.exists() else ""


def _kill_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def broker(transactional_db):
    """A private Redis broker database; this process's Celery app sends to it (not eager)
    for the test, and is put back afterwards."""
    number = _free_broker_db()
    url = f"{REDIS}/{number}"
    saved_environ = os.environ.get("CELERY_BROKER_URL")
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    point_app_at(url)
    try:
        yield url
    finally:
        point_app_at(saved[0], eager=saved[1])
        if saved_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ
        # Messages a killed worker never acknowledged would otherwise linger.
        redis.Redis.from_url(url).flushdb()


@pytest.fixture
def workers(broker, tmp_path):
    """Start real workers on the private broker with `workers.start()`; all are killed
    at the end of the test (with their log printed if the test failed)."""
    env = {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": _database_url(),
        "CONN_MAX_AGE": "0",
        "PRIVATE_STORAGE_ROOT": str(settings.PRIVATE_STORAGE_ROOT),
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TEST_DATABASE_NAME", None)
    pool = Workers(broker_url=broker, log_dir=tmp_path, env=env)
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def worker(workers):
    """One real worker, running."""
    workers.start("w1")
    return workers


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "workers" in getattr(item, "funcargs", {}):
        pool = item.funcargs["workers"]
        for path in sorted(pool.log_dir.glob("worker-*.log")):
            report.sections.append((f"celery {path.name}", path.read_text(errors="replace")))
    return report
