"""e-report benchmarks: `make bench` (or `python bench/run.py [speed|filing|scale|memory|all]`).

Production-like: DEBUG off, gunicorn with docker/compose.yaml's worker count, PostgreSQL,
Redis for cache, sessions and broker, a real Celery worker with compose's concurrency.
The load comes from this process on loopback. Results go to bench/results/<name>.json;
bench/report.py writes bench/results/latest.md and the README's Performance section.

1. speed   -- requests/s and p50/p95/p99 at 16 keep-alive connections for the home page,
              a screening page, a wizard step GET and POST and a status lookup POST, each
              against a bare Django view (bench/floor/, same gunicorn settings, started
              here) and /livez, alternated, three rounds; ratios and their goals.
2. filing  -- 200 residents file theft reports (5 items each) through the real forms at
              once while the worker makes the copies and sends the emails; checks that
              confirmations, reports, ready copies and sent emails are equal, no duplicates,
              and the time from submit to copy ready.
3. scale   -- the clerks' and officers' queries at 10,000 and 1,000,000 reports, and the
              time `seed_reports` takes to get there.
4. memory  -- web and worker resident memory before and after runs 1 and 2.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    WEB_WORKERS,
    WORKER_CONCURRENCY,
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
# Issue 17: 200 residents filing at once (each its own browser and thread).
FILING_CONCURRENCY = int(os.environ.get("BENCH_FILING_CONCURRENCY", "200"))
DURATION = float(os.environ.get("BENCH_SECONDS", "5"))
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


def _resident_with_report(browser: Browser) -> None:
    screen(browser)
    browser.report = start_theft(browser)
    _s, _l, html = browser.request("GET", f"{browser.report}/about_you/")
    browser.token = browser.csrf(html)


def wizard_get():
    """A resident opening a wizard step (about_you) of the report they are filing."""

    def request(browser: Browser) -> bool:
        status, _l, _b = browser.request("GET", f"{browser.report}/about_you/")
        return status == 200

    request.setup = _resident_with_report
    return request


def wizard_post():
    def request(browser: Browser) -> bool:
        data = step_data("about_you", ABOUT_YOU)
        data["csrfmiddlewaretoken"] = browser.token
        status, _location, _b = browser.request("POST", f"{browser.report}/about_you/", data)
        return status == 302

    request.setup = _resident_with_report
    return request


def status_post(tracking_number: str, email: str):
    """A resident looking up a report by tracking number and email (found: a redirect to
    its status page)."""

    def setup(browser: Browser) -> None:
        _s, _l, html = browser.request("GET", "/status/")
        browser.token = browser.csrf(html)

    def request(browser: Browser) -> bool:
        data = {
            "tracking_number": tracking_number,
            "email": email,
            "website": "",
            "csrfmiddlewaretoken": browser.token,
        }
        status, _location, _b = browser.request("POST", "/status/", data)
        return status == 302

    request.setup = setup
    return request


# The aims of issue 17, as a fraction of the bare-Django floor's requests per second.
SPEED_GOALS = {
    "home": 0.5,
    "screening page": 0.5,
    "wizard step GET": 0.3,
    "wizard step POST": 0.25,
    "status POST": 0.3,
}
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def bench_speed(port: int, floor_port: int, lookup: tuple[str, str]) -> dict:
    """Each page against the bare-Django floor and /livez, alternated: floor, /livez,
    page, three rounds; a page's ratio is the median of its rounds' ratios, each taken
    from measurements seconds apart, so that the machine's other load affects both
    sides alike."""
    pages = {
        "home": get("/"),
        "screening page": get("/screening/now/"),
        "wizard step GET": wizard_get(),
        "wizard step POST": wizard_post(),
        "status POST": status_post(*lookup),
    }
    floor_fn, livez_fn = get("/"), get("/livez")
    load(floor_port, floor_fn, seconds=2)  # warm up every worker
    load(port, livez_fn, seconds=2)
    rows = {}
    for name, fn in pages.items():
        load(port, fn, seconds=2)  # warm up: templates, connections, drafts
        rounds = []
        for _ in range(ROUNDS):
            floor = load(floor_port, floor_fn)
            livez = load(port, livez_fn)
            page = load(port, fn)
            rounds.append(
                {
                    "floor_rps": floor["rps"],
                    "livez_rps": livez["rps"],
                    **page,
                    "ratio_to_floor": round(page["rps"] / (floor["rps"] or 1), 3),
                    "ratio_to_livez": round(page["rps"] / (livez["rps"] or 1), 3),
                }
            )

        def med(key, rounds=rounds):
            return statistics.median(r[key] for r in rounds)

        row = {
            "rps": med("rps"),
            "floor_rps": med("floor_rps"),
            "livez_rps": med("livez_rps"),
            "ratio_to_floor": med("ratio_to_floor"),
            "ratio_to_livez": med("ratio_to_livez"),
            "goal": SPEED_GOALS[name],
            "p50": med("p50"),
            "p95": med("p95"),
            "p99": med("p99"),
            "errors": sum(r["errors"] for r in rounds),
            "rounds": rounds,
        }
        row["meets_goal"] = row["ratio_to_floor"] >= row["goal"] and row["errors"] == 0
        rows[name] = row
        print(
            f"  {name:18} {row['rps']:>7} req/s  floor {row['floor_rps']:>7}  "
            f"ratio {row['ratio_to_floor']:.3f} (goal >= {row['goal']}) "
            f"{'MET' if row['meets_goal'] else 'NOT MET'}  /livez ratio "
            f"{row['ratio_to_livez']:.3f}  p95 {row['p95']} ms  errors {row['errors']}",
            flush=True,
        )
    return rows


def confirmation_emails_sent(tracking_numbers: list[str], timeout: float = 120) -> int:
    """Confirmation emails marked sent for these reports, once the outbox is drained (or
    the timeout passes)."""
    import psycopg2

    from bench.common import BENCH_DB

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=BENCH_DB)
    conn.autocommit = True
    deadline = time.monotonic() + timeout
    with conn.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM reports_residentemail e JOIN reports_report r "
                "ON r.id = e.report_id WHERE e.kind = 'confirmation' "
                "AND e.sent_at IS NOT NULL AND r.tracking_number = ANY(%s)",
                [tracking_numbers],
            )
            sent = cursor.fetchone()[0]
            if sent >= len(tracking_numbers) or time.monotonic() > deadline:
                break
            time.sleep(1)
    conn.close()
    return sent


def bench_filing(port: int, residents: int = 200) -> dict:
    from bench.copies import wait_for_copies  # reads the bench database directly

    timings: dict[str, list[float]] = {}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=FILING_CONCURRENCY) as pool:
        confirmed = list(
            pool.map(lambda i: file_theft(Browser(port), f"R{i}X", timings), range(residents))
        )
    elapsed = time.monotonic() - started
    numbers = [n for n in confirmed if n]
    copies = wait_for_copies(numbers)
    return {
        "emails_sent": confirmation_emails_sent(numbers),
        "residents": residents,
        "confirmed": len(numbers),
        "submissions_per_second": round(len(numbers) / elapsed, 2),
        "p95_ms_per_step": {step: percentiles(v)["p95"] for step, v in timings.items()},
        **copies,
    }


def bench_scale(env: dict) -> dict:
    from bench.scale import measure  # runs in a subprocess with Django set up

    results: dict = {"seed_seconds": {}, "rows": {}}
    seeded = 0
    for size in (10_000, 1_000_000):
        started = time.monotonic()
        manage(
            "seed_reports", str(size - seeded), "--allow-production", "--seed", str(size), env=env
        )
        results["seed_seconds"][f"{size - seeded} reports"] = round(time.monotonic() - started, 1)
        seeded = size
        measured = measure(env)
        results[size], results["rows"][size] = measured["ms"], measured["rows"]
        print(f"  {size:>9,} reports: {results[size]}", flush=True)
    print(f"  seeding: {results['seed_seconds']}", flush=True)
    small, large = results[10_000], results[1_000_000]
    results["ratio"] = {k: round(large[k] / small[k], 2) if small[k] else None for k in small}
    return results


def status_lookup(env: dict) -> tuple[str, str]:
    """Seed a few reports and return one's tracking number and email, for the status
    lookup."""
    import psycopg2

    from bench.common import BENCH_DB

    manage("seed_reports", "50", "--allow-production", "--seed", "17", env=env)
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=BENCH_DB)
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT tracking_number, reporter_email FROM reports_report LIMIT 1")
        found = cursor.fetchone()
    conn.close()
    return found


def main(which: str = "all") -> None:
    env = bench_env()
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "web_workers": WEB_WORKERS,
            "worker_concurrency": WORKER_CONCURRENCY,
            "concurrency": CONCURRENCY,
            "filing_concurrency": FILING_CONCURRENCY,
            "seconds_per_measurement": DURATION,
            "rounds": ROUNDS,
        },
        "load_average": {"start": os.getloadavg()},
    }
    print("Preparing the bench database…", flush=True)
    prepare_database(env)
    if which in ("all", "speed", "filing", "memory"):
        floor_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.floor.settings"}
        with (
            server(env) as (port, web),
            server(floor_env, app="bench.floor.wsgi:application", probe="/") as (floor, _p),
            worker(env) as celery,
        ):
            memory = {"web_before": rss_mb(web.pid), "worker_before": rss_mb(celery.pid)}
            if which in ("all", "speed", "memory"):
                print("Page speed (against a bare Django view, alternated):", flush=True)
                results["load_average"]["speed_start"] = os.getloadavg()
                results["speed"] = bench_speed(port, floor, status_lookup(env))
                results["load_average"]["speed_end"] = os.getloadavg()
            if which in ("all", "filing", "memory"):
                print("Filing under load:", flush=True)
                results["load_average"]["filing_start"] = os.getloadavg()
                results["filing"] = bench_filing(port)
                results["load_average"]["filing_end"] = os.getloadavg()
                print(f"  {results['filing']}", flush=True)
            memory.update(web_after=rss_mb(web.pid), worker_after=rss_mb(celery.pid))
            results["memory"] = memory
    if which in ("all", "scale"):
        print("Scale:", flush=True)
        results["load_average"]["scale_start"] = os.getloadavg()
        results["scale"] = bench_scale(env)
    results["load_average"]["end"] = os.getloadavg()
    write_result(which, results)
    # The tables (bench/results/latest.md and the README's Performance section) are
    # written from the results files by bench/report.py.
    from bench import report

    print(report.main())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all")
