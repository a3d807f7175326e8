"""The shared page bases: the list view (login, permission, visibility scope, filters, sorting, paging and
export) and the object mixin; both apply the model's `visible_to(user)` themselves."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin
from django_tables2.data import TableQuerysetData
from django_tables2.export import TableExport

from . import export_jobs
from .due import due_for, split_overdue
from .exports import XLSX_TYPE, copy_csv_response, csv_response, export_columns, export_values, xlsx_response
from .home import panels_for


class BreadcrumbMixin:
    """Puts `breadcrumbs` [(label, url or None), ...] in the context so every page says where you are."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return [(str(getattr(self, "title", "")), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["breadcrumbs"] = self.get_breadcrumbs()
        context["title"] = getattr(self, "title", "")
        return context


NO_SCOPING = "none: "


def scoping_exemption(view_class: type) -> str | None:
    """The reason a view gives for showing no per-user objects (`scoping = "none: <reason>"`), else None."""
    scoping = getattr(view_class, "scoping", None)
    if isinstance(scoping, str) and scoping.startswith(NO_SCOPING) and scoping.removeprefix(NO_SCOPING).strip():
        return scoping.removeprefix(NO_SCOPING).strip()
    return None


def scope_queryset(view: Any, queryset: QuerySet) -> QuerySet:
    """`queryset.visible_to(user)`, unless the view declares `scoping = "none: <reason>"`.

    A model without `visible_to` is a configuration error rather than a silent "everyone sees everything":
    a view over the KPI catalogue or the period calendar says so in its `scoping` line."""
    if scoping_exemption(type(view)) is not None:
        return queryset
    if not hasattr(queryset, "visible_to"):
        raise ImproperlyConfigured(
            f"{type(view).__name__}: {queryset.model.__name__} has no visible_to(user); "
            f'declare scoping = "none: <reason>" if every user may see every row'
        )
    return queryset.visible_to(view.request.user)


class ScopedQuerysetMixin:
    """Every object a view lists or shows passes through the model's `visible_to(user)`: others' rows are a 404.

    The base applies the scope itself, as netbox's views apply `restrict()`: subclasses declare `queryset` (or
    `model`) and narrow, annotate or join in `refine_queryset`, which receives the already scoped queryset.
    They do not override `get_queryset`; the scoping walk (tests/access/test_scoping_walk.py) fails if one
    does without calling this one. Scoping first keeps `visible_to`'s filters out of the way of annotations
    (a filter across a multi-valued relation after a Count would multiply the counted rows)."""

    scoping = "visible_to"
    # Provided by the Django view this is mixed into; named here for the type checker only (a View base
    # would give mypy an inconsistent method order beside SingleObjectMixin and TemplateView).
    request: Any  # an HttpRequest in a view, a DRF Request in a viewset
    kwargs: dict[str, Any]

    def refine_queryset(self, queryset: QuerySet) -> QuerySet:
        """Subclass hook: narrow the scoped queryset (filters, select_related, annotations, ordering)."""
        return queryset

    def get_queryset(self) -> QuerySet:
        queryset = scope_queryset(self, super().get_queryset())  # type: ignore[misc]
        refined = self.refine_queryset(queryset)
        if refined.model is not queryset.model:
            raise ImproperlyConfigured(f"{type(self).__name__}.refine_queryset changed the model")
        return refined


class ScopedObjectMixin(ScopedQuerysetMixin, SingleObjectMixin):
    """The detail base: DetailView, UpdateView, DeleteView, or a FormView/TemplateView about one object.

    `get_object()` looks the URL's pk or slug up in the scoped queryset, so another team's object is a 404.
    Generic views call it themselves; a FormView or TemplateView calls `self.get_object()` where it needs it."""


class FilteredTableView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    BreadcrumbMixin,
    ScopedQuerysetMixin,
    SingleTableMixin,
    FilterView,
):
    """App list views declare `queryset`, `table_class`, `filterset_class`, `permission_required`, `title`,
    and narrow the scoped rows in `refine_queryset` (see ScopedQuerysetMixin), never in `get_queryset`.

    `?_export=csv` or `xlsx` exports every filtered row in the current order (see core.exports: the CSV
    streams, from PostgreSQL's COPY where the view gives `copy_select`; the XLSX is written row by row, and
    for more than CENTRIC_EXPORT_XLSX_JOB_ROWS rows by a Celery job: see core.export_jobs); any other value
    shows the page.
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
    # Set by core.export_jobs when the worker runs this view to write an XLSX job's workbook.
    export_job: export_jobs.ExportJob | None = None

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name}.{export_format}"

    def get_export_format(self) -> str | None:
        export_format = self.request.GET.get(self.export_trigger_param)
        return export_format if export_format in self.export_formats else None

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponseBase:
        export_format = self.get_export_format()
        if export_format is None:
            return super().render_to_response(context, **kwargs)
        table = context["table"]
        rows = export_values(table, self.exclude_columns)
        filename = self.get_export_filename(export_format)
        if export_format == TableExport.CSV:
            select = (
                self.copy_select(table, export_columns(table, self.exclude_columns))
                if connection.vendor == "postgresql"
                else None
            )
            if select is not None:
                return copy_csv_response(next(rows), *select, filename=filename)
            return csv_response(rows, filename=filename)
        title = str(self.title or self.export_name)
        if self.export_job is not None:
            self.export_job.begin(total=self.export_row_count(table))
            return self.export_job.write(rows, title=title)
        if self.export_row_count(table, limit=settings.CENTRIC_EXPORT_XLSX_JOB_ROWS) is None:
            query = self.request.GET.copy()
            query.pop("page", None)
            job_id = export_jobs.start_job(
                user_id=self.request.user.pk, path=self.request.path, query=query.urlencode(), filename=filename
            )
            return HttpResponseRedirect(reverse("core:export_job", args=[job_id]))
        return xlsx_response(rows, filename=filename, title=title)

    @staticmethod
    def export_row_count(table: Any, limit: int | None = None) -> int | None:
        """The rows an export writes; with `limit`, None when there are more than that (counted no further)."""
        data = table.data
        if isinstance(data, TableQuerysetData):
            queryset = data.data.order_by()
            count = queryset.count() if limit is None else queryset[: limit + 1].count()
        else:
            count = len(data)
        return None if limit is not None and count > limit else count

    def copy_select(self, table: Any, columns: list[str]) -> tuple[str, tuple[Any, ...]] | None:
        """Hook for large lists: SQL selecting each export column's CSV text for the table's filtered, ordered
        rows, which PostgreSQL then streams with COPY (core.exports.copy_csv_response); None keeps the
        Python path. Whatever it returns must give the same bytes as the Python path (test both)."""
        return None

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
    scoping = "none: links to the sections a role may open, no objects"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["overdue_items"], context["due_items"] = split_overdue(due_for(self.request.user))
        context["panels"] = panels_for(self.request.user)
        return context


class _ExportJobMixin(LoginRequiredMixin):
    # A job is looked up under the requester's own user id: another user's job id is simply unknown (404).
    scoping = "none: the requester's own export job, looked up under their user id"
    request: Any

    def job(self, job_id: str) -> dict[str, Any]:
        state = export_jobs.job_state(self.request.user.pk, job_id)
        if state is None:
            raise Http404("No such export.")
        return state


class ExportJobView(_ExportJobMixin, BreadcrumbMixin, TemplateView):
    """An XLSX export job's progress (the page refreshes itself), then the link to its file."""

    template_name = "core/export_job.html"
    title = _("Export")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["job_id"] = kwargs["job_id"]
        context["state"] = state = self.job(kwargs["job_id"])
        total = state.get("total")
        context["percent"] = min(100, 100 * state["rows"] // total) if total else None
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        status = 500 if context["state"]["status"] == "failed" else 200
        return super().render_to_response(context, status=status, **kwargs)


class ExportDownloadView(_ExportJobMixin, View):
    """The finished workbook of the requester's own export job."""

    def get(self, request, job_id: str) -> HttpResponseBase:
        state = self.job(job_id)
        name = export_jobs.file_name(job_id)
        if state["status"] != "done" or not default_storage.exists(name):
            raise Http404("The export is not ready.")
        return FileResponse(
            default_storage.open(name, "rb"), as_attachment=True, filename=state["filename"], content_type=XLSX_TYPE
        )
