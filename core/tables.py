"""The base for every table: Bootstrap styling, and empty text that says what is missing; date columns."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import signature

from .cells import ExportDate

# Numbers align right, and so do their headers.
NUMERIC = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


# A page shows at least MIN_PER_PAGE and at most MAX_PER_PAGE rows, whatever `?per_page=` asks for.
MIN_PER_PAGE = 10
MAX_PER_PAGE = 500


Arguments = tuple[tuple[str, ...], str | None]


def _call(row: BoundRow, kind: str, bound_column: Any, kwargs: dict[str, Any]) -> Any:
    """django-tables2's `call_with_appropriate`, with the function's arguments looked up once per table column.

    django-tables2 runs `inspect.signature` on `render_<col>` / `value_<col>` for every cell: on the scorecard
    table that was 2,160 inspections (a third of the page's time) for 18 distinct functions. The table keeps
    each column's argument list here instead; the call itself is the same.
    """
    table = row._table
    cache: dict[tuple[str, str], tuple[Callable[..., Any], Arguments]] = table.__dict__.setdefault("_cell_calls", {})
    key = (kind, bound_column.name)
    if key not in cache:
        fn = getattr(bound_column, kind)
        if kind == "value" and getattr(fn, "__func__", None) is tables.Column.value:
            fn = bound_column.column.render  # Column.value only calls the column's render the same way
        cache[key] = (fn, signature(fn))
    fn, (args, catch_all) = cache[key]
    if catch_all:
        return fn(**kwargs)
    if any(arg not in kwargs for arg in args):
        return None
    return fn(**{arg: kwargs[arg] for arg in args})


class CellRow(BoundRow):
    """A table row whose cells call `render_<col>` / `value_<col>` without inspecting them per cell."""

    def _call_render(self, bound_column, value=None):
        kwargs = self._optional_cell_arguments(bound_column, value)
        content = _call(self, "render", bound_column, kwargs)
        return bound_column.link(content, **kwargs) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        return _call(self, "value", bound_column, self._optional_cell_arguments(bound_column, value))


class CellRows(BoundRows):
    """`BoundRows` that make `CellRow`s (pinned rows stay django-tables2's own)."""

    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield CellRow(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return CellRows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return CellRow(record=self.data[key], table=self.table)


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Nothing matches these filters.")
        template_name = "includes/table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = CellRows(data=self.data, table=self, pinned_data=self.pinned_data)

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        """django-tables2's RequestConfig passes `?per_page=` straight through; the bounds hold here,
        where every way of paging a table passes (a cap in one view was bypassed, and -1 was an error)."""
        if per_page is not None:
            per_page = max(MIN_PER_PAGE, min(int(per_page), MAX_PER_PAGE))
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)


class DateColumn(tables.Column):
    """A date in a Django date format, exported as ISO 8601.

    django-tables2's own DateColumn renders a template for every cell; on a 50-row page with two date
    columns that was 40 % of the page's time. Formatting directly gives the same text.
    """

    def __init__(self, format: str = "Y-m-d", **kwargs):
        self.format = format
        super().__init__(**kwargs)

    def render(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)

    def value(self, value):
        # ISO text in CSV, a real date cell in XLSX (core.cells).
        return ExportDate(value) if isinstance(value, dt.date) else value


DateTimeColumn = DateColumn  # the format string decides whether the time shows; aware values show local time
