"""e-report benchmarks: `make bench` (or `python bench/run.py [speed|filing|scale|memory|all]`).

Production-like: DEBUG off, gunicorn, PostgreSQL, Redis for cache, sessions and broker,
a real Celery worker. The load comes from this process on loopback. Results go to
bench/results/<name>.json and bench/results/latest.md.

1. speed   -- requests/s and p50/p95/p99 at 16 concurrent users for the floor (/livez),
              the home page, a screening page and a wizard step POST; ratios to the floor.
2. filing  -- 200 residents file theft reports (5 items each) through the real forms
              while a worker makes the copies; checks one report per confirmation and a
              ready copy per report.
3. scale   -- the clerks' and officers' queries at 10,000 and 1,000,000 reports.
4. memory  -- web and worker resident memory before and after runs 1 and 2.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    RESULTS,
    Browser,
    bench_env,
    machine,
    manage,
    percentiles,
    prepare_database,
    rss_mb,
    server,
    worker,
    write_result,
)

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()
ANSWERS_NOW = {"emergency": "no", "in_progress": "no", "suspicious_now": "no", "threat": "no"}
ANSWERS_INCIDENT = {
    "major_crime": "no",
    "witnesses": "no",
    "evidence": "no",
    "officer_needed": "no",
}
ABOUT_YOU = {
    "first_name": "Ana",
    "last_name": "Lopez",
    "date_of_birth": "1985-04-23",
    "phone": "612-555-0123",
    "email": "ana@example.org",
    "street": "350 S 5th St",
    "city": "Minneapolis",
    "state": "MN",
    "zip_code": "55415",
    "reporting_for": "self",
}


def screen(browser: Browser, report_type: str = "theft") -> None:
    browser.request("GET", "/screening/")
    for page, answers in (
        ("now", ANSWERS_NOW),
        ("incident", ANSWERS_INCIDENT),
        ("place", {"in_city": "yes", "report_type": report_type}),
    ):
        _s, _l, html = browser.request("GET", f"/screening/{page}/")
        browser.request(
            "POST", f"/screening/{page}/", {**answers, "csrfmiddlewaretoken": browser.csrf(html)}
        )


def step_data(step: str, fields: dict) -> dict:
    return {"report_theft-current_step": step, **{f"{step}-{k}": v for k, v in fields.items()}}


THEFT_STEPS = [
    ("about_you", ABOUT_YOU),
    (
        "when_where",
        {
            "timing": "exact",
            "date": YESTERDAY,
            "time": "14:30",
            "location": "Lake St and Hiawatha Ave",
            "place_kind": "street",
        },
    ),
    ("theft_details", {"theft_kind": "bicycle", "entered_building": "no", "force_or_threat": "no"}),
    ("items", None),
    ("person_responsible", {"known": "unknown"}),
    ("narrative", {"narrative": "Someone cut the lock and took my bike from the rack."}),
    ("attachments", {}),
    ("review", {}),
    ("declaration", {"confirm": "on"}),
]


def items_data(count: int, salt: str) -> dict:
    data = {
        "report_theft-current_step": "items",
        "items-TOTAL_FORMS": str(count),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "25",
    }
    for i in range(count):
        data.update(
            {
                f"items-{i}-category": "electronics",
                f"items-{i}-description": "Laptop",
                f"items-{i}-serial_number": f"SN{salt}{i}",
                f"items-{i}-quantity": "1",
                f"items-{i}-value": "300",
            }
        )
    return data


def start_theft(browser: Browser) -> str:
    """Press "Start now" after the screening; returns the new report's address (each
    report has its own draft id: /report/theft/<draft id>)."""
    _s, location, _b = browser.request("GET", "/report/theft/start/")
    return location.rstrip("/").rsplit("/", 1)[0]


def file_theft(browser: Browser, salt: str, timings: dict[str, list[float]]) -> str | None:
    """One resident files a theft report; returns the tracking number confirmed."""
    screen(browser)
    report = start_theft(browser)
    for step, fields in THEFT_STEPS:
        _s, _l, html = browser.request("GET", f"{report}/{step}/")
        data = items_data(5, salt) if step == "items" else step_data(step, fields)
        data["csrfmiddlewaretoken"] = browser.csrf(html)
        started = time.perf_counter()
        status, _location, _body = browser.request("POST", f"{report}/{step}/", data)
        timings.setdefault(step, []).append(time.perf_counter() - started)
        if status >= 500 or status != 302:
            return None
    status, _l, html = browser.request("GET", "/report/confirmation/")
    marker = 'id="tracking-number">'
    if status != 200 or marker not in html:
        return None
    return html.split(marker, 1)[1].split("<", 1)[0].strip()


def load(port: int, make_request, seconds: float = DURATION) -> dict:
    """CONCURRENCY users each looping make_request(browser) for `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user():
        nonlocal errors
        browser = Browser(port)
        setup = getattr(make_request, "setup", None)
        if setup:
            setup(browser)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            ok = make_request(browser)
            mine.append(time.perf_counter() - started)
            bad += 0 if ok else 1
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=user) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "errors": errors,
        **percentiles(latencies),
    }


def get(path: str):
    def request(browser: Browser) -> bool:
        status, _l, _b = browser.request("GET", path)
        return status == 200

    return request


def wizard_post():
    def setup(browser: Browser) -> None:
        screen(browser)
        browser.report = start_theft(browser)
        _s, _l, html = browser.request("GET", f"{browser.report}/about_you/")
        browser.token = browser.csrf(html)

    def request(browser: Browser) -> bool:
        data = step_data("about_you", ABOUT_YOU)
        data["csrfmiddlewaretoken"] = browser.token
        status, _location, _b = browser.request("POST", f"{browser.report}/about_you/", data)
        return status == 302

    request.setup = setup
    return request


def bench_speed(port: int) -> dict:
    rows = {}
    for name, fn in (
        ("floor (/livez)", get("/livez")),
        ("home", get("/")),
        ("screening page", get("/screening/now/")),
        ("wizard step POST", wizard_post()),
    ):
        load(port, fn, seconds=2)  # warm up: templates, connections
        rows[name] = load(port, fn)
        print(f"  {name:20} {rows[name]['rps']:>8} req/s  p95 {rows[name]['p95']} ms", flush=True)
    floor = rows["floor (/livez)"]["rps"] or 1
    for row in rows.values():
        row["ratio_to_floor"] = round(row["rps"] / floor, 3)
    return rows


def bench_filing(port: int, residents: int = 200) -> dict:
    from bench.copies import wait_for_copies  # reads the bench database directly

    timings: dict[str, list[float]] = {}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        confirmed = list(
            pool.map(lambda i: file_theft(Browser(port), f"R{i}X", timings), range(residents))
        )
    elapsed = time.monotonic() - started
    numbers = [n for n in confirmed if n]
    copies = wait_for_copies(numbers)
    return {
        "residents": residents,
        "confirmed": len(numbers),
        "submissions_per_second": round(len(numbers) / elapsed, 2),
        "p95_ms_per_step": {step: percentiles(v)["p95"] for step, v in timings.items()},
        **copies,
    }


def bench_scale(env: dict) -> dict:
    from bench.scale import measure  # runs in a subprocess with Django set up

    results = {}
    seeded = 0
    for size in (10_000, 1_000_000):
        manage(
            "seed_reports", str(size - seeded), "--allow-production", "--seed", str(size), env=env
        )
        seeded = size
        results[size] = measure(env)
        print(f"  {size:>9,} reports: {results[size]}", flush=True)
    small, large = results[10_000], results[1_000_000]
    results["ratio"] = {k: round(large[k] / small[k], 2) if small[k] else None for k in small}
    return results


def markdown(results: dict) -> str:
    lines = [f"Measured {results['when']} on {results['machine']} (`make bench`).", ""]
    if "speed" in results:
        lines += [
            "| Page (16 users) | req/s | ratio to floor | p50 ms | p95 ms | p99 ms | errors |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, r in results["speed"].items():
            lines.append(
                f"| {name} | {r['rps']} | {r['ratio_to_floor']} | {r['p50']} | "
                f"{r['p95']} | {r['p99']} | {r['errors']} |"
            )
        lines.append("")
    if "filing" in results:
        f = results["filing"]
        lines += [
            f"Filing: {f['confirmed']}/{f['residents']} residents confirmed, "
            f"{f['submissions_per_second']} submissions/s; reports stored "
            f"{f.get('reports_stored')}, copies ready {f.get('copies_ready')}, "
            f"duplicates {f.get('duplicates')}; submit→copy p95 "
            f"{f.get('copy_ready_p95_s')} s.",
            "",
        ]
    if "scale" in results:
        s = results["scale"]
        lines += ["| Query | 10,000 (ms) | 1,000,000 (ms) | ratio |", "|---|---|---|---|"]
        for key in s[10_000]:
            lines.append(f"| {key} | {s[10_000][key]} | {s[1_000_000][key]} | {s['ratio'][key]} |")
        lines.append("")
    if "memory" in results:
        m = results["memory"]
        lines += [
            f"Memory (MB): web {m['web_before']} → {m['web_after']}, worker "
            f"{m['worker_before']} → {m['worker_after']}.",
            "",
        ]
    return "\n".join(lines)


def main(which: str = "all") -> None:
    env = bench_env()
    results = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": machine()}
    print("Preparing the bench database…", flush=True)
    prepare_database(env)
    if which in ("all", "speed", "filing", "memory"):
        with server(env) as (port, web), worker(env) as celery:
            memory = {"web_before": rss_mb(web.pid), "worker_before": rss_mb(celery.pid)}
            if which in ("all", "speed", "memory"):
                print("Page speed:", flush=True)
                results["speed"] = bench_speed(port)
            if which in ("all", "filing", "memory"):
                print("Filing under load:", flush=True)
                results["filing"] = bench_filing(port)
                print(f"  {results['filing']}", flush=True)
            memory.update(web_after=rss_mb(web.pid), worker_after=rss_mb(celery.pid))
            results["memory"] = memory
    if which in ("all", "scale"):
        print("Scale:", flush=True)
        results["scale"] = bench_scale(env)
    write_result(which, results)
    table = markdown(results)
    (RESULTS / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all")
