"""Benchmark: a 500,000-row measurement import through the web, with the work in a real Celery worker.

As a CCO through Django's test client (the views, middleware, session and templates as served): the upload
page, the upload (POST), the preview page (which queues the dry run), polling its progress JSON until the
kept preview is there, the preview page again, *Confirm and import* (POST), polling the confirmation's
progress JSON (and every few polls the self-refreshing job page) until it is done, then the job page (which
redirects to the import history) and the history. Every request is timed; none may take 2 s or more, and
the rows reported must advance while a job runs. Afterwards the rows are counted and the monthly rollups
compared with the daily rows.

Run: `make bench BENCH=bench_web_import` (scratch database from BENCH_DATABASE_URL), or alone with
DATABASE_URL set. Needs Redis on 127.0.0.1:6379: the broker, results and the shared cache (job progress) use
database WEB_IMPORT_REDIS_DB (default 7). BENCH_TEAMS / BENCH_KPIS / BENCH_DAYS (default 100 x 20 x 250 =
500,000 rows) shrink it. Results: bench/results/bench_web_import.json.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
REDIS = f"redis://127.0.0.1:6379/{int(os.environ.get('WEB_IMPORT_REDIS_DB', 7))}"
LIMIT_S = 2.0
POLL_S = 0.5
# The bench file is ~28 MB, within the default upload limit (64 MB); set here so the run does not depend on it.
MAX_BYTES = 64 * 1024 * 1024
QUEUE = "celery"


def _environment(media: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "REDIS_URL": REDIS,
        "CELERY_BROKER_URL": REDIS,
        "CELERY_RESULT_BACKEND": REDIS,
        "DJANGO_MEDIA_ROOT": str(media),
        "CENTRIC_IMPORT_MAX_BYTES": str(MAX_BYTES),
        "DJANGO_DEBUG": "false",
    }


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    out = log.open("w")  # closed with the process
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--queues",
            QUEUE,
            "--hostname",
            f"web-import-bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=out,
        stderr=subprocess.STDOUT,
    )


class Timed:
    """A test client whose every request is timed and kept as (label, seconds, status), with its CPU time.

    The views run in this process (the worker in its own), so the process's CPU time over a request is the
    request's own work: a figure the load of a shared machine does not stretch, unlike the wall time."""

    def __init__(self, client) -> None:
        self.client = client
        self.requests: list[tuple[str, float, int]] = []
        self.cpu: list[float] = []

    def __call__(self, label: str, method: str, path: str, data=None):
        started, cpu = time.perf_counter(), time.process_time()
        response = getattr(self.client, method)(path, data) if data is not None else getattr(self.client, method)(path)
        self.requests.append((label, time.perf_counter() - started, response.status_code))
        self.cpu.append(time.process_time() - cpu)
        return response


def _poll(timed: Timed, checksum: str, mode: str, page_every: int = 5) -> tuple[list[int], float]:
    """Poll a job's progress JSON until it ends; the rows seen at each poll and the job's duration."""
    from django.urls import reverse

    status_url = reverse("culture:import_job_status", args=[checksum, mode])
    page_url = reverse("culture:import_preview" if mode == "preview" else "culture:import_job", args=[checksum])
    rows: list[int] = []
    started = time.perf_counter()
    polls = 0
    while True:
        state = timed(f"{mode}.json", "get", status_url).json()
        rows.append(int(state["rows"]))
        polls += 1
        if state["status"] not in ("queued", "running"):
            if state["status"] not in ("done",):
                raise SystemExit(f"{mode} job ended {state}")
            return rows, time.perf_counter() - started
        if polls % page_every == 0 and mode == "confirm":
            timed(f"{mode} page", "get", page_url)  # the self-refreshing page the browser shows meanwhile
        if time.perf_counter() - started > 3600:
            raise SystemExit(f"{mode} job still running after an hour: {state}")
        time.sleep(POLL_S)


def run(shape, workdir: Path) -> dict[str, object]:
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from bench.bench_imports import create_reference_data, write_files
    from culture.measurements.rollups import differences
    from culture.models import ImportBatch, Measurement
    from users.models import User
    from users.roles import Role, group_name

    settings.ALLOWED_HOSTS = ["*"]
    settings.CENTRIC_REQUIRE_MFA = False
    teams, kpis = create_reference_data(shape)
    import_csv, _baseline = write_files(shape, workdir, teams, kpis)
    content = import_csv.read_bytes()
    cco, _created = User.objects.get_or_create(email="bench-web-import@centric.bench")
    cco.groups.add(Group.objects.get(name=group_name(Role.CCO)))
    client = Client()
    client.force_login(cco)
    timed = Timed(client)

    timed("upload page", "get", reverse("culture:import_upload"))
    upload = SimpleUploadedFile("measurements.csv", content, content_type="text/csv")
    response = timed(
        "upload",
        "post",
        reverse("culture:import_upload"),
        {"kind": "measurements", "file": upload, "decimal": ".", "date_order": "ymd"},
    )
    assert response.status_code == 302, response.status_code
    checksum = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    preview_url = reverse("culture:import_preview", args=[checksum])
    first = timed("preview page (queues the check)", "get", preview_url)
    assert first.status_code == 200, first.status_code
    preview_rows, preview_s = _poll(timed, checksum, "preview")
    shown = timed("preview page (kept result)", "get", preview_url)
    assert shown.status_code == 200 and b"Confirm" in shown.content, shown.status_code
    confirm = timed("confirm", "post", reverse("culture:import_confirm", args=[checksum]), {})
    assert confirm.status_code == 302, confirm.status_code
    confirm_rows, confirm_s = _poll(timed, checksum, "confirm")
    done = timed("job page (done: to the history)", "get", reverse("culture:import_job", args=[checksum]))
    assert done.status_code == 302, done.status_code
    timed("import history", "get", reverse("culture:importbatch_list"))

    stored = Measurement.objects.count()
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch is not None and batch.created_count == shape.rows, (batch and batch.created_count, shape.rows)
    assert stored == shape.rows, (stored, shape.rows)
    started = time.perf_counter()
    rollup_differences = differences()
    check_s = time.perf_counter() - started
    durations = [seconds for _label, seconds, _status in timed.requests]
    slowest = max(timed.requests, key=lambda request: request[1])
    costliest = max(range(len(timed.cpu)), key=timed.cpu.__getitem__)
    by_label: dict[str, list[float]] = {}
    for label, seconds, _status in timed.requests:
        by_label.setdefault(label, []).append(seconds)
    return {
        "rows": shape.rows,
        "file_bytes": len(content),
        "requests": len(durations),
        "max_request_s": round(slowest[1], 3),
        "slowest_request": slowest[0],
        "median_request_s": round(statistics.median(durations), 4),
        "max_request_cpu_s": round(timed.cpu[costliest], 3),
        "costliest_request": timed.requests[costliest][0],
        "over_limit": [label for label, seconds, _status in timed.requests if seconds >= LIMIT_S],
        "per_request": {
            label: {
                "count": len(values),
                "max_s": round(max(values), 3),
                "median_s": round(statistics.median(values), 4),
            }
            for label, values in by_label.items()
        },
        "preview_job_s": round(preview_s, 1),
        "confirm_job_s": round(confirm_s, 1),
        "preview_progress": _advances(preview_rows),
        "confirm_progress": _advances(confirm_rows),
        "stored_rows": stored,
        "rollup_differences": len(rollup_differences),
        "rollup_check_s": round(check_s, 1),
    }


def _advances(rows: list[int]) -> dict[str, object]:
    """How the rows reported moved between polls: never back, and forward several times before the end."""
    steps = sum(1 for before, after in itertools.pairwise(rows) if after > before)
    backwards = sum(1 for before, after in itertools.pairwise(rows) if after < before)
    return {"polls": len(rows), "advanced": steps, "went_back": backwards, "last": rows[-1] if rows else 0}


def main() -> None:
    from bench.datagen import BenchShape

    media = Path(tempfile.mkdtemp(prefix="bench-web-import-media-"))
    env = _environment(media)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import logging

    logging.disable(logging.INFO)
    shape = BenchShape(
        teams=int(os.environ.get("BENCH_TEAMS", 100)),
        kpis=int(os.environ.get("BENCH_KPIS", 20)),
        days=int(os.environ.get("BENCH_DAYS", 250)),
    )
    with tempfile.TemporaryDirectory(prefix="bench-web-import-") as tmp:
        worker = _start_worker(env, Path(tmp) / "celery-worker.log")
        try:
            load_before = os.getloadavg()[0]
            figures = run(shape, Path(tmp))
            figures["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        except BaseException:
            print((Path(tmp) / "celery-worker.log").read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                worker.kill()
    figures["shape"] = f"{shape.teams} teams x {shape.kpis} KPIs x {shape.days} days"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_web_import.json").write_text(json.dumps(figures, indent=2) + "\n")
    ok = (
        not figures["over_limit"]
        and figures["preview_progress"]["advanced"]
        and figures["confirm_progress"]["advanced"]
    )
    print(
        f"web import: {figures['rows']:,} rows; slowest request {figures['max_request_s']} s "
        f"({figures['slowest_request']}; limit {LIMIT_S} s), most CPU {figures['max_request_cpu_s']} s "
        f"({figures['costliest_request']}), {figures['requests']} requests; "
        f"preview job {figures['preview_job_s']} s, confirm job {figures['confirm_job_s']} s; progress advanced "
        f"{figures['preview_progress']['advanced']} / {figures['confirm_progress']['advanced']} times; "
        f"rollup differences {figures['rollup_differences']}; load {figures['load_average']}"
    )
    if not ok or figures["rollup_differences"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
