"""Write the benchmark tables from bench/results: `python bench/report.py` (the last step of
`make bench`).

Each part (page speed, filing, scale, memory, PDF copies) is taken from the newest results
file that has it, and the tables go to bench/results/latest.md and to the README's
Performance section, replaced whole, so that the README says what the latest run measured
and nothing else: every figure comes from a results file, with how it was measured and the
machine's load average while it ran.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
README = ROOT / "README.md"
HEADING = "## Performance"


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def latest_parts() -> dict:
    """{part: (results, file's data)} from the newest file holding each part."""
    parts: dict[str, tuple[dict, dict]] = {}
    for name in ("all", "speed", "filing", "scale", "memory"):
        data = _load(name)
        for part in ("speed", "filing", "scale", "memory"):
            if part in data and (part not in parts or data["when"] > parts[part][1]["when"]):
                parts[part] = (data[part], data)
    return parts


def _load_avg(data: dict, start: str, end: str) -> str:
    loads = data.get("load_average", {})
    if start not in loads:
        return "not recorded"
    first = loads[start][0]
    last = loads.get(end, loads[start])[0]
    return f"{first:.2f} at the start, {last:.2f} at the end (1-minute)"


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"


def speed_section(speed: dict, data: dict) -> list[str]:
    s = data.get("settings", {})
    lines = [
        "### Resident pages",
        "",
        f"`bench/run.py speed`, {data['when']}, {data['machine']}; machine load average "
        f"{_load_avg(data, 'speed_start', 'speed_end')}. DEBUG off, gunicorn "
        f"({s.get('web_workers', '?')} sync workers, as docker/compose.yaml), PostgreSQL, Redis "
        "for cache, sessions and broker. The floor is a bare Django view (bench/floor/: one "
        "view, no middleware, no database) served by the same gunicorn settings. Each page "
        f"runs {s.get('rounds', 3)} rounds of floor, `/livez`, page ({s.get('concurrency', 16)} "
        "clients; gunicorn's sync workers close each connection after its response), "
        f"{s.get('seconds_per_measurement', 5)} s each, alternated so "
        "that other load on the machine falls on both); figures are medians of the rounds, and "
        "a ratio is the median of the rounds' page/floor ratios. The load generator (Python "
        "threads, bench/common.py) runs on the same two cores.",
        "",
        "| Page | req/s | floor req/s | ratio to floor | goal | met | ratio to /livez "
        "| p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in speed.items():
        lines.append(
            f"| {name} | {r['rps']} | {r['floor_rps']} | {r['ratio_to_floor']:.3f} | "
            f">= {r['goal']} | {_yes(r['meets_goal'])} | {r['ratio_to_livez']:.3f} | "
            f"{r['p50']} | {r['p95']} | {r['p99']} | {r['errors']} |"
        )
    return [*lines, ""]


def filing_section(f: dict, data: dict) -> list[str]:
    s = data.get("settings", {})
    steps = ", ".join(f"{k} {v}" for k, v in f["p95_ms_per_step"].items())
    counts = [f["confirmed"], f["reports_stored"], f["copies_ready"], f.get("emails_sent")]
    equal = len(set(counts)) == 1 and f["duplicates"] == 0
    p95_met = f["copy_ready_p95_s"] <= 10
    return [
        "### Filing under load",
        "",
        f"`bench/run.py filing`, {data['when']}; load average "
        f"{_load_avg(data, 'filing_start', 'filing_end')}. {f['residents']} residents file a "
        f"theft report (5 items) through the real forms, {s.get('filing_concurrency', 16)} "
        "at a time, "
        f"while a Celery worker (--concurrency={s.get('worker_concurrency', '?')}, as "
        "docker/compose.yaml) makes the copies and sends the emails. Counts are read from the "
        "database afterwards.",
        "",
        "| Measure | Value | Goal | Met |",
        "|---|---|---|---|",
        f"| confirmations / reports / ready copies / confirmation emails sent | "
        f"{' / '.join(str(c) for c in counts)} | all equal | {_yes(equal)} |",
        f"| duplicates | {f['duplicates']} | 0 | {_yes(f['duplicates'] == 0)} |",
        f"| submit → copy ready, p50 / p95 | {f['copy_ready_p50_s']} s / "
        f"{f['copy_ready_p95_s']} s | p95 <= 10 s | {_yes(p95_met)} |",
        f"| submissions/s | {f['submissions_per_second']} | | |",
        *(
            [
                f"| all submissions within / last copy ready after the first submission | "
                f"{f['submissions_within_s']} s / {f['last_copy_after_s']} s | | |",
                f"| copies ready per second, from the first submission to the last copy | "
                f"{round(f['copies_ready'] / f['last_copy_after_s'], 1)} | | |",
            ]
            if f.get("last_copy_after_s")
            else []
        ),
        "",
        f"p95 per wizard step POST (ms): {steps}.",
        "",
    ]


def scale_section(sc: dict, data: dict) -> list[str]:
    seed = sc.get("seed_seconds", {})
    total = sum(seed.values()) if seed else None
    lines = [
        "### Staff queries at scale",
        "",
        f"`bench/run.py scale`, {data['when']}; load average "
        f"{_load_avg(data, 'scale_start', 'end')}. Medians of 5 runs in a Django process "
        "(bench/scale.py) after `manage.py seed_reports` filled the database to each size.",
        "",
        "Rows: the rows the page lists at each size (a page lists at most 50; a page "
        "of few rows draws less than a full one).",
        "",
        "| Query (ms) | 10,000 reports | 1,000,000 reports | ratio (goal <= 2.0) | rows |",
        "|---|---|---|---|---|",
    ]
    small, large = sc.get("10000") or sc.get(10_000), sc.get("1000000") or sc.get(1_000_000)
    rows = sc.get("rows", {})
    rows_small = rows.get("10000") or rows.get(10_000) or {}
    rows_large = rows.get("1000000") or rows.get(1_000_000) or {}
    for key in small:
        shown = (
            f"{rows_small[key]} / {rows_large[key]}"
            if key in rows_small and key in rows_large
            else ""
        )
        ratio = sc["ratio"][key]
        met = "" if ratio is None else (" ✓" if ratio <= 2.0 else " ✗")
        lines.append(f"| {key} | {small[key]} | {large[key]} | {ratio}{met} | {shown} |")
    if total is not None:
        lines += [
            "",
            f"Seeding (`seed_reports`, COPY on PostgreSQL, with items, vehicles, people "
            f"responsible, emails and case copies): {total:,.0f} s for 1,000,000 reports "
            f"({' + '.join(f'{v:,.0f} s' for v in seed.values())}); goal <= 300 s: "
            f"{_yes(total <= 300)}.",
        ]
    return [*lines, ""]


def memory_section(m: dict, data: dict) -> list[str]:
    return [
        f"Memory (resident MB, web workers and Celery worker with children), before and after "
        f"the page-speed and filing runs ({data['when']}): web {m['web_before']} → "
        f"{m['web_after']}, worker {m['worker_before']} → {m['worker_after']}.",
        "",
    ]


def pdf_section(p: dict) -> list[str]:
    load = p.get("load_average")
    b = p.get("breakdown")
    explained = []
    if b:
        shares = "; ".join(
            f"{k} {v}%" if v > 0 else f"{k} none measurable ({v}%)"
            for k, v in b["share_of_copy_percent"].items()
        )
        explained = [
            "Where a copy's time goes: the same HTML rendered without each extra, median CPU "
            f"time, saves this share of the copy's time: {shares} (shares move by several "
            "points between runs on two shared cores). Counting WeasyPrint's page "
            f"layouts (calls of `remake_page` per page) gives {b['page_layouts_per_page']}: "
            "Page X of Y does not make it lay the pages out twice. The rest of the gap to the "
            "floor is not in these extras: it is the copy's own content (labelled rows and "
            "tables) being styled and laid out.",
            "",
        ]
    return [
        "### Case copies (PDF)",
        "",
        f"`bench/pdf.py`: {p.get('how', 'one process')}"
        + (f"; load average {load[0]:.2f}" if load else "")
        + ". The copy is PDF/A-3b with its JSON attached, a running header and footer and "
        "Page X of Y; the page counts are read back with pypdf and asserted.",
        "",
        "| Typical copy | Plain-HTML floor | Ratio | Goal | Met | Pages (copy / floor) "
        "| Memory growth over 500 copies |",
        "|---|---|---|---|---|---|---|",
        f"| {p['typical_ms']} ms | {p['floor_ms']} ms | {p['ratio']} | <= {p.get('goal', '?')} "
        f"| {_yes(p.get('meets_goal', False))} | {p['typical_pages']} / "
        f"{p.get('floor_pages', '?')} | {p['rss_growth_mb']} MB |",
        "",
        *explained,
        *_throughput_line(p.get("throughput")),
    ]


def _throughput_line(t: dict | None) -> list[str]:
    if not t:
        return []
    each = " and ".join(f"{ms} ms" for ms in t["wall_ms_per_copy"])
    return [
        f"The most copies the worker can make here: {t['processes']} processes (the worker's "
        f"concurrency) rendering typical copies at once with nothing else running made "
        f"{t['copies_per_second']} copies a second ({each} a copy each: renders at once "
        "share the machine's cores, so each takes longer than one alone).",
        "",
    ]


def markdown() -> str:
    parts = latest_parts()
    lines = [
        HEADING,
        "",
        "Written by `bench/report.py` from bench/results/ at the end of `make bench`; do not "
        "edit by hand.",
        "",
    ]
    if "speed" in parts:
        lines += speed_section(*parts["speed"])
    if "filing" in parts:
        lines += filing_section(*parts["filing"])
    if "memory" in parts:
        lines += memory_section(*parts["memory"])
    if "scale" in parts:
        lines += scale_section(*parts["scale"])
    pdf = _load("pdf")
    if pdf:
        lines += pdf_section(pdf)
    return "\n".join(lines)


def update_readme(section: str) -> None:
    text = README.read_text()
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    end = len(text) if end == -1 else end + 1
    README.write_text(text[:start] + section.rstrip() + "\n\n" + text[end:])


def main() -> str:
    section = markdown()
    (RESULTS / "latest.md").write_text(section + "\n")
    update_readme(section)
    return section


if __name__ == "__main__":
    sys.stdout.write(main() + "\n")
