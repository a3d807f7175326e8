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


class _Mixed(BaseTable):
    """Every way a cell's text and td attributes come about: plain, escaped, localized either way, attributes
    computed per record, a link."""

    name = tables.Column(linkify=lambda record: f"/people/{record['pk']}/")
    note = tables.Column(default="—")
    amount = tables.Column(localize=True, attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})
    code = tables.Column(localize=False)
    share = tables.Column(attrs={"td": {"data-share": lambda record: record["share"], "class": "x"}})

    class Meta(BaseTable.Meta):
        pass


def _tags(html: str) -> str:
    import re

    return re.sub(r">\s+<", "><", html).strip()


def test_table_rows_written_in_python_equal_django_tables2s_template():
    """`includes/table.html` (every BaseTable's template) writes the body rows with `{% table_row %}`: the
    same HTML as django-tables2's own template, in English and Swedish."""
    from decimal import Decimal

    from django.test import RequestFactory
    from django.utils import translation

    rows = [
        {"pk": 1, "name": "Åsa <Berg>", "note": None, "amount": Decimal("1234.5"), "code": 12345, "share": 0.25},
        {"pk": 2, "name": "Bo & Co", "note": 'says "hi"', "amount": 7, "code": Decimal("0.5"), "share": 1},
    ]
    for language in ("en-gb", "sv"):
        with translation.override(language):
            ours, stock = _Mixed(rows), _Mixed(rows)
            stock.template_name = "django_tables2/bootstrap5-responsive.html"
            request = RequestFactory().get("/")
            ours_html, stock_html = ours.as_html(request), stock.as_html(request)
        assert ours.template_name == "includes/table.html"
        assert "&lt;Berg&gt;" in ours_html and 'data-share="0.25"' in ours_html and 'href="/people/2/"' in ours_html
        assert _tags(ours_html) == _tags(stock_html)
    assert "1234,5" in ours_html and "12345" in ours_html  # Swedish: localized (a decimal comma) and not
