"""Survey-response imports: validate every response, store them, and recompute the daily survey measurements
they feed. Same all-or-nothing steps as a measurement import (`services`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from ..models import ImportBatch, Measurement, SurveyResponse
from .reading import FileProblem, Limits
from .response_rules import RESPONSE_COLUMNS, RESPONSE_REQUIRED, ResponseRow, ResponseValidator
from .rules import MeasurementRow, RowError
from .services import (
    PREVIEW_ROWS,
    ImportResult,
    check_before_write,
    close_batch,
    finish,
    load_context,
    new_batch,
    open_import_file,
    with_progress,
)
from .survey import ResponseTally, survey_figures
from .wizard import ImportOptions
from .writing import WriteCounts, open_sink, stored_channel_clashes


def import_responses(
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
    """Validate survey responses; if all are good store them and recompute the affected daily measurements."""
    result, table = open_import_file(
        stream, filename, ImportBatch.Kind.RESPONSES, RESPONSE_COLUMNS, RESPONSE_REQUIRED, dry_run, limits, options
    )
    if table is None:
        return result
    return _ingest(result, with_progress(table.rows, progress), user=user, source=source, dry_run=dry_run)


def upsert_responses(
    *, rows: Sequence[Mapping[str, Any]], user, source: str = ImportBatch.Source.API, dry_run: bool = False
) -> ImportResult:
    """The API's bulk upsert of responses: the file's rules; `row` in errors is the 1-based position in the list."""
    body = json.dumps(list(rows), sort_keys=True, default=str).encode()
    result = ImportResult(
        kind=ImportBatch.Kind.RESPONSES, filename="api", checksum=hashlib.sha256(body).hexdigest(), dry_run=dry_run
    )
    if len(rows) > settings.CENTRIC_IMPORT_MAX_ROWS:
        result.file_error = f"At most {settings.CENTRIC_IMPORT_MAX_ROWS:,} rows per request."
        return result
    return _ingest(result, _api_cells(rows), user=user, source=source, dry_run=dry_run)


def _api_cells(rows: Sequence[Any]) -> Iterator[tuple[int, Sequence[str] | RowError]]:
    for number, item in enumerate(rows, start=1):
        if not isinstance(item, Mapping):
            yield number, RowError(number, "(row)", str(item)[:60], "each row must be an object")
            continue
        unknown = sorted(set(item) - set(RESPONSE_COLUMNS))
        if unknown:
            yield number, RowError(number, unknown[0], str(item[unknown[0]])[:60], "unknown field")
            continue
        yield number, tuple("" if item.get(name) is None else str(item[name]).strip() for name in RESPONSE_COLUMNS)


def _ingest(result: ImportResult, rows: Iterable, *, user, source: str, dry_run: bool) -> ImportResult:
    """Validate every response row; if all are good store them and recompute the affected measurements."""
    with transaction.atomic():
        context = load_context(user)
        validator = ResponseValidator(context, max_errors=settings.CENTRIC_IMPORT_MAX_ERRORS)
        good: list[ResponseRow] = []
        numbers: list[int] = []  # the file row of each good response
        try:
            for number, cells in rows:
                if len(result.preview) < PREVIEW_ROWS:
                    result.preview.append((number, cells if not isinstance(cells, RowError) else (cells.value,)))
                if isinstance(cells, RowError):
                    validator.rows_seen += 1
                    validator.add_error(cells.row, cells.column, cells.value, cells.reason)
                    continue
                row = validator.check(number, cells)
                if row is not None:
                    good.append(row)
                    numbers.append(number)
        except FileProblem as problem:
            result.file_error = str(problem)
            return finish(result, validator)
        finish(result, validator)
        if validator.is_valid:
            _refuse_stored_channel_clashes(validator, good, numbers, context.survey_kpis)
            finish(result, validator)
        if validator.is_valid:
            _refuse_totals_from_elsewhere(validator, good, numbers, context.survey_kpis)
            finish(result, validator)
        if not check_before_write(result, validator):
            transaction.set_rollback(True)
            return result
        # A dry run writes for real and rolls back, so its counts include the recomputed measurements.
        batch = new_batch(result, user=user, source=source)
        result.counts = _store_responses(good, batch_id=batch.pk)
        result.measurement_counts = recompute_survey_measurements(
            keys={(r.team_id, r.survey, r.date, r.channel) for r in good},
            survey_kpis=context.survey_kpis,
            source=source,
            batch_id=batch.pk,
        )
        close_batch(batch, result)
        result.batch_id = None if dry_run else batch.pk
        if dry_run:
            transaction.set_rollback(True)
    return result


def _refuse_stored_channel_clashes(
    validator: ResponseValidator, rows: list[ResponseRow], numbers: list[int], survey_kpis: Mapping[str, int]
) -> None:
    """Responses become daily measurements per channel: the file's rules against the stored measurements.

    A day stored as channel `all` cannot take responses for a specific channel, nor the other way round.
    """
    keys = list(dict.fromkeys((r.team_id, survey_kpis[r.survey], r.date, r.channel) for r in rows))
    clashing = set(stored_channel_clashes(keys, limit=len(keys)))
    if not clashing:
        return
    for number, row in zip(numbers, rows, strict=True):
        if (row.team_id, survey_kpis[row.survey], row.date, row.channel) in clashing:
            stored = "specific channels" if row.channel == "all" else "channel all"
            reason = f"the database already holds {stored} of {row.survey} for this day: both would count"
            validator.add_error(number, "channel", row.channel, reason)


def _refuse_totals_from_elsewhere(
    validator: ResponseValidator, rows: list[ResponseRow], numbers: list[int], survey_kpis: Mapping[str, int]
) -> None:
    """Responses recompute their day's measurement from every stored response of that day. A day whose
    stored figure came from elsewhere (a measurement file or the API: no stored response behind it) would
    be replaced by the few responses sent now, so it is refused, on the first row of each such day."""
    keys = list(dict.fromkeys((r.team_id, r.survey, r.date, r.channel) for r in rows))
    survey_of = {kpi_id: survey for survey, kpi_id in survey_kpis.items()}
    stored: dict[tuple, int | None] = {}
    with_responses: set[tuple] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        teams, days = {k[0] for k in chunk}, {k[2] for k in chunk}
        surveys = {k[1] for k in chunk}
        for team_id, kpi_id, day, channel, size in Measurement.objects.filter(
            team_id__in=teams, kpi_id__in=[survey_kpis[s] for s in surveys], date__in=days
        ).values_list("team_id", "kpi_id", "date", "channel", "sample_size"):
            stored[(team_id, survey_of[kpi_id], day, channel)] = size
        with_responses.update(
            SurveyResponse.objects.filter(team_id__in=teams, survey__in=surveys, date__in=days)
            .values_list("team_id", "survey", "date", "channel")
            .distinct()
        )
    clashing = {key for key in keys if key in stored and key not in with_responses}
    for number, row in zip(numbers, rows, strict=True):
        key = (row.team_id, row.survey, row.date, row.channel)
        if key not in clashing:
            continue
        clashing.discard(key)  # one error per day is enough
        size = stored[key]
        total = f"a total of {size} responses" if size is not None else "a total"
        reason = (
            f"the database holds {total} for {row.survey} on this day and channel from a file or the API, "
            "not from responses: these responses would replace it; send the day as a total instead"
        )
        validator.add_error(number, "date", row.date.isoformat(), reason)


def _store_responses(rows: list[ResponseRow], *, batch_id: int | None) -> WriteCounts:
    created = updated = 0
    for start in range(0, len(rows), 2000):
        chunk = rows[start : start + 2000]
        stored = {
            (team_id, survey, day, channel, respondent): (score, comment)
            for team_id, survey, day, channel, respondent, score, comment in SurveyResponse.objects.filter(
                team_id__in={r.team_id for r in chunk},
                survey__in={r.survey for r in chunk},
                date__gte=min(r.date for r in chunk),
                date__lte=max(r.date for r in chunk),
                respondent__in={r.respondent for r in chunk},
            ).values_list("team_id", "survey", "date", "channel", "respondent", "score", "comment")
        }
        changed = []
        for row in chunk:
            found = stored.get((row.team_id, row.survey, row.date, row.channel, row.respondent))
            if found is None:
                created += 1
            elif found == (row.score, row.comment):
                continue
            else:
                updated += 1
            changed.append(row)
        if changed:
            SurveyResponse.objects.bulk_create(
                [SurveyResponse(**row._asdict(), batch_id=batch_id) for row in changed],
                update_conflicts=True,
                unique_fields=["team", "survey", "date", "channel", "respondent"],
                update_fields=["score", "comment", "batch"],
            )
    return WriteCounts(created, updated, len(rows) - created - updated)


def recompute_survey_measurements(
    *, keys: set[tuple[int, str, dt.date, str]], survey_kpis: Mapping[str, int], source: str, batch_id: int | None
) -> WriteCounts:
    """Recompute the daily measurements of these (team, survey, day, channel) keys from every stored response.

    The tallies come from one SQL GROUP BY; `survey_figures` turns each into measurement columns.
    """
    if not keys:
        return WriteCounts()
    tallies = (
        SurveyResponse.objects.filter(
            team_id__in={k[0] for k in keys},
            survey__in={k[1] for k in keys},
            date__gte=min(k[2] for k in keys),
            date__lte=max(k[2] for k in keys),
        )
        .values("team_id", "survey", "date", "channel")
        .annotate(
            responses=Count("id"),
            promoters=Count("id", filter=Q(score__gte=9)),
            detractors=Count("id", filter=Q(score__lte=6)),
            satisfied=Count("id", filter=Q(score__gte=4)),
            score_sum=Sum("score"),
            score_squares=Sum(F("score") * F("score")),
        )
        .order_by()
    )
    rows = []
    for t in tallies:
        key = (t["team_id"], t["survey"], t["date"], t["channel"])
        if key not in keys:
            continue
        tally = ResponseTally(
            responses=t["responses"],
            promoters=t["promoters"],
            detractors=t["detractors"],
            satisfied=t["satisfied"],
            score_sum=t["score_sum"],
            score_squares=t["score_squares"],
        )
        f = survey_figures(t["survey"], tally)
        rows.append(
            MeasurementRow(
                key[0],
                survey_kpis[t["survey"]],
                key[2],
                key[3],
                f.value,
                f.numerator,
                f.denominator,
                f.sample_size,
                f.sum_squares,
            )
        )
    with open_sink(source=source, batch_id=batch_id) as sink:
        for row in rows:
            sink.add(row)
        return sink.merge()
