"""Import services: the only code that writes measurements (survey responses: `responses`, which shares
the steps below: open the file, validate every row, write in one batch, count).

Every import validates the whole input first; if any row is bad nothing is written and every bad row is
reported. Otherwise everything is written in one transaction, with an ImportBatch recording who sent
what and what it changed. Re-sending the same data changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ..models import ImportBatch, Kpi, Period, Team
from .changes import Change, ChangeCollector
from .filelocale import FileLocale
from .mapping import normalized_rows
from .reading import FileProblem, Limits, sha256_of
from .rules import (
    MEASUREMENT_COLUMNS,
    MEASUREMENT_REQUIRED,
    ImportContext,
    KpiRule,
    MeasurementRow,
    MeasurementValidator,
    RowError,
)
from .wizard import ImportOptions, company_zone, load_team_lookup, prepare
from .writing import WriteCounts, open_sink

PREVIEW_ROWS = 20
PROGRESS_ROWS = 5000
# SQLite keeps a decimal as a float, exact to 15 significant digits; Django's reader fails on some it rounded.
SQLITE_DECIMAL_DIGITS = 15

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What an import found and did. `is_valid` False means nothing was written."""

    kind: str
    filename: str = ""
    checksum: str = ""
    dry_run: bool = False
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    row_count: int = 0
    counts: WriteCounts | None = None
    measurement_counts: WriteCounts | None = None
    batch_id: int | None = None
    header: list[str] = field(default_factory=list)
    preview: list[tuple[int, Sequence[str]]] = field(default_factory=list)
    # The wizard's findings: the locale read with (chosen or proposed), the evidence, what is undecided.
    locale: FileLocale | None = None
    evidence: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    preset: str = ""
    file_header: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)  # a dry run's old -> new figures (up to the error cap)
    options: ImportOptions | None = None

    @property
    def is_valid(self) -> bool:
        return not self.file_error and self.error_count == 0

    @property
    def hidden_error_count(self) -> int:
        return self.error_count - len(self.errors)


def default_limits() -> Limits:
    return Limits(
        max_bytes=settings.CENTRIC_IMPORT_MAX_BYTES,
        max_rows=settings.CENTRIC_IMPORT_MAX_ROWS,
        max_xlsx_uncompressed=settings.CENTRIC_IMPORT_MAX_XLSX_UNCOMPRESSED,
        max_xlsx_shared_strings=settings.CENTRIC_IMPORT_MAX_XLSX_SHARED_STRINGS,
        max_xlsx_shared_strings_bytes=settings.CENTRIC_IMPORT_MAX_XLSX_SHARED_STRINGS_BYTES,
        max_xlsx_cells=settings.CENTRIC_IMPORT_MAX_XLSX_CELLS,
        max_columns=settings.CENTRIC_IMPORT_MAX_COLUMNS,
    )


def _bounds(aggregation: str, unit: str, survey: str) -> str:
    """Which numerators a ratio KPI can have: percent ratios are shares, NPS is a signed share."""
    if aggregation != Kpi.Aggregation.RATIO:
        return ""
    if survey == Kpi.Survey.NPS:
        return "signed"
    return "share" if unit == Kpi.Unit.PERCENT else ""


def load_context(user) -> ImportContext:
    """Teams by slug, KPIs by code, the teams `user` may edit (None: all) and closed periods' dates.

    `user` None means the command line run by an operator: every team.
    """
    teams = dict(Team.objects.values_list("slug", "pk"))
    kpis = {
        code: KpiRule(pk, aggregation, _bounds(aggregation, unit, survey))
        for code, pk, aggregation, unit, survey in Kpi.objects.values_list(
            "code", "pk", "aggregation", "unit", "survey"
        )
    }
    survey_kpis = dict(Kpi.objects.exclude(survey="").values_list("survey", "pk"))
    editable = None
    if user is not None and not user.is_executive:
        editable = frozenset(Team.objects.led_by(user).values_list("pk", flat=True))
    closed = tuple(Period.objects.closed().order_by("start").values_list("start", "end"))
    return ImportContext(
        teams=teams,
        kpis=kpis,
        editable_team_ids=editable,
        closed_ranges=closed,
        survey_kpis=survey_kpis,
        max_significant_digits=SQLITE_DECIMAL_DIGITS if connection.vendor == "sqlite" else None,
    )


def _closed_since_validation(days: Iterable[dt.date]) -> list[str]:
    """Lock the periods over the file's days and name any that closed while we were validating."""
    days = sorted(days)
    if not days:
        return []
    periods = Period.objects.select_for_update().filter(start__lte=days[-1], end__gte=days[0]).order_by("pk")
    closed = [p for p in periods if p.is_closed]
    return [p.code for p in closed if any(p.start <= day <= p.end for day in days)]


def finish(result: ImportResult, validator) -> ImportResult:
    result.errors = sorted(validator.errors)
    result.error_count = validator.error_count
    result.row_count = validator.rows_seen
    return result


def _no_rows(result: ImportResult) -> ImportResult:
    result.file_error = "The file has a header but no data rows."
    return result


def check_before_write(result: ImportResult, validator, sink=None) -> bool:
    """Last checks inside the transaction; False (with the reason in the result) means: write nothing."""
    if validator.rows_seen == 0 and validator.error_count == 0:
        _no_rows(result)
        return False
    if not validator.is_valid:
        return False
    if sink is not None:
        for team_id, kpi_id, day, channel in sink.channel_clashes():
            stored = "specific channels" if channel == "all" else "channel all"
            row = validator.row_of((team_id, kpi_id, day, channel))
            validator.add_error(
                row, "channel", channel, f"the database already holds {stored} for this day: both would count"
            )
        if not validator.is_valid:
            finish(result, validator)
            return False
    frozen = _closed_since_validation(validator.validated_days())
    if frozen:
        result.file_error = f"Period(s) {', '.join(frozen)} closed while the file was being checked; nothing written."
        return False
    return True


def open_import_file(stream, filename, kind, columns, required, dry_run, limits, options=None):
    """The result to fill and the opened table (encoding, columns, locale and values mapped by the wizard),
    or the result with its file error and no table."""
    result = ImportResult(kind=kind, filename=filename, dry_run=dry_run)
    result.checksum = sha256_of(stream)
    prepared = prepare(
        stream, kind=kind, columns=columns, required=required, limits=limits or default_limits(), options=options
    )
    result.preset = prepared.options.preset
    result.options = prepared.options
    result.file_header = prepared.header
    if prepared.proposal is not None:
        result.locale = prepared.proposal.locale
        result.evidence = list(prepared.proposal.evidence)
        result.undecided = list(prepared.proposal.undecided)
    if prepared.table is None:
        result.file_error = prepared.problem
        return result, None
    result.header = list(columns)
    return result, prepared.table


def import_measurements(
    *,
    stream: IO[bytes],
    filename: str,
    user,
    source: str,
    dry_run: bool = False,
    limits: Limits | None = None,
    options: ImportOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate a measurement CSV/XLSX; if every row is good, upsert all of it (unless `dry_run`).

    `progress` (a job's) is called with the rows checked so far, every PROGRESS_ROWS rows."""
    result, table = open_import_file(
        stream,
        filename,
        ImportBatch.Kind.MEASUREMENTS,
        MEASUREMENT_COLUMNS,
        MEASUREMENT_REQUIRED,
        dry_run,
        limits,
        options,
    )
    if table is None:
        return result
    with transaction.atomic():
        validator = MeasurementValidator(load_context(user), max_errors=settings.CENTRIC_IMPORT_MAX_ERRORS)
        batch = None if dry_run else new_batch(result, user=user, source=source)
        with open_sink(
            source=source, batch_id=batch.pk if batch else None, dry_run=dry_run, clash_limit=validator.max_errors
        ) as sink:
            try:
                collector = (
                    ChangeCollector(limit=validator.max_errors, flush_while_adding=connection.vendor != "postgresql")
                    if dry_run
                    else None
                )
                _feed_measurements(with_progress(table.rows, progress), validator, sink, result.preview, collector)
                sink.finish_input()  # ends the COPY: the collector may read the stored rows now
                if collector is not None and validator.is_valid:
                    result.changes = list(collector.finish())
            except FileProblem as problem:
                result.file_error = str(problem)
                transaction.set_rollback(True)
                return finish(result, validator)
            finish(result, validator)
            if not check_before_write(result, validator, sink):
                transaction.set_rollback(True)
                return result
            result.counts = sink.merge()
        close_batch(batch, result)
        result.batch_id = batch.pk if batch else None
        if dry_run:
            transaction.set_rollback(True)
    return result


def with_progress(rows: Iterable, progress: Callable[[int], None] | None) -> Iterable:
    """The rows, reporting every PROGRESS_ROWS of them to `progress` (if any) as they pass."""
    if progress is None:
        return rows

    def counted():
        for count, row in enumerate(rows, start=1):
            if count % PROGRESS_ROWS == 0:
                progress(count)
            yield row

    return counted()


def _feed_measurements(rows, validator: MeasurementValidator, sink, preview: list, collector=None) -> None:
    """The hot loop: validate each row and, while the file is still clean, stream it to the sink."""
    check = validator.check
    add = sink.add
    for number, cells in rows:
        if len(preview) < PREVIEW_ROWS:
            preview.append((number, cells if not isinstance(cells, RowError) else (cells.value,)))
        if isinstance(cells, RowError):
            validator.rows_seen += 1
            validator.bad_rows += 1
            validator.add_error(cells.row, cells.column, cells.value, cells.reason)
            continue
        row = check(number, cells)
        if row is not None and validator.error_count == 0:
            add(row)
            if collector is not None:
                collector.add(number, row)


def new_batch(result: ImportResult, *, user, source: str) -> ImportBatch:
    """The batch row comes first (rows point at it); `_close_batch` fills in the counts."""
    return ImportBatch.objects.create(
        kind=result.kind,
        source=source,
        uploaded_by=user,
        filename=result.filename[:255],
        checksum=result.checksum,
        row_count=result.row_count,
    )


def close_batch(batch: ImportBatch | None, result: ImportResult) -> None:
    counts = result.counts
    if batch is None or counts is None:
        return
    batch.row_count = result.row_count
    batch.created_count, batch.updated_count, batch.unchanged_count = counts.created, counts.updated, counts.unchanged
    batch.save(update_fields=["row_count", "created_count", "updated_count", "unchanged_count"])
    logger.info(
        "import %s written: %d rows (%d created, %d updated, %d unchanged)",
        batch.pk,
        result.row_count,
        counts.created,
        counts.updated,
        counts.unchanged,
        extra={"event": "import.written", "batch_id": batch.pk, "rows": result.row_count},
    )


# --- API rows ------------------------------------------------------------------------------------------


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | dict | list):
        return f"<{type(value).__name__}>"
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def _api_cells(rows: Sequence[Any]) -> Iterator[tuple[int, Sequence[str] | RowError]]:
    for number, item in enumerate(rows, start=1):
        if not isinstance(item, Mapping):
            yield number, RowError(number, "(row)", _json_cell(item), "each row must be an object")
            continue
        unknown = sorted(set(item) - set(MEASUREMENT_COLUMNS))
        if unknown:
            yield number, RowError(number, unknown[0], _json_cell(item[unknown[0]]), "unknown field")
            continue
        yield number, tuple(_json_cell(item.get(name)) for name in MEASUREMENT_COLUMNS)


def api_rows(rows: Sequence[Any]) -> Iterator[tuple[int, Sequence[str] | RowError]]:
    """API rows as cells, values mapped like a file's (team names, codes, channels, datetimes); numbers
    are read in the machine form only (a dot for decimals, no grouping), as JSON has no locale."""
    return normalized_rows(
        _api_cells(rows),
        columns=MEASUREMENT_COLUMNS,
        locale=FileLocale(),
        zone=company_zone(),
        teams=load_team_lookup(),
    )


def upsert_measurements(
    *, rows: Sequence[Mapping[str, Any]], user, source: str = ImportBatch.Source.API, dry_run: bool = False
) -> ImportResult:
    """The API's bulk upsert: the same rules as a file; `row` in errors is the 1-based position in the list."""
    body = json.dumps(list(rows), sort_keys=True, default=str).encode()
    result = ImportResult(
        kind=ImportBatch.Kind.MEASUREMENTS, filename="api", checksum=hashlib.sha256(body).hexdigest(), dry_run=dry_run
    )
    if len(rows) > settings.CENTRIC_IMPORT_MAX_ROWS:
        result.file_error = f"At most {settings.CENTRIC_IMPORT_MAX_ROWS:,} rows per request."
        return result
    with transaction.atomic():
        validator = MeasurementValidator(load_context(user), max_errors=settings.CENTRIC_IMPORT_MAX_ERRORS)
        batch = None if dry_run else new_batch(result, user=user, source=source)
        # The team lookup queries the database: it runs before the sink opens PostgreSQL's COPY, which holds
        # the connection until it ends (a query inside it waits for ever).
        cells_of = api_rows(rows)
        with open_sink(
            source=source, batch_id=batch.pk if batch else None, dry_run=dry_run, clash_limit=validator.max_errors
        ) as sink:
            for number, cells in cells_of:
                if isinstance(cells, RowError):
                    validator.rows_seen += 1
                    validator.add_error(cells.row, cells.column, cells.value, cells.reason)
                    continue
                row = validator.check(number, cells)
                if row is not None and validator.error_count == 0:
                    sink.add(row)
            sink.finish_input()
            finish(result, validator)
            if not check_before_write(result, validator, sink):
                transaction.set_rollback(True)
                return result
            result.counts = sink.merge()
        close_batch(batch, result)
        result.batch_id = batch.pk if batch else None
        if dry_run:
            transaction.set_rollback(True)
    return result


def write_measurement_rows(*, rows: Iterable[MeasurementRow], source: str, batch_id: int | None = None) -> WriteCounts:
    """Trusted rows (the demo seeder, survey recomputation): straight to the fast write path, no validation."""
    with transaction.atomic(), open_sink(source=source, batch_id=batch_id) as sink:
        for row in rows:
            sink.add(row)
        return sink.merge()


def summary_line(result: ImportResult) -> str:
    """One line for commands and messages, in the active language (a job's is its requester's)."""
    if not result.is_valid:
        return _("%(count)s error(s); nothing written.") % {"count": result.error_count}
    counts = result.counts or WriteCounts()
    figures = {
        "rows": result.row_count,
        "created": counts.created,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
    }
    if result.dry_run:
        text = _("%(rows)s rows: %(created)s would be created, %(updated)s would be updated, %(unchanged)s unchanged.")
    else:
        text = _("%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
    text %= figures
    if result.measurement_counts is not None:
        m = result.measurement_counts
        daily = _("Daily measurements: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": m.created,
            "updated": m.updated,
            "unchanged": m.unchanged,
        }
        text = f"{text} {daily}"
    return text
