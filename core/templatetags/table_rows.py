"""A table body row written in Python: `{% table_row row %}` (used by `includes/table.html`, every table's template).

django-tables2's template resolves `column.attrs.td.as_html` and `column.localize` for every cell, and its
`attrs` rebuilds the column's th, td and footer attributes each time: on a 50-row scorecard table with 26
columns that was most of the page's rendering. Here a column's td attributes are built once per table when
nothing in them is computed per record (no callables), and each cell is output exactly as the template
outputs it (`render_value_in_context`, or the `localize` / `unlocalize` filters when the column says so).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _computed(attrs: Any) -> bool:
    """Whether an attrs mapping holds a callable anywhere (django-tables2 calls it with the record)."""
    if callable(attrs):
        return True
    if isinstance(attrs, Mapping):
        return any(_computed(value) for value in attrs.values())
    return False


def _td_attrs(column: Any) -> str:
    cached = column.__dict__.get("_td_attrs_html")
    if cached is not None:
        return cached
    html = column.attrs["td"].as_html()
    if not _computed(column._table.attrs) and not _computed(column.column.attrs):
        column.__dict__["_td_attrs_html"] = html
    return html


def _cell(cell: Any, localize: bool | None, context: template.Context) -> str:
    if localize is None:
        return render_value_in_context(cell, context)
    return render_value_in_context(str(formats.localize(cell, use_l10n=localize)), context)


@register.simple_tag(takes_context=True)
def table_row(context: template.Context, row: Any) -> SafeString:
    cells = "".join(
        f"<td {_td_attrs(column)}>{_cell(cell, column.localize, context)}</td>" for column, cell in row.items()
    )
    return mark_safe(f"<tr {row.attrs.as_html()}>{cells}</tr>")  # noqa: S308 - every part escaped above  # nosec B308 B703
