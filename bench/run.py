"""Run every `bench/bench_*.py` (each a script with `main()`) against a fresh scratch PostgreSQL database.

`make bench` calls this. The scratch database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/centric_bench) is dropped and created again before each benchmark,
so they do not see each other's rows. Each benchmark prints a result line and writes JSON to bench/results/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/centric_bench"


def recreate_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"refusing odd database name {name!r}")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    only = sys.argv[1:]
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    failures = 0
    for script in scripts:
        if only and script.stem not in only:
            continue
        recreate_database(url)
        print(f"== {script.stem}", flush=True)
        started = time.perf_counter()
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false"}
        done = subprocess.run([sys.executable, "-m", f"bench.{script.stem}"], env=env, cwd=BENCH_DIR.parent)
        failures += done.returncode != 0
        print(f"   ({time.perf_counter() - started:.1f} s in all)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
