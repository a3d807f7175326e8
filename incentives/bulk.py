"""Bulk replacement of a draft run's lines and breakdowns: COPY on PostgreSQL, bulk_create elsewhere.

A run of 10,000 people writes 10,000 lines but only a few hundred breakdowns (people of one team with
the same days and target amount share one), so the explained stints are written once per breakdown.
On PostgreSQL the lines go in as one COPY text stream built here (integers and Decimals need no
escaping) and the breakdowns' ids come back from one INSERT ... RETURNING. Either way the number of
statements is fixed. Both paths refuse runs that are approved or paid.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

from .models import PayoutBreakdown, PayoutLine, PayoutStint, _refuse_if_locked

LINE_COLUMNS = (
    "run_id",
    "person_id",
    "team_id",
    "breakdown_id",
    "target_amount",
    "proration",
    "exact_amount",
    "amount",
)
LINE_VALUES = LINE_COLUMNS[2:]  # what lines of one breakdown share
STINT_COLUMNS = ("breakdown_id", "team_id", "days", "proration", "gates_met", "exact_amount", "components")


def delete_run_rows(run_id: int) -> None:
    """Delete a draft run's lines, stints and breakdowns in three statements, without loading them."""
    _refuse_if_locked([run_id])
    # Nothing refers to lines, and stints go before their breakdowns, so nothing cascades.
    PayoutLine.objects.filter(run_id=run_id)._raw_delete(connection.alias)
    PayoutStint.objects.filter(breakdown__run_id=run_id)._raw_delete(connection.alias)
    PayoutBreakdown.objects.filter(run_id=run_id)._raw_delete(connection.alias)


def replace_run_lines(
    *,
    run_id: int,
    breakdowns: Sequence[tuple[dict[str, Any], Sequence[dict[str, Any]]]],
    people: Sequence[tuple[int, int]],
) -> None:
    """Replace a draft run's rows: `breakdowns` are (line values, stints), `people` (person id, breakdown index).

    Line values are the LINE_VALUES columns except `breakdown_id`; stints are dicts of STINT_COLUMNS
    except `breakdown_id`. The number of statements does not depend on the number of people.
    """
    delete_run_rows(run_id)
    if not people:
        return
    ids = _create_breakdowns(run_id, len(breakdowns))
    stints = [
        {**stint, "breakdown_id": pk}
        for pk, (_values, its_stints) in zip(ids, breakdowns, strict=True)
        for stint in its_stints
    ]
    shared = [{**values, "breakdown_id": pk} for pk, (values, _stints) in zip(ids, breakdowns, strict=True)]
    if connection.vendor == "postgresql":
        _copy_stints(stints)
        _copy_lines(run_id, shared, people)
    else:
        PayoutStint.objects.bulk_create(PayoutStint(**stint) for stint in stints)
        PayoutLine.objects.bulk_create(
            PayoutLine(run_id=run_id, person_id=person_id, **shared[index]) for person_id, index in people
        )


def _create_breakdowns(run_id: int, count: int) -> list[int]:
    if connection.vendor != "postgresql":
        return [b.pk for b in PayoutBreakdown.objects.bulk_create(PayoutBreakdown(run_id=run_id) for _ in range(count))]
    table = connection.ops.quote_name(PayoutBreakdown._meta.db_table)
    with connection.cursor() as cursor:
        # PostgreSQL returns the rows of INSERT ... SELECT in the order of the SELECT (bulk_create relies on it too).
        sql = f"INSERT INTO {table} (run_id) SELECT %s FROM generate_series(1, %s) AS n ORDER BY n RETURNING id"  # noqa: S608 - our own table name  # nosec B608
        cursor.execute(sql, [run_id, count])
        return [row[0] for row in cursor.fetchall()]


def _copy_stints(stints: list[dict[str, Any]]) -> None:
    dumped: dict[int, str] = {}  # breakdowns of the same team and days share one explanation object: dump once

    def explanation(value) -> str:
        text = dumped.get(id(value))
        if text is None:
            text = dumped[id(value)] = json.dumps(value)
        return text

    table = connection.ops.quote_name(PayoutStint._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(STINT_COLUMNS)}) FROM STDIN") as copy,
    ):
        for stint in stints:
            copy.write_row([*(stint[name] for name in STINT_COLUMNS[:-1]), explanation(stint["components"])])


def _copy_lines(run_id: int, shared: list[dict[str, Any]], people: Sequence[tuple[int, int]]) -> None:
    # COPY text format: tab-separated, one line per row; str() of an int or a Decimal needs no escaping.
    tails = ["\t".join(str(values[name]) for name in LINE_VALUES) + "\n" for values in shared]
    head = f"{run_id}\t"
    text = "".join(f"{head}{person_id}\t{tails[index]}" for person_id, index in people)
    table = connection.ops.quote_name(PayoutLine._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy,
    ):
        copy.write(text)
