"""500 team scorecard PDFs through real Celery workers (Redis broker, concurrency 2) against a plain
`ProcessPoolExecutor(2)` printing the same pre-rendered HTML. Target: Celery <= 1.15x the pool.

Run: .venv/bin/python bench/bench_pdf_batch.py   (needs Redis on 127.0.0.1:6379; uses databases 11 and 12)
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_pdf_setup import PERIOD, ROOT, SCRATCH, ensure_data, load_average, setup_django, write_result

BROKER = os.environ.get("REPORTS_BENCH_BROKER", "redis://127.0.0.1:6379/11")
QUEUE = "reports-bench"
COUNT = int(os.environ.get("REPORTS_BENCH_BATCH", "500"))
WORKERS = 2
ROUNDS = 5
TARGET = 1.15


def render_one(html: str) -> str:
    from core.pdf import render_html_to_pdf

    return hashlib.sha256(render_html_to_pdf(html)).hexdigest()


def _htmls() -> list[str]:
    from django.template.loader import render_to_string

    from core.pdf import STATIC_BASE
    from reports.documents.common import input_checksum
    from reports.documents.team_scorecard import TEMPLATE, gather_team_scorecards, team_scorecard_context

    teams = gather_team_scorecards(period_code=PERIOD)
    pages = [
        render_to_string(
            TEMPLATE, {"STATIC_BASE": STATIC_BASE, **team_scorecard_context(d, input_checksum(d.evidence()))}
        )
        for d in teams
    ]
    return [pages[i % len(pages)] for i in range(COUNT)]


def _start_worker() -> subprocess.Popen:
    env = {**os.environ, "CELERY_BROKER_URL": BROKER, "CELERY_RESULT_BACKEND": BROKER.rsplit("/", 1)[0] + "/12"}
    log = open(SCRATCH / "celery-worker.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(WORKERS),
            "--pool",
            "prefork",
            "--queues",
            QUEUE,
            "--hostname",
            f"reports-bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _celery_run(htmls: list[str]) -> tuple[float, list[str]]:
    from celery import group

    from reports.tasks import render_html_pdf

    start = time.perf_counter()
    result = group(render_html_pdf.s(html) for html in htmls).apply_async(queue=QUEUE)
    digests = result.get(timeout=1800)
    elapsed = time.perf_counter() - start
    result.forget()
    return elapsed, digests


def main() -> None:
    setup_django(broker=BROKER)
    ensure_data()
    import redis

    for db in (11, 12):
        redis.Redis.from_url(BROKER.rsplit("/", 1)[0] + f"/{db}").flushdb()
    htmls = _htmls()

    load = load_average()
    chunks = [htmls[i : i + COUNT // ROUNDS] for i in range(0, COUNT, COUNT // ROUNDS)]
    celery_s = pool_s = 0.0
    celery_digests: list[str] = []
    pool_digests: list[str] = []
    worker = _start_worker()
    try:
        with ProcessPoolExecutor(WORKERS) as pool:
            # warm-up: the worker is up and every child process of both has imported WeasyPrint and fonts
            _celery_run(htmls[: WORKERS * 2])
            list(pool.map(render_one, htmls[: WORKERS * 2]))
            # taking turns by chunks spreads the load of other processes on a shared machine over both
            for chunk in chunks:
                elapsed, digests = _celery_run(chunk)
                celery_s += elapsed
                celery_digests += digests
                start = time.perf_counter()
                pool_digests += list(pool.map(render_one, chunk, chunksize=1))
                pool_s += time.perf_counter() - start
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)

    ratio = celery_s / pool_s
    result = {
        "pdfs": COUNT,
        "rounds": ROUNDS,
        "load_average_at_start": load,
        "workers": WORKERS,
        "celery_s": round(celery_s, 2),
        "process_pool_s": round(pool_s, 2),
        "celery_pdfs_per_s": round(COUNT / celery_s, 2),
        "process_pool_pdfs_per_s": round(COUNT / pool_s, 2),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET,
        "met": ratio <= TARGET,
        "same_output": celery_digests == pool_digests,
    }
    write_result("bench_pdf_batch", result)
    print(
        f"bench_pdf_batch: {COUNT} PDFs, Celery {celery_s:.1f} s vs process pool {pool_s:.1f} s ({WORKERS} workers) "
        f"-> {ratio:.3f}x (load {load}; target <= {TARGET}x, {'met' if result['met'] else 'MISSED'}); "
        f"identical PDFs: {result['same_output']}"
    )


if __name__ == "__main__":
    main()
