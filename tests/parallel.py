"""The suite on several processes (`pytest -n 2`, pytest-xdist; `make test` does so): each
worker gets what the other must not touch.

Every test clears the cache, and the cache, the sessions and the rate limits live in one
Redis database; the Celery broker is another, and uploads and copies go under the
private storage root. Two workers sharing them would wipe each other's sessions and read
each other's files. So worker N (gw0, gw1, ...) moves the cache and broker databases 2N
along (1 and 2 for the first worker, 3 and 4 for the second), takes a storage root of its
own, and two databases of its own for the integration tests' private brokers.
pytest-django gives each worker its own test database (test_<name>_gwN) by itself.

Loaded with `-p tests.parallel` (pyproject.toml's addopts) so that this runs before
Django reads its settings. A worker inherits the environment the main process set up
(pytest-env's defaults included); outside xdist nothing changes.
"""

from __future__ import annotations

import os
import re

import pytest

# Redis has databases 0-15: the workers' caches and brokers take 1-6, the integration
# tests' private brokers 10-15 (two for each worker).
MAX_WORKERS = 3


def worker_index() -> int:
    """0 for the first xdist worker (and for a run without xdist), 1 for the second..."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(name.removeprefix("gw") or 0)


def _moved(url: str, steps: int) -> str:
    match = re.fullmatch(r"(redis://[^/]+)/(\d+)", url)
    if match is None:
        return url
    return f"{match.group(1)}/{int(match.group(2)) + steps}"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    index = worker_index()
    if index >= MAX_WORKERS:
        raise pytest.UsageError(f"the suite runs on at most {MAX_WORKERS} workers (-n)")
    if index == 0:
        return
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        if name in os.environ:
            os.environ[name] = _moved(os.environ[name], 2 * index)
    if root := os.environ.get("PRIVATE_STORAGE_ROOT"):
        os.environ["PRIVATE_STORAGE_ROOT"] = f"{root}-gw{index}"
