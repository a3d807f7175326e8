"""Date columns: the text django-tables2's template-based columns gave, without a template per cell."""

import datetime as dt

import django_tables2 as tables

from core.tables import BaseTable, DateColumn, DateTimeColumn


class _Dated(BaseTable):
    day = DateColumn(format="Y-m-d")
    at = DateTimeColumn(format="Y-m-d H:i", default="—")
    reference = tables.Column()


def test_dates_render_formatted_in_local_time_and_export_iso(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    at = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)
    table = _Dated(
        [
            {"day": dt.date(2026, 1, 2), "at": at, "reference": 1},
            {"day": dt.date(2026, 1, 3), "at": None, "reference": 2},
        ]
    )

    first, second = table.rows
    assert (first.get_cell("day"), first.get_cell("at")) == ("2026-01-02", "2026-11-26 00:30")
    assert second.get_cell("at") == "—"
    exported = list(table.as_values())
    assert exported[1][:2] == ["2026-01-02", at.isoformat()]


def test_every_right_aligned_number_has_a_right_aligned_header():
    import importlib
    import inspect

    modules = [
        "culture.org.tables",
        "culture.scorecards.tables",
        "culture.measurements.tables",
        "hiring.rubrics.tables",
        "hiring.positions.tables",
        "hiring.candidates.tables",
        "hiring.interviews.tables",
        "hiring.insights.tables",
        "incentives.tables",
    ]
    checked = 0
    for name in modules:
        for _, table in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if not issubclass(table, tables.Table) or table.__module__ != name:
                continue
            for column_name, column in table.base_columns.items():
                td = (column.attrs or {}).get("td", {}).get("class", "")
                if "text-end" in td:
                    checked += 1
                    assert "text-end" in column.attrs.get("th", {}).get("class", ""), f"{table.__name__}.{column_name}"
    assert checked >= 10
