"""Find the highest request rate at which the main pages keep p95 <= 300 ms with zero errors.

Starts gunicorn on 127.0.0.1 against a PostgreSQL database seeded with a company, then runs locust headless at
rising rates for a fixed time each; stops at the first rate that breaks the bound. Loopback only; every step is
bounded in time. Writes bench/results/load.json (demo) or bench/results/load-bench500.json.

    .venv/bin/python bench/load/run_load.py [--company demo|bench500] [--database NAME]
        [--rates 2,5,10,15] [--seconds 40] [--workers 3]

`--company demo` (the default) seeds the 40-team demo company into `centric_load`; `--company bench500` loads
the 500-team x 20 KPI x 365-day bench company with leads and logins (`bench/load/company500.py`) into
`centric_load_bench500`, once: a loaded database is marked and reused.

Every gunicorn worker is warmed first (each page several times), so the steps measure browsing, not the
first request's template compilation. Exits 1 only when not even the lowest rate keeps the bound.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
P95_LIMIT_MS = 300
HOST = "127.0.0.1"
PORT = 8811


def _env(database: str, company: str) -> dict[str, str]:
    return {
        **os.environ,
        "LOAD_COMPANY": company,  # read by the locustfile
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "CONN_MAX_AGE": "60",
        "CENTRIC_REQUIRE_MFA": "false",
        # The cache production runs on (scorecards are remembered there); a database of its own.
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/5"),
        # Every simulated user logs in from 127.0.0.1; real users come from many addresses.
        "CENTRIC_LOGIN_RATE_LIMIT": "10000/m/ip",
    }


COMPANIES = ("demo", "bench500")
DEFAULT_DATABASES = {"demo": "centric_load", "bench500": "centric_load_bench500"}


def _prepare_database(env: dict[str, str], database: str, company: str) -> None:
    if company == "bench500":
        # Creates, migrates, loads (once) and marks the database; minutes the first time, seconds after.
        subprocess.run(
            [BIN / "python", ROOT / "bench" / "load" / "company500.py", "--database", database],
            cwd=ROOT,
            env=env,
            check=True,
        )
        return
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=True)
    subprocess.run([BIN / "python", "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [BIN / "python", "manage.py", "seed_demo", "--if-empty"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _wait_for_server(url: str, seconds: float = 120) -> None:
    # A worker's first request imports and compiles for seconds on a busy machine: wait for it, not past it.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer at {url}")


def _run_step(env: dict[str, str], rate: int, seconds: int, prefix: Path) -> dict[str, object]:
    command = [
        BIN / "locust",
        "-f",
        ROOT / "bench" / "load" / "locustfile.py",
        "--headless",
        "--host",
        f"http://{HOST}:{PORT}",
        "--users",
        str(rate),
        "--spawn-rate",
        str(max(rate / 5, 1)),
        "--run-time",
        f"{seconds + 5}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "5",
        # Statistics restart once every user has spawned: the logins' password hashing is not browsing.
        "--reset-stats",
    ]
    subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 65,
    )
    pages = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            pages[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p95_ms": float(row["95%"] or 0),
                "rps": float(row["Requests/s"]),
            }
    total = pages.pop("Aggregated")
    browsing = {name: stats for name, stats in pages.items() if not name.startswith("login")}
    worst = max(browsing.values(), key=lambda stats: stats["p95_ms"])
    return {
        "offered_rate": rate,
        "achieved_rps": total["rps"],
        "requests": total["requests"],
        "failures": total["failures"],
        "worst_page_p95_ms": worst["p95_ms"],
        "pages": pages,
        "ok": total["failures"] == 0 and all(stats["p95_ms"] <= P95_LIMIT_MS for stats in browsing.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rates", default="2,5,8,12,16,18,20,25,30")
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--warmup-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--company", choices=COMPANIES, default="demo")
    parser.add_argument("--database", help="default: centric_load (demo), centric_load_bench500 (bench500)")
    args = parser.parse_args()
    database = args.database or DEFAULT_DATABASES[args.company]
    # A TERM unwinds through `finally`, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env = _env(database, args.company)
    _prepare_database(env, database, args.company)
    load_before = os.getloadavg()
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "config.wsgi",
            "--bind",
            f"{HOST}:{PORT}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    steps = []
    try:
        _wait_for_server(f"http://{HOST}:{PORT}/accounts/login/")
        RESULTS.mkdir(parents=True, exist_ok=True)
        # An unrecorded run warms every worker's connections and template caches: about ten requests per page.
        _run_step(env, 6, args.warmup_seconds, RESULTS / "load-warmup")
        for rate in (int(r) for r in args.rates.split(",")):
            step = _run_step(env, rate, args.seconds, RESULTS / f"load-{rate}")
            steps.append(step)
            verdict = "ok" if step["ok"] else "over the bound"
            print(
                f"rate {rate:>3}/s: {step['achieved_rps']:.1f} req/s, worst page p95 "
                f"{step['worst_page_p95_ms']:.0f} ms, failures {step['failures']} -> {verdict}"
            )
            pages = sorted(step["pages"].items(), key=lambda item: -item[1]["p95_ms"])
            print("          p95 ms: " + ", ".join(f"{name} {stats['p95_ms']:.0f}" for name, stats in pages))
            if not step["ok"]:
                break
    finally:
        server.terminate()
        server.wait(timeout=30)
        for leftover in RESULTS.glob("load-*_*.csv"):
            leftover.unlink()
    passing = [step["offered_rate"] for step in steps if step["ok"]]
    summary = {
        "company": args.company,
        "database": database,
        "p95_limit_ms": P95_LIMIT_MS,
        "max_rate_within_bound": max(passing) if passing else 0,
        "steps": steps,
        "workers": args.workers,
        "cores": os.cpu_count(),
        "seconds_per_step": args.seconds,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }
    result_file = RESULTS / ("load.json" if args.company == "demo" else f"load-{args.company}.json")
    result_file.write_text(json.dumps(summary, indent=2))
    print(f"highest rate with p95 <= {P95_LIMIT_MS} ms and no errors: {summary['max_rate_within_bound']} req/s")
    sys.exit(0 if passing else 1)


if __name__ == "__main__":
    main()
