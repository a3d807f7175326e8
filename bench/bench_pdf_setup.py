"""Shared set-up of the PDF benches: Django on a scratch database with a seeded company, and result files.

`main()` only prepares the database (so a `make bench` that runs every `bench/bench_*.py` is harmless).
The database is SQLite under /tmp/reports-bench unless REPORTS_BENCH_DATABASE_URL says otherwise.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = Path(os.environ.get("REPORTS_BENCH_DIR", "/tmp/reports-bench"))  # noqa: S108 - a scratch path, not a secret
TEAMS = 40
PERIOD = "2026-09"


def setup_django(*, broker: str | None = None) -> None:
    """Configure Django for a bench process (and, with `broker`, a real Celery broker instead of eager tasks)."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = os.environ.get("REPORTS_BENCH_DATABASE_URL", f"sqlite:///{SCRATCH / 'bench.sqlite3'}")
    os.environ["DJANGO_MEDIA_ROOT"] = str(SCRATCH / "media")
    if broker:
        os.environ["CELERY_BROKER_URL"] = broker
        os.environ["CELERY_RESULT_BACKEND"] = broker.rsplit("/", 1)[0] + "/12"
    import django

    django.setup()


def ensure_data() -> None:
    """Migrate and seed 40 teams in 8 departments with 13 months of every standard KPI (once)."""
    from decimal import Decimal

    from django.core.management import call_command

    from culture.models import Department, Membership, Person, Team
    from reports.models import ValueModel
    from reports.services import save_value_model
    from tests.reports.sample import month_codes, seed_measurements, seed_review, seed_targets

    call_command("migrate", verbosity=0)
    if Team.objects.exists():
        return
    teams = []
    for d in range(8):
        department = Department.objects.create(name=f"Department {d + 1}", slug=f"department-{d + 1}")
        for t in range(5):
            teams.append(
                Team.objects.create(name=f"Team {d + 1}.{t + 1}", slug=f"team-{d + 1}-{t + 1}", department=department)
            )
    seed_measurements(teams, last_month=PERIOD, months=13)
    for code in month_codes(PERIOD, 13):
        seed_targets(code)
    from culture.models import Period

    period = Period.objects.get(code=PERIOD)
    for index, team in enumerate(teams):
        person = Person.objects.create(
            name=f"Lead {index}", email=f"lead{index}@bench.invalid", employee_number=f"B{index}"
        )
        Membership.objects.create(person=person, team=team, role=Membership.Role.LEAD, start=period.start)
        if index % 4 == 0:
            seed_review(team, period, person, kpi_code="nps")
    if not ValueModel.objects.exists():
        save_value_model(
            period_code=PERIOD,
            values={
                "currency": "EUR",
                "customers": 120000,
                "revenue_per_customer": Decimal("640.00"),
                "cost_per_assisted_contact": Decimal("6.80"),
                "cost_per_self_service_contact": Decimal("0.90"),
            },
            actor=None,
        )


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of `repeat` calls after one warm-up call."""
    return interleaved({"f": function}, repeat)["f"]["wall"]


def interleaved(functions: dict[str, Callable[[], object]], repeat: int) -> dict[str, dict[str, list[float]]]:
    """Wall and CPU seconds of each function, called in turn `repeat` times after one warm-up call each.

    Taking turns spreads load from other processes on a shared machine over every contender alike; the
    process CPU time is what the code costs on one core, whatever else the machine is doing.
    """
    for function in functions.values():
        function()
    result: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            result[name]["cpu"].append(time.process_time() - cpu)
            result[name]["wall"].append(time.perf_counter() - wall)
    return result


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "bench": name,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        **result,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    return path


def main() -> None:
    setup_django()
    ensure_data()
    print(f"bench_pdf_setup: database ready under {SCRATCH}")


if __name__ == "__main__":
    main()
