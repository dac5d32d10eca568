"""After the filing run: count reports and copies straight from the bench database."""

from __future__ import annotations

import time

import psycopg2

from bench.common import BENCH_DB, percentiles


def wait_for_copies(tracking_numbers: list[str], timeout: float = 600) -> dict:
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=BENCH_DB)
    conn.autocommit = True
    deadline = time.monotonic() + timeout
    with conn.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM reports_casecopy c JOIN reports_report r "
                "ON r.id = c.report_id WHERE c.state = 'ready' AND r.tracking_number = ANY(%s)",
                [tracking_numbers],
            )
            ready = cursor.fetchone()[0]
            if ready >= len(tracking_numbers) or time.monotonic() > deadline:
                break
            time.sleep(1)
        cursor.execute(
            "SELECT count(*), count(DISTINCT submission_key) FROM reports_report "
            "WHERE tracking_number = ANY(%s)",
            [tracking_numbers],
        )
        stored, distinct = cursor.fetchone()
        cursor.execute(
            "SELECT EXTRACT(EPOCH FROM c.rendered_at - r.submitted_at) FROM reports_casecopy c "
            "JOIN reports_report r ON r.id = c.report_id "
            "WHERE c.state = 'ready' AND r.tracking_number = ANY(%s)",
            [tracking_numbers],
        )
        spans = [float(row[0]) for row in cursor.fetchall()]
        # When the submissions came and when the worker finished: a p95 far above a
        # copy's render time is the queue of copies behind a burst of submissions.
        cursor.execute(
            "SELECT EXTRACT(EPOCH FROM max(r.submitted_at) - min(r.submitted_at)), "
            "EXTRACT(EPOCH FROM max(c.rendered_at) - min(r.submitted_at)) "
            "FROM reports_casecopy c JOIN reports_report r ON r.id = c.report_id "
            "WHERE c.state = 'ready' AND r.tracking_number = ANY(%s)",
            [tracking_numbers],
        )
        submit_window, last_copy = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM (SELECT report_id, version FROM reports_casecopy "
            "GROUP BY 1, 2 HAVING count(*) > 1) d"
        )
        duplicate_copies = cursor.fetchone()[0]
    conn.close()
    latency = percentiles(spans)
    return {
        "reports_stored": stored,
        "duplicates": stored - distinct + duplicate_copies,
        "copies_ready": ready,
        "copy_ready_p50_s": round(latency["p50"] / 1000, 2),
        "copy_ready_p95_s": round(latency["p95"] / 1000, 2),
        "submissions_within_s": round(float(submit_window or 0), 1),
        "last_copy_after_s": round(float(last_copy or 0), 1),
    }
