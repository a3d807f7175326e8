"""Fault test: 200 report jobs while Celery workers are SIGKILLed 20 times and Redis is restarted once.

Passes when every report ends done exactly once: 200 rows, 200 done, one file each, none stuck in
queued/running, none failed. Everything runs on loopback: a private redis-server on its own port (so the
restart disturbs nothing else), a scratch PostgreSQL database, real `celery worker` and `celery beat`.
Bounded: the whole run stops after --timeout seconds. Writes bench/results/faults.json.

    .venv/bin/python bench/faults/run_faults.py [--kills 20] [--timeout 600]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
REDIS_PORT = 6391
DATABASE = "centric_faults"
PERIODS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]


def run(command: list, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=ROOT, env=env, check=True, **kwargs)


def start_redis(workdir: Path) -> None:
    run(
        [
            "redis-server",
            "--port",
            REDIS_PORT,
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--appendonly",
            "yes",
            "--save",
            "",
            "--dir",
            workdir,
            "--pidfile",
            workdir / "redis.pid",
            "--logfile",
            workdir / "redis.log",
        ]
    )
    for _ in range(50):
        if (
            subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True).stdout.strip()
            == "PONG"
        ):
            return
        time.sleep(0.1)
    raise RuntimeError("private redis did not start")


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown"], capture_output=True, check=False)
    time.sleep(0.5)


def django(env: dict, code: str) -> str:
    """Run `code` in the scratch database; return the last line it printed."""
    out = run([BIN / "python", "manage.py", "shell", "-c", code], env=env, capture_output=True, text=True).stdout
    return (out.strip().splitlines() or [""])[-1]


def status_counts(env: dict) -> dict[str, int]:
    return json.loads(django(env, "from bench.faults.django_side import print_status_counts; print_status_counts()"))


def start_worker(env: dict, workdir: Path, index: int) -> subprocess.Popen:
    log = open(workdir / f"worker-{index}.log", "ab")  # noqa: SIM115 - lives as long as the worker
    return subprocess.Popen(
        [
            BIN / "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "--hostname",
            f"faults{index}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,  # its own process group: a "whole worker" kill takes its pool with it
    )


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def pool_children(worker: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    # A TERM (CI's time limit, Ctrl+C from make) unwinds through `finally`, which stops every process it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="centric-faults-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "REPORTS_REQUEUE_QUEUED_AFTER_SECONDS": "20",
        "REPORTS_REQUEUE_RUNNING_AFTER_SECONDS": "30",
        "REPORTS_REQUEUE_EVERY_SECONDS": "5",
    }
    started = time.monotonic()
    processes: list[subprocess.Popen] = []
    summary: dict[str, object] = {"kills": 0, "worker_restarts": 0, "redis_restarts": 0}
    # A worker orphaned by an earlier run that died would take this run's tasks (same Redis port and database)
    # and write into that run's deleted folder.
    subprocess.run(["pkill", "-KILL", "-f", "hostname faults[0-9]+@"], check=False)
    try:
        start_redis(workdir)
        run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-qc",
                f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
                "-c",
                f"CREATE DATABASE {DATABASE}",
            ]
        )
        run([BIN / "python", "manage.py", "migrate", "--noinput", "-v0"], env=env)
        run([BIN / "python", "manage.py", "seed_demo"], env=env, stdout=subprocess.DEVNULL)
        workers = [start_worker(env, workdir, 1), start_worker(env, workdir, 2)]
        beat_log = open(workdir / "beat.log", "ab")  # noqa: SIM115
        beat = subprocess.Popen(
            [
                BIN / "celery",
                "-A",
                "config",
                "beat",
                "--scheduler",
                "celery.beat:PersistentScheduler",
                "--schedule",
                str(workdir / "beat-schedule"),
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=beat_log,
            stderr=beat_log,
            start_new_session=True,
        )
        processes = [*workers, beat]
        time.sleep(4)
        django(
            env, f"from bench.faults.django_side import request_team_scorecards; request_team_scorecards({PERIODS!r})"
        )
        redis_restart_at = args.kills // 2
        for kill in range(args.kills):
            time.sleep(rng.uniform(0.6, 2.0))
            index = rng.randrange(len(workers))
            children = pool_children(workers[index])
            killed_child = False
            if kill % 5 != 4 and children:
                try:
                    os.kill(rng.choice(children), signal.SIGKILL)  # one pool process, mid-task
                    killed_child = True
                except ProcessLookupError:  # it ended (or was replaced by the pool) since it was listed
                    pass
            if not killed_child:
                kill_group(workers[index])  # the whole worker and its pool: its reserved messages stay unacked
                workers[index] = start_worker(env, workdir, index + 1)
                processes.append(workers[index])  # `finally` stops it too, also when this loop fails
                summary["worker_restarts"] += 1
            summary["kills"] += 1
            if kill == redis_restart_at:
                stop_redis()
                start_redis(workdir)
                summary["redis_restarts"] += 1
        counts: dict[str, int] = {}
        while time.monotonic() - started < args.timeout:
            counts = status_counts(env)
            print(f"{time.monotonic() - started:5.0f}s {counts}", flush=True)
            if (
                counts.get("done", 0) + counts.get("failed", 0) >= 200
                and not counts.get("queued")
                and not counts.get("running")
            ):
                break
            time.sleep(5)
        files = list((workdir / "media" / "reports" / "team_scorecard").glob("*.pdf"))
        detail = json.loads(django(env, "from bench.faults.django_side import print_detail; print_detail()"))
        ok = (
            counts.get("done") == 200
            and detail["rows"] == 200
            and detail["distinct_requests"] == 200
            and len(files) == 200
            and len(set(detail["files"])) == 200
        )
        summary.update(
            {
                "statuses": counts,
                "rows": detail["rows"],
                "files_on_disk": len(files),
                "attempts": detail["total_attempts"],
                "max_attempts": detail["max_attempts"],
                "seconds": round(time.monotonic() - started, 1),
                "ok": ok,
            }
        )
    finally:
        for process in processes:
            kill_group(process)
        stop_redis()
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "faults.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary))
    sys.exit(0 if summary.get("ok") else 1)


if __name__ == "__main__":
    main()
