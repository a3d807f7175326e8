"""Benchmark: importing a measurement CSV (read, validate, write) versus a plain COPY of the same rows.

Run by `make bench` (bench/run.py) on a scratch PostgreSQL database; `python -m bench.bench_imports`
alone needs DATABASE_URL. BENCH_TEAMS / BENCH_KPIS / BENCH_DAYS shrink the shape for a quick look;
BENCH_REPEAT (default 2) times each path that often, alternately, and keeps the best.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
import time
from pathlib import Path

from bench.datagen import BenchShape, iter_measurement_rows, kpi_code, team_slug

RESULTS = Path(__file__).resolve().parent / "results"
BASELINE_TABLE = "bench_measurement_baseline"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_reference_data(shape: BenchShape) -> tuple[dict[str, int], dict[str, int]]:
    """The bench teams and KPIs (even-numbered KPIs are ratios), created once; their ids by slug and code."""
    from culture.models import Department, Kpi, Team

    department, _ = Department.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    Team.objects.bulk_create(
        [Team(name=team_slug(i), slug=team_slug(i), department=department) for i in range(shape.teams)],
        ignore_conflicts=True,
    )
    Kpi.objects.bulk_create(
        [
            Kpi(
                code=kpi_code(i),
                name=kpi_code(i),
                definition="bench",
                category="efficiency",
                unit="percent",
                aggregation="ratio" if i % 2 == 0 else "mean",
                scale=100 if i % 2 == 0 else 1,
            )
            for i in range(shape.kpis)
        ],
        ignore_conflicts=True,
    )
    teams = dict(Team.objects.filter(slug__startswith="bench-team-").values_list("slug", "pk"))
    kpis = dict(Kpi.objects.filter(code__startswith="bench_kpi_").values_list("code", "pk"))
    return teams, kpis


def write_files(shape: BenchShape, workdir: Path, teams: dict[str, int], kpis: dict[str, int]) -> tuple[Path, Path]:
    """The import CSV (slugs and codes) and the baseline's tab-separated file (ids), of the same rows."""
    import_csv = workdir / "measurements.csv"
    baseline_tsv = workdir / "baseline.tsv"
    with import_csv.open("w", newline="") as out, baseline_tsv.open("w") as base:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["team", "kpi", "date", "channel", "value", "numerator", "denominator", "sample_size"])
        for row in iter_measurement_rows(shape):
            writer.writerow(row)
            team, kpi, date, channel, *numbers = row
            cells = [str(teams[team]), str(kpis[kpi]), date, channel, *(n or "\\N" for n in numbers)]
            base.write("\t".join(cells) + "\n")
    return import_csv, baseline_tsv


def time_baseline(baseline_tsv: Path, *, with_foreign_keys: bool = True, with_batch: bool = True) -> float:
    """A plain psycopg COPY of the file into a table shaped like culture_measurement (same indexes, checks, FKs).

    `with_batch` stores the rows as the import does, each with its import batch (a third key checked per row);
    without it the batch is empty, as the baseline was until session 7 (two keys checked)."""
    from django.db import connection, transaction

    from culture.models import ImportBatch

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} (LIKE culture_measurement INCLUDING ALL)")
        cursor.execute(f"ALTER TABLE {BASELINE_TABLE} ALTER COLUMN source SET DEFAULT 'command'")
        cursor.execute(f"ALTER TABLE {BASELINE_TABLE} ALTER COLUMN updated_at SET DEFAULT now()")
        if with_batch:
            batch = ImportBatch.objects.create(kind="measurements", source="command", checksum="baseline")
            cursor.execute(f"ALTER TABLE {BASELINE_TABLE} ALTER COLUMN batch_id SET DEFAULT {int(batch.pk)}")
        if with_foreign_keys:  # LIKE copies indexes and checks; the foreign keys make it the same table
            for column, target in (
                ("team_id", "culture_team"),
                ("kpi_id", "culture_kpi"),
                ("batch_id", "culture_importbatch"),
            ):
                cursor.execute(
                    f"ALTER TABLE {BASELINE_TABLE} ADD FOREIGN KEY ({column}) REFERENCES {target} (id) "
                    "DEFERRABLE INITIALLY DEFERRED"
                )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        copy_sql = (
            f"COPY {BASELINE_TABLE} (team_id, kpi_id, date, channel, value, numerator, denominator, sample_size) "
            "FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy, baseline_tsv.open("rb") as source:
            while block := source.read(1 << 20):
                copy.write(block)
    elapsed = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # inside a test's transaction the checks are still pending
        cursor.execute(f"DROP TABLE {BASELINE_TABLE}")
    return elapsed


def time_import(import_csv: Path, rows: int) -> tuple[float, object]:
    """Our path: file on disk -> read -> validated -> COPY to staging -> INSERT (... ON CONFLICT) -> rollups."""
    from culture.measurements import Limits, import_measurements
    from culture.measurements.filelocale import LocaleChoice
    from culture.measurements.wizard import ImportOptions

    limits = Limits(max_bytes=1 << 40, max_rows=rows + 1)
    # The bench file is machine-written (decimal dot, ISO dates): say so, as a command's --decimal would, so
    # a file whose values all look like "1.290" is not held for the user's choice.
    options = ImportOptions(choice=LocaleChoice(decimal=".", date_order="ymd", encoding="utf-8"))
    started = time.perf_counter()
    with import_csv.open("rb") as stream:
        result = import_measurements(
            stream=stream, filename=import_csv.name, user=None, source="command", limits=limits, options=options
        )
    elapsed = time.perf_counter() - started
    if not result.is_valid:
        raise SystemExit(f"bench import failed: {result.file_error or result.errors[:5]}")
    return elapsed, result


def _empty_measurements() -> None:
    from django.db import connection

    from culture.models import Measurement, MonthlyRollup

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the rollups too: the next import adds to what it finds there
            cursor.execute(f"TRUNCATE {Measurement._meta.db_table}, {MonthlyRollup._meta.db_table}")
    else:
        Measurement.objects.all().delete()
        MonthlyRollup.objects.all().delete()


def run(shape: BenchShape, workdir: Path, *, baseline: bool = True, repeat: int = 1) -> dict[str, object]:
    """Time both paths on an empty measurement table (alternately, `repeat` times; the best of each counts,
    as other work on a shared machine only ever adds time), then a re-import where every row is unchanged."""
    teams, kpis = create_reference_data(shape)
    import_csv, baseline_tsv = write_files(shape, workdir, teams, kpis)
    figures: dict[str, object] = {"rows": shape.rows, "file_bytes": import_csv.stat().st_size, "repeat": repeat}
    samples: dict[str, list[float]] = {
        "baseline_copy_s": [],
        "baseline_copy_without_batch_s": [],
        "baseline_copy_without_fks_s": [],
        "import_s": [],
    }
    for _ in range(repeat):
        if baseline:
            samples["baseline_copy_s"].append(round(time_baseline(baseline_tsv), 3))
            samples["baseline_copy_without_batch_s"].append(round(time_baseline(baseline_tsv, with_batch=False), 3))
            samples["baseline_copy_without_fks_s"].append(
                round(time_baseline(baseline_tsv, with_foreign_keys=False), 3)
            )
        _empty_measurements()
        elapsed, result = time_import(import_csv, shape.rows)
        samples["import_s"].append(round(elapsed, 3))
        figures["import_counts"] = result.counts.__dict__
    for name, values in samples.items():
        if values:
            figures[name] = min(values)
            figures[f"{name}_samples"] = values
    elapsed, result = time_import(import_csv, shape.rows)
    figures["reimport_s"] = round(elapsed, 3)
    figures["reimport_counts"] = result.counts.__dict__
    if baseline:
        figures["ratio"] = round(figures["import_s"] / figures["baseline_copy_s"], 2)
        without_batch = figures["baseline_copy_without_batch_s"]
        figures["ratio_to_copy_without_batch"] = round(figures["import_s"] / without_batch, 2)
    return figures


def main() -> None:
    setup_django()
    shape = BenchShape(
        teams=int(os.environ.get("BENCH_TEAMS", 500)),
        kpis=int(os.environ.get("BENCH_KPIS", 20)),
        days=int(os.environ.get("BENCH_DAYS", 365)),
    )
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as tmp:
        figures = run(shape, Path(tmp), repeat=int(os.environ.get("BENCH_REPEAT", 2)))
    figures["shape"] = f"{shape.teams} teams x {shape.kpis} KPIs x {shape.days} days"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_imports.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(
        f"imports: {figures['rows']:,} rows; import {figures['import_s']} s, plain COPY {figures['baseline_copy_s']} s "
        f"(ratio {figures['ratio']}x, target <= 1.2x; against a COPY whose rows carry no import batch "
        f"{figures['baseline_copy_without_batch_s']} s, {figures['ratio_to_copy_without_batch']}x; "
        f"COPY without foreign keys {figures['baseline_copy_without_fks_s']} s); "
        f"re-import (unchanged) {figures['reimport_s']} s"
    )


if __name__ == "__main__":
    main()
