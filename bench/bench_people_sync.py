"""Benchmark: a people sync of a generated HR export (5,000 people by default), previewed and applied.

Run by `make bench BENCH=bench_people_sync` (bench/run.py) on a scratch PostgreSQL database;
`python -m bench.bench_people_sync` alone needs DATABASE_URL. BENCH_PEOPLE shrinks or grows the file.
Three files: the first sync (everyone joins; departments and teams are created), a month later (10 %
move, 2 % leave, 3 % join) and that second file again (nothing changes). Target: preview + apply of
the first file under 60 s.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
HEADER = "employee_id,name,email,department,team,role,manager_id,start_date,end_date,effective_date\n"
TODAY = dt.date(2026, 10, 15)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _team_of(n: int, teams: int) -> tuple[str, str]:
    team = n % teams
    return f"Company/Region {team % 5}/Department {team % 20}", f"Team {team}"


def write_file(path: Path, people: int, *, month: int) -> None:
    """month 0: everyone joins; month 1: every 10th moves, every 50th leaves, 3 % new people join."""
    teams = max(people // 20, 1)
    lines = [HEADER]
    total = people + (people * 3 // 100 if month else 0)
    for n in range(total):
        department, team = _team_of(n + 1 if month and n % 10 == 0 else n, teams)
        lead = n < teams
        manager = "" if lead else f"E{n % teams:06d}"
        end = "2026-10-10" if month and n % 50 == 7 else ""
        start = "2026-10-01" if n >= people else "2024-01-01"
        effective = "2026-10-01" if month else ""
        role = "lead" if lead else "member"
        cells = (f"E{n:06d}", f"Person {n}", f"person{n}@example.com", department, team, role, manager)
        lines.append(",".join((*cells, start, end, effective)) + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def _timed(path: Path, *, dry_run: bool):
    from culture.org.sync import sync_people_file

    started = time.perf_counter()
    with path.open("rb") as stream:
        result = sync_people_file(stream=stream, filename=path.name, actor=None, dry_run=dry_run, today=TODAY)
    elapsed = time.perf_counter() - started
    if not result.is_valid:
        raise SystemExit(f"{path.name}: {result.file_error or result.errors[:5]}")
    return round(elapsed, 2), result


def run(people: int, folder: Path) -> dict:
    first, second = folder / "people-0.csv", folder / "people-1.csv"
    write_file(first, people, month=0)
    write_file(second, people, month=1)
    figures: dict = {"people": people}
    figures["first_preview_s"], preview = _timed(first, dry_run=True)
    figures["first_apply_s"], applied = _timed(first, dry_run=False)
    figures["first_counts"] = applied.counts
    figures["first_total_s"] = round(figures["first_preview_s"] + figures["first_apply_s"], 2)
    figures["second_preview_s"], _ = _timed(second, dry_run=True)
    figures["second_apply_s"], changed = _timed(second, dry_run=False)
    figures["second_counts"] = changed.counts
    figures["repeat_apply_s"], repeat = _timed(second, dry_run=False)
    figures["repeat_is_empty"] = repeat.plan.is_empty
    assert preview.counts == applied.counts
    return figures


def main() -> None:
    setup_django()
    people = int(os.environ.get("BENCH_PEOPLE", 5000))
    with tempfile.TemporaryDirectory(prefix="bench-people-") as tmp:
        figures = run(people, Path(tmp))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_people_sync.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(
        f"people sync: {people:,} people; first file preview {figures['first_preview_s']} s + apply "
        f"{figures['first_apply_s']} s = {figures['first_total_s']} s (target < 60 s); month later preview "
        f"{figures['second_preview_s']} s, apply {figures['second_apply_s']} s {figures['second_counts']}; "
        f"same file again {figures['repeat_apply_s']} s (no change: {figures['repeat_is_empty']})"
    )


if __name__ == "__main__":
    main()
