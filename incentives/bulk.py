"""Bulk replacement of a draft run's lines and stints: COPY on PostgreSQL, bulk_create elsewhere.

A run of 10,000 people writes ~20,000 rows; `bulk_create` on PostgreSQL spends most of its time
quoting array literals client-side, COPY streams the rows. Either way the number of statements is
fixed. Both paths refuse runs that are approved or paid.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

from .models import PayoutLine, PayoutStint, _refuse_if_locked

LINE_FIELDS = ["id", "run", "person", "team", "target_amount", "proration", "exact_amount", "amount"]
STINT_FIELDS = ["line", "team", "days", "proration", "gates_met", "exact_amount", "components"]


def _copy(model: type[models.Model], names: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    keys = [field.attname if field.attname in rows[0] else field.name for field in fields] if rows else []
    json_keys = {key for key, field in zip(keys, fields, strict=True) if isinstance(field, models.JSONField)}
    dumped: dict[int, str] = {}  # identical explanations (same team, same days) are one object: dump once

    def cell(row, key):
        value = row[key]
        if key in json_keys:
            text = dumped.get(id(value))
            if text is None:
                text = dumped[id(value)] = json.dumps(value)
            return text
        return value

    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([cell(row, key) for key in keys])


def replace_run_lines(*, run_id: int, lines: list[dict[str, Any]], stints: list[list[dict[str, Any]]]) -> None:
    """Delete a draft run's lines and write `lines` with their `stints` (same order) in fixed statements.

    Rows are dicts of field values (`run_id`, `person_id`, ...); model instances are only built
    where bulk_create needs them.
    """
    _refuse_if_locked([run_id])
    PayoutStint.objects.filter(line__run_id=run_id).delete()
    # Stints are gone, so nothing cascades: delete lines in one statement without loading them.
    PayoutLine.objects.filter(run_id=run_id)._raw_delete(connection.alias)
    if not lines:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [PayoutLine._meta.db_table, len(lines)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        for line, pk in zip(lines, ids, strict=True):
            line["id"] = pk
        _copy(PayoutLine, LINE_FIELDS, lines)
    else:
        created = PayoutLine.objects.bulk_create(PayoutLine(**line) for line in lines)
        for line, obj in zip(lines, created, strict=True):
            line["id"] = obj.pk
    rows = [
        {**stint, "line_id": line["id"]}
        for line, line_stints in zip(lines, stints, strict=True)
        for stint in line_stints
    ]
    if connection.vendor == "postgresql":
        _copy(PayoutStint, STINT_FIELDS, rows)
    else:
        PayoutStint.objects.bulk_create(PayoutStint(**row) for row in rows)
