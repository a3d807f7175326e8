"""The measurement list's CSV export as one PostgreSQL query, for `COPY (SELECT ...) TO STDOUT`.

Every cell is formatted in SQL exactly as `MeasurementTable`'s export values are by Python (ISO dates, by
COPY under DateStyle ISO, the
timestamp as `datetime.isoformat()` writes it in UTC, choice labels in the reader's language, team names and
KPI codes neutralised as `core.exports.neutralise_cell` does), so the file is byte for byte the same, at the
speed of the database rather than of one Python call per cell.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, F, Func, QuerySet, Value, When

from core.exports import has_control_characters, neutralise_cell, sql_neutralised

from ..models import ImportBatch, Kpi, Team
from ..models.kpis import Channel

_TEXT = CharField()


def _neutralised(field: str, owner: str = "", dirty: list[int] | None = None) -> Func:
    """`field` neutralised; the costly deletion of control characters only for the `dirty` rows of `owner`
    (the ids of the teams or KPIs whose text holds any, found in Python over the small table)."""
    if owner and not dirty:
        template = sql_neutralised("%(expressions)s", controls=False)
    elif owner:
        ids = ", ".join(str(int(pk)) for pk in dirty or [])
        template = (
            f"CASE WHEN {owner} IN ({ids}) THEN {sql_neutralised('%(expressions)s')} "
            f"ELSE {sql_neutralised('%(expressions)s', controls=False)} END"
        )
    else:
        template = sql_neutralised("%(expressions)s")
    return Func(F(field), template=template, output_field=_TEXT)


def _dirty() -> dict[str, list[int]]:
    """The ids of the teams and KPIs whose name or code holds control characters, in one query."""
    teams = Team.objects.annotate(kind=Value("team")).values_list("kind", "pk", "name")
    kpis = Kpi.objects.annotate(kind=Value("kpi")).values_list("kind", "pk", "code")
    dirty: dict[str, list[int]] = {"team": [], "kpi": []}
    for kind, pk, text in teams.union(kpis, all=True):
        if has_control_characters(text):
            dirty[kind].append(pk)
    return dirty


def _label(field: str, choices: list[tuple[str, Any]]) -> Case:
    """A choice's label, translated now (the request's language) and neutralised, as the table exports it."""
    whens = [When(**{field: code}, then=Value(neutralise_cell(str(label)))) for code, label in choices]
    return Case(*whens, default=_neutralised(field), output_field=_TEXT)


# `isoformat()` of an aware UTC datetime: microseconds only when there are any, then +00:00.
_ISO_TIMESTAMP = (
    "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || '+00:00'"
)


def _cells() -> dict[str, Any]:
    """Each exported column of MeasurementTable as a SQL expression giving its CSV text (NULL = empty)."""
    dirty = _dirty()
    return {
        "date": F("date"),  # COPY writes it under DateStyle ISO (core.exports), as isoformat() does
        "team": _neutralised("team__name", '"culture_measurement"."team_id"', dirty["team"]),
        "kpi": _neutralised("kpi__code", '"culture_measurement"."kpi_id"', dirty["kpi"]),
        "channel": _label("channel", Channel.choices),
        "value": F("value"),
        "numerator": F("numerator"),
        "denominator": F("denominator"),
        "sample_size": F("sample_size"),
        "source": _label("source", ImportBatch.Source.choices),
        "updated_at": Func(F("updated_at"), template=_ISO_TIMESTAMP, output_field=_TEXT),
    }


def copy_select(queryset: QuerySet, columns: list[str]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL and parameters selecting `columns`' CSV text for the filtered, ordered `queryset`; None when a
    column has no SQL form here (the export then takes the Python path)."""
    cells = _cells()
    if any(name not in cells for name in columns):
        return None
    aliases = {f"csv_{name}": cells[name] for name in columns}
    return queryset.annotate(**aliases).values_list(*aliases).query.sql_with_params()
