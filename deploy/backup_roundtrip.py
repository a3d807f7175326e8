"""`make backup-check`: back up a small company and restore it elsewhere; fail on any difference.

Production settings on a scratch PostgreSQL database with moto's S3 server as the storage: migrate, seed
a small company, close a period (scorecard snapshots), build a board report (a file in the bucket), then
`deploy.backup backup`. The backup is restored into a second scratch database with a local media folder
as the storage (so both storage backends are exercised), and the two sides are compared: row counts per
table, every snapshot's checksum (and each one recomputed from its restored payload), and the hash of
every report file. Scratch databases are dropped at the end. Exit 1 on a difference or past the budget.

    .venv/bin/python -m deploy.backup_roundtrip [--budget 120]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy.stack import PG, ROOT, Stack, drop_database, manage, production_env, recreate_database, s3_client

SOURCE, TARGET = "centric_backup_source", "centric_backup_target"
BUCKET = "centric-backup"
REDIS_DB = 10

PREPARE = """
import datetime as dt
from django.utils import timezone
from culture.scorecards.services import close_period
from reports.services import request_report, run_report
from users.models import User
code = (timezone.now().date().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
close_period(code=code, actor=None, reason="backup round trip")
user = User.objects.get(email="cco@centric.demo")
report = request_report(kind="board_report", parameters={"period": code}, user=user, enqueue=lambda pk: None)
report = run_report(report_id=report.pk, task_id="backup-roundtrip")
assert report.status == "done", report.error
"""

# The facts compared across the round trip, printed as one JSON line by either side.
FACTS = """
import hashlib, json
from django.core.files.storage import default_storage
from culture.models import ScorecardSnapshot
from culture.scorecards.services import payload_checksum
from reports.models import GeneratedReport
snapshots = {
    str(s.pk): [s.checksum, payload_checksum(s.payload)] for s in ScorecardSnapshot.objects.order_by("pk")
}
reports = {}
for report in GeneratedReport.objects.filter(status="done").order_by("pk"):
    with default_storage.open(report.file.name, "rb") as stream:
        reports[report.file.name] = [report.checksum, hashlib.sha256(stream.read()).hexdigest()]
print("FACTS " + json.dumps({"snapshots": snapshots, "reports": reports}, sort_keys=True))
"""


def facts(env: dict[str, str]) -> dict:
    output = manage(env, "shell", "-c", FACTS)
    return json.loads(next(line for line in output.splitlines() if line.startswith("FACTS "))[6:])


def compare(source: dict, restored: dict) -> list[str]:
    problems: list[str] = []
    if not source["snapshots"]:
        problems.append("no scorecard snapshots to compare: closing the period made none")
    if not source["reports"]:
        problems.append("no report files to compare")
    for kind in ("snapshots", "reports"):
        for key, (stored, computed) in source[kind].items():
            if stored != computed:
                problems.append(f"source {kind[:-1]} {key}: stored checksum {stored}, content {computed}")
        for key in source[kind].keys() | restored[kind].keys():
            if source[kind].get(key) != restored[kind].get(key):
                problems.append(f"{kind[:-1]} {key}: {source[kind].get(key)} before, {restored[kind].get(key)} after")
    return problems


def step(name: str, started: float) -> None:
    print(f"  {time.monotonic() - started:6.1f}s  {name}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=float, default=120.0, help="seconds for the whole run")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="centric-backup-") as workdir:
        stack = Stack(Path(workdir))
        try:
            endpoint = stack.start_moto()
            s3_client(endpoint).create_bucket(Bucket=BUCKET)
            source_env = production_env(
                database=SOURCE, redis_db=REDIS_DB, s3_endpoint=endpoint, bucket=BUCKET, host="127.0.0.1"
            )
            target_env = {
                **production_env(database=TARGET, redis_db=REDIS_DB, s3_endpoint=endpoint, bucket=BUCKET, host="x"),
                "CENTRIC_STORAGE": "local",
                "DJANGO_MEDIA_ROOT": str(Path(workdir) / "restored-media"),
            }
            recreate_database(SOURCE)
            recreate_database(TARGET)
            manage(source_env, "migrate", "--noinput", "-v0")
            step("migrated", started)
            manage(source_env, "seed_demo", "--teams", "4", "--people-per-team", "5", "--months", "3", "-v0")
            step("seeded 4 teams of 5 people, 3 months", started)
            manage(source_env, "shell", "-c", PREPARE)
            step("closed last month and built its board report (stored in S3)", started)
            before = facts(source_env)
            backup_dir = Path(workdir) / "backup"
            run([sys.executable, "-m", "deploy.backup", "backup", "--dir", str(backup_dir)], source_env)
            step("backed up", started)
            refused = subprocess.run(
                [sys.executable, "-m", "deploy.backup", "restore", str(backup_dir), "--database-url", f"{PG}/{SOURCE}"],
                cwd=ROOT,
                env=target_env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            problems = [] if refused.returncode == 1 else ["restore into a non-empty database was not refused"]
            run(
                [sys.executable, "-m", "deploy.backup", "restore", str(backup_dir), "--database-url", f"{PG}/{TARGET}"],
                target_env,
            )
            step("restored into a second database and a local media folder", started)
            problems += compare(before, facts(target_env))
        finally:
            stack.stop()
            drop_database(SOURCE)
            drop_database(TARGET)
    elapsed = time.monotonic() - started
    for problem in problems:
        print(f"mismatch: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(
        f"backup round trip passed in {elapsed:.1f}s: {len(before['snapshots'])} snapshot checksums and "
        f"{len(before['reports'])} report files identical, row counts per table equal (budget {args.budget:.0f}s)"
    )
    return 0 if elapsed <= args.budget else 1


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    print(result.stdout, end="")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:4])} failed ({result.returncode}):\n{result.stderr[-4000:]}")


if __name__ == "__main__":
    sys.exit(main())
