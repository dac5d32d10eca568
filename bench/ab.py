"""A change against what it changed, in one run: `python bench/ab.py REV [PAGE ...]`.

On two shared cores the same page can serve a fifth more or less from one minute to the
next, so two bench runs made at different times cannot show a change of a few percent.
This serves the tree at git revision REV (a worktree in a temporary directory) and this
working tree side by side, with the bench's settings and database, and loads a page of
each in turn, the order swapped every round, as bench/run.py measures a page against
its floor. It prints the requests a second of each round and the ratio of the medians
(this tree / REV). Pages: home, screening, wizard-get, wizard-post, status-post (all by
default). BENCH_AB_ROUNDS (6) and BENCH_SECONDS (5) set the rounds and their length.

The database is migrated by this tree and shared (the status lookup needs the same
report in both); each tree has its own Redis database for its cache and sessions, so
neither reads what the other's code stored. REV's static files are collected in its
worktree (with this tree's node_modules). Both trees run on this virtualenv: to measure
a new dependency, compare against a revision whose settings turn it off (hiredis was
measured so, against a revision whose cache OPTIONS force redis-py's Python parser).
Nothing is written to bench/results: the README's figures come from bench/run.py and
bench/pdf.py alone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, Browser, bench_env, prepare_database, server
from bench.run import (
    CONCURRENCY,
    DURATION,
    get,
    load,
    status_lookup,
    status_post,
    wizard_get,
    wizard_post,
)

ROUNDS = int(os.environ.get("BENCH_AB_ROUNDS", "6"))
# The bench uses Redis databases 13 and 14 (bench/common.py), the tests 1 to 12.
REV_REDIS_URL = os.environ.get("BENCH_AB_REDIS_URL", "redis://127.0.0.1:6379/15")
PAGES = {
    "home": lambda lookup: get("/"),
    "screening": lambda lookup: get("/screening/now/"),
    "wizard-get": lambda lookup: wizard_get(),
    "wizard-post": lambda lookup: wizard_post(),
    "status-post": lambda lookup: status_post(*lookup),
}


def worktree(revision: str, into: Path, env: dict[str, str]) -> Path:
    """A checkout of `revision` with its static files collected, ready to serve."""
    tree = into / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(tree), revision],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (tree / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput"],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
    )
    return tree


def compare(before: int, after: int, request: Callable[[Browser], bool]) -> dict:
    """Requests a second of each server, ROUNDS rounds, alternated."""
    rounds: dict[str, list[float]] = {"before": [], "after": []}
    errors = 0
    for port in (before, after):
        load(port, request, 2)  # warm both: templates, fragments, connections
    for index in range(ROUNDS):
        order = (("before", before), ("after", after))
        for name, port in order if index % 2 == 0 else order[::-1]:
            result = load(port, request, DURATION)
            rounds[name].append(result["rps"])
            errors += result["errors"]
    medians = {name: statistics.median(values) for name, values in rounds.items()}
    return {
        **rounds,
        "ratio": round(medians["after"] / medians["before"], 3),
        "errors": errors,
    }


def main(revision: str, pages: list[str]) -> None:
    unknown = [page for page in pages if page not in PAGES]
    if unknown:
        raise SystemExit(f"unknown page {unknown[0]!r}: choose from {', '.join(PAGES)}")
    env = bench_env()
    print(f"Preparing the bench database and {revision}…", flush=True)
    prepare_database(env)
    lookup = status_lookup(env)
    with tempfile.TemporaryDirectory(prefix="ereport-ab-") as into, ExitStack() as servers:
        try:
            tree = worktree(revision, Path(into), env)
            own = {**env, "REDIS_URL": REV_REDIS_URL, "PRIVATE_STORAGE_ROOT": str(tree / "private")}
            before, _p = servers.enter_context(server(own, cwd=tree))
            after, _p = servers.enter_context(server(env))
            print(
                f"\n{CONCURRENCY} clients, {ROUNDS} rounds of {DURATION:g} s, alternated "
                f"(load average {os.getloadavg()[0]:.2f}):\n",
                flush=True,
            )
            print(f"| Page | {revision} req/s | this tree req/s | ratio of medians | errors |")
            print("|---|---|---|---|---|")
            for page in pages or list(PAGES):
                found = compare(before, after, PAGES[page](lookup))
                print(
                    f"| {page} | {', '.join(map(str, found['before']))} "
                    f"| {', '.join(map(str, found['after']))} | {found['ratio']} "
                    f"| {found['errors']} |",
                    flush=True,
                )
        finally:
            servers.close()
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(Path(into) / "tree")],
                cwd=ROOT,
                capture_output=True,
            )


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
