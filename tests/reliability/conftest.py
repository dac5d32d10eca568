"""Fault tests: real services stopped and started through their own commands, with a
live server and real workers. Every fixture puts the services back, even on failure."""

from __future__ import annotations

import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connections

from tests.integration.conftest import broker, wait_for, worker, workers  # noqa: F401

REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def _redis_up() -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _postgres_up() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


def _pg_cluster() -> list[str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    return [version, "main"]


@contextmanager
def redis_stopped():
    """Redis down for the duration of the block, back (empty, as configured here) after."""
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"],
        check=False,
        capture_output=True,
    )
    wait_for(lambda: not _redis_up(), timeout=10, message="Redis to stop")
    try:
        yield
    finally:
        Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
        Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
        if not _redis_up():
            subprocess.run(REDIS_START, check=True, capture_output=True)
        wait_for(_redis_up, timeout=20, message="Redis to come back")


@contextmanager
def postgres_stopped():
    """PostgreSQL down for the duration of the block, back after."""
    connections.close_all()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *_pg_cluster(), "stop", "-m", "fast"],
        check=True,
        capture_output=True,
    )
    try:
        yield
    finally:
        if not _postgres_up():
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", *_pg_cluster(), "start"],
                check=True,
                capture_output=True,
            )
        wait_for(_postgres_up, timeout=30, message="PostgreSQL to come back")
        time.sleep(0.5)
        connections.close_all()


@pytest.fixture(autouse=True)
def _services_back_after_each_test():
    yield
    if not _redis_up():
        subprocess.run(REDIS_START, check=False, capture_output=True)
    if not _postgres_up():
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", *_pg_cluster(), "start"],
            check=False,
            capture_output=True,
        )


@pytest.fixture(autouse=True)
def _one_address_many_residents(settings):
    """All the simulated residents come from 127.0.0.1: lift the per-address limits."""
    settings.RATELIMITS = {
        scope: (10**9, period) for scope, (_n, period) in settings.RATELIMITS.items()
    }
