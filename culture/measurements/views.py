"""Import pages (upload -> preview with dry run -> confirm), import history, measurements, KPI catalogue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, FormView, UpdateView
from django_tables2 import LazyPaginator

from core.views import BreadcrumbMixin, FilteredTableView
from core.viewtypes import ModelFormViewBase, ViewBase

from ..models import ImportBatch, Kpi, Measurement
from . import pending
from .catalogue import save_user_kpi
from .filtersets import ImportBatchFilterSet, KpiFilterSet, MeasurementFilterSet
from .forms import ImportUploadForm, KpiForm
from .responses import import_responses
from .rules import MEASUREMENT_COLUMNS
from .services import ImportResult, import_measurements, summary_line
from .tables import ImportBatchTable, KpiTable, MeasurementTable

SERVICES = {ImportBatch.Kind.MEASUREMENTS: import_measurements, ImportBatch.Kind.RESPONSES: import_responses}
FORMATS = {
    ImportBatch.Kind.MEASUREMENTS: ",".join(MEASUREMENT_COLUMNS),
    ImportBatch.Kind.RESPONSES: "team,survey,date,channel,score,respondent,comment",
}


class ImportUploadView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "culture.add_importbatch"
    scoping = "none: the upload form; the import rules check each row's team against the uploader's"
    form_class = ImportUploadForm
    template_name = "culture/import_form.html"
    title = _("Import data")

    def get_breadcrumbs(self):
        return [(str(_("Imports")), reverse("culture:importbatch_list")), (str(self.title), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["formats"] = FORMATS.items()
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        checksum = pending.store_upload(upload)
        pending.remember(self.request.session, checksum=checksum, kind=form.cleaned_data["kind"], filename=upload.name)
        return HttpResponseRedirect(reverse("culture:import_preview", args=[checksum]))


class _PendingImportMixin(LoginRequiredMixin, PermissionRequiredMixin, ViewBase):
    permission_required = "culture.add_importbatch"
    # The checksum is looked up in the requester's own session, so nobody reaches another's upload.
    scoping = "none: the requester's own pending upload (from their session); the import rules check each row's team"

    def entry(self, checksum: str) -> dict:
        try:
            entry = pending.recall(self.request.session, checksum)
        except ValueError:
            entry = None
        if entry is None:
            raise Http404("No such upload waiting for confirmation.")
        return entry

    def run(self, checksum: str, *, dry_run: bool) -> tuple[dict, ImportResult]:
        entry = self.entry(checksum)
        service = SERVICES[entry["kind"]]
        with pending.open_upload(checksum) as stream:
            result = service(
                stream=stream,
                filename=entry["filename"],
                user=self.request.user,
                source=ImportBatch.Source.WEB,
                dry_run=dry_run,
            )
        return entry, result

    def render_preview(self, checksum: str, entry: dict, result: ImportResult, *, status: int = 200):
        context = {
            "title": _("Check the import"),
            "breadcrumbs": [
                (str(_("Imports")), reverse("culture:importbatch_list")),
                (str(_("Import data")), reverse("culture:import_upload")),
                (str(_("Check")), None),
            ],
            "checksum": checksum,
            "entry": entry,
            "kind_label": ImportBatch.Kind(entry["kind"]).label,
            "result": result,
            "summary": summary_line(result),
        }
        return render(self.request, "culture/import_preview.html", context, status=status)


class ImportPreviewView(_PendingImportMixin, View):
    """The dry run of a stored upload: the first rows, every error, and what confirming would change."""

    def get(self, request, checksum: str):
        # Parsing is the expensive part (seconds for a big workbook): the dry run is stored, and a reload
        # shows it again. Confirming validates the file once more against the data as it is then.
        entry = self.entry(checksum)
        result = pending.stored_preview(request.user.pk, checksum)
        if not isinstance(result, ImportResult):
            entry, result = self.run(checksum, dry_run=True)
            pending.store_preview(request.user.pk, checksum, result)
        return self.render_preview(checksum, entry, result)


class ImportConfirmView(_PendingImportMixin, View):
    """Write the stored upload; if something changed since the preview, show the preview again."""

    def post(self, request, checksum: str):
        entry, result = self.run(checksum, dry_run=False)
        if not result.is_valid:
            pending.store_preview(request.user.pk, checksum, result)
            return self.render_preview(checksum, entry, result, status=400)
        pending.forget(request.session, checksum, user_id=request.user.pk)
        messages.success(request, f"{entry['filename']}: {summary_line(result)}")
        return HttpResponseRedirect(reverse("culture:importbatch_list"))


class ImportBatchListView(FilteredTableView):
    """Who imported what, when, and what it changed: executives see every import, others their own."""

    permission_required = "culture.view_importbatch"
    table_class = ImportBatchTable
    filterset_class = ImportBatchFilterSet
    title = _("Imports")
    export_name = "imports"

    queryset = ImportBatch.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("uploaded_by").order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("culture.add_importbatch"):
            context["list_actions"] = [(_("Import data"), reverse("culture:import_upload"))]
        return context


class MeasurementListView(FilteredTableView):
    permission_required = "culture.view_measurement"
    # Newest first; the id breaks ties so that paging is stable, and (date, id) walks the date index.
    queryset = Measurement.objects.select_related("team", "kpi").order_by("-date", "-id")
    # Hundreds of thousands of rows: counting them all cost more than the page itself, so page lazily.
    paginator_class = LazyPaginator
    table_class = MeasurementTable
    filterset_class = MeasurementFilterSet
    title = _("Measurements")
    export_name = "measurements"


class KpiListView(FilteredTableView):
    permission_required = "culture.view_kpi"
    table_class = KpiTable
    filterset_class = KpiFilterSet
    title = _("KPI catalogue")
    export_name = "kpis"
    queryset = Kpi.objects.order_by("category", "code")
    scoping = "none: the KPI catalogue is the same for every user"

    def get_table_kwargs(self):
        return {"can_edit": self.request.user.has_perm("culture.change_kpi")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("culture.add_kpi"):
            context["list_actions"] = [(_("New KPI"), reverse("culture:kpi_create"))]
        return context


class _KpiFormMixin(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ModelFormViewBase):
    model = Kpi
    scoping = "none: the KPI catalogue is the same for every user (editing needs the change permission)"
    form_class = KpiForm
    template_name = "culture/kpi_form.html"
    success_url = reverse_lazy("culture:kpi_list")

    def get_breadcrumbs(self):
        return [(str(_("KPI catalogue")), reverse("culture:kpi_list")), *super().get_breadcrumbs()]

    def form_valid(self, form):
        self.object = save_user_kpi(kpi=form.instance, actor=self.request.user)
        messages.success(self.request, f"Saved KPI {self.object.code}.")
        return HttpResponseRedirect(self.get_success_url())


class KpiCreateView(_KpiFormMixin, CreateView):
    permission_required = "culture.add_kpi"
    title = _("New KPI")


class KpiUpdateView(_KpiFormMixin, UpdateView):
    permission_required = "culture.change_kpi"
    slug_field = "code"
    slug_url_kwarg = "code"

    @property
    def title(self):
        return _("Edit KPI %(code)s") % {"code": self.object.code}

    def get_queryset(self):
        return Kpi.objects.filter(is_standard=False)  # the standard catalogue is read-only: a 404
