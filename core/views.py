"""The one list-view base: login, permission, visibility scope, filters, sorting, paging and export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin
from django_tables2.export import TableExport

from .due import due_for, split_overdue
from .exports import csv_response, export_values, xlsx_response
from .viewtypes import ViewBase


class BreadcrumbMixin:
    """Puts `breadcrumbs` [(label, url or None), ...] in the context so every page says where you are."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [(str(getattr(self, "title", "")), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["breadcrumbs"] = self.get_breadcrumbs()
        context["title"] = getattr(self, "title", "")
        return context


class ScopedQuerysetMixin(ViewBase):
    """Every object a view shows passes through the model's `visible_to(user)`: others' rows are a 404."""

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.request.user)  # type: ignore[misc]


class FilteredTableView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    BreadcrumbMixin,
    ScopedQuerysetMixin,
    SingleTableMixin,
    FilterView,
):
    """App list views declare `queryset`, `table_class`, `filterset_class`, `permission_required`, `title`.

    `?_export=csv` or `xlsx` exports every filtered row in the current order (see core.exports: the CSV
    streams, the XLSX is written row by row); any other value shows the page.
    """

    template_name = "core/object_list.html"
    # django-tables2 pages the table; leaving Django's ListView paging off saves a second COUNT(*) per page.
    paginate_by = None
    per_page = 50
    export_formats = (TableExport.CSV, TableExport.XLSX)
    export_trigger_param = "_export"
    export_name = "export"
    exclude_columns: tuple[str, ...] = ()
    title: str | Promise = ""

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name}.{export_format}"

    def get_export_format(self) -> str | None:
        export_format = self.request.GET.get(self.export_trigger_param)
        return export_format if export_format in self.export_formats else None

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponseBase:
        export_format = self.get_export_format()
        if export_format is None:
            return super().render_to_response(context, **kwargs)
        rows = export_values(context["table"], self.exclude_columns)
        filename = self.get_export_filename(export_format)
        if export_format == TableExport.CSV:
            return csv_response(rows, filename=filename)
        return xlsx_response(rows, filename=filename, title=str(self.title or self.export_name))

    def get_table_pagination(self, table: Any) -> dict[str, Any] | bool:
        if self.get_export_format():  # every filtered row, and no COUNT(*) for a page nobody sees
            return False
        pagination = super().get_table_pagination(table)
        if pagination is False:
            return False
        # `?per_page=` is read, and bounded, by the table itself (core.tables.BaseTable.paginate).
        return {**pagination, "per_page": self.per_page}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["export_formats"] = self.export_formats
        context["export_trigger_param"] = self.export_trigger_param
        # An export streams every row without counting them first.
        context["row_count"] = None if self.get_export_format() else self.row_count(context["table"])
        return context

    @staticmethod
    def row_count(table: Any) -> int | None:
        """Rows matching the filters; None where the list pages lazily to spare a COUNT over a big table."""
        paginator = getattr(table, "paginator", None)
        if paginator is None:
            return len(table.rows)
        if isinstance(paginator, LazyPaginator):
            return None
        return paginator.count


class HomeView(LoginRequiredMixin, BreadcrumbMixin, TemplateView):
    """Landing page after login: what is due for this user, then the sections their role may open."""

    template_name = "core/home.html"
    title = _("Home")

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["overdue_items"], context["due_items"] = split_overdue(due_for(self.request.user))
        return context
