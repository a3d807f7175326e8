"""Import pages (upload -> preview with dry run -> confirm), import history, measurements, KPI catalogue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_tables2 import LazyPaginator

from core.exports import XLSX_TYPE, csv_response
from core.views import BreadcrumbMixin, FilteredTableView
from core.viewtypes import ModelFormViewBase, ViewBase

from ..models import ImportBatch, Kpi, Measurement, Target
from . import pending, reimport, tasks
from .catalogue import save_user_kpi
from .exports import copy_select
from .filelocale import LocaleChoice
from .filtersets import ImportBatchFilterSet, KpiFilterSet, MeasurementFilterSet
from .forms import ImportOptionsForm, ImportUploadForm, KpiForm
from .response_rules import RESPONSE_COLUMNS
from .responses import import_responses
from .rules import MEASUREMENT_COLUMNS
from .services import ImportResult, import_measurements, summary_line
from .tables import ImportBatchTable, KpiTable, MeasurementTable
from .wizard import ImportOptions, save_preset

SERVICES = {ImportBatch.Kind.MEASUREMENTS: import_measurements, ImportBatch.Kind.RESPONSES: import_responses}
COLUMNS = {ImportBatch.Kind.MEASUREMENTS: MEASUREMENT_COLUMNS, ImportBatch.Kind.RESPONSES: RESPONSE_COLUMNS}
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
        data = form.cleaned_data
        choice = LocaleChoice(decimal=data["decimal"], date_order=data["date_order"], encoding=data["encoding"])
        # Nothing chosen: a saved preset whose columns match is used, else everything is proposed.
        chosen = choice != LocaleChoice() or data["source"]
        options = ImportOptions(choice=choice, source=data["source"]).as_dict() if chosen else None
        pending.remember(
            self.request.session, checksum=checksum, kind=data["kind"], filename=upload.name, options=options
        )
        _reread(self.request.user.pk or 0, checksum)
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
                options=ImportOptions.from_dict(entry.get("options")),
            )
        return entry, result

    def options_form(self, entry: dict, result: ImportResult, data=None) -> ImportOptionsForm:
        options = result.options or ImportOptions()
        initial = {"decimal": options.choice.decimal, "date_order": options.choice.date_order}
        initial["encoding"] = options.choice.encoding
        return ImportOptionsForm(
            data,
            header=result.file_header,
            columns=COLUMNS[entry["kind"]],
            mapping=dict(options.columns),
            initial=initial,
        )

    def render_job(self, checksum: str, entry: dict, state: dict, *, mode: str):
        context = {
            "title": _("Checking the file") if mode == "preview" else _("Importing the file"),
            "breadcrumbs": [
                (str(_("Imports")), reverse("culture:importbatch_list")),
                (str(_("Import data")), reverse("culture:import_upload")),
                (str(_("Progress")), None),
            ],
            "checksum": checksum,
            "entry": entry,
            "state": state,
            "mode": mode,
        }
        return render(
            self.request, "culture/import_job.html", context, status=500 if state["status"] == "failed" else 200
        )

    def render_preview(
        self,
        checksum: str,
        entry: dict,
        result: ImportResult,
        *,
        status: int = 200,
        form: ImportOptionsForm | None = None,
    ):
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
            "options_form": form or self.options_form(entry, result),
        }
        return render(self.request, "culture/import_preview.html", context, status=status)


def _as_job(checksum: str) -> bool:
    return pending.size_of(checksum) >= settings.CENTRIC_IMPORT_ASYNC_BYTES


def _reread(user_id: int, checksum: str) -> None:
    """The upload is to be read differently: its kept preview and its jobs no longer hold."""
    pending.drop_preview(user_id, checksum)
    tasks.clear_jobs(user_id, checksum)


class ImportPreviewView(_PendingImportMixin, View):
    """The dry run of a stored upload: the first rows, every error, and what confirming would change."""

    def get(self, request, checksum: str):
        # Parsing is the expensive part (seconds for a big workbook): the dry run is stored, and a reload
        # shows it again. Confirming validates the file once more against the data as it is then. A big
        # upload is checked by a job; the page shows its progress until the kept result is there.
        entry = self.entry(checksum)
        result = pending.stored_preview(request.user.pk, checksum)
        if not isinstance(result, ImportResult):
            if _as_job(checksum):
                state = tasks.start_job(user_id=request.user.pk, checksum=checksum, mode="preview", entry=entry)
                result = pending.stored_preview(request.user.pk, checksum)
                if not isinstance(result, ImportResult):
                    return self.render_job(checksum, entry, state, mode="preview")
            else:
                entry, result = self.run(checksum, dry_run=True)
                pending.store_preview(request.user.pk, checksum, result)
        return self.render_preview(checksum, entry, result)


class ImportConfirmView(_PendingImportMixin, View):
    """Write the stored upload; if something changed since the preview, show the preview again."""

    def post(self, request, checksum: str):
        entry = self.entry(checksum)  # a 404 for an upload used up or never made, before its size is asked
        if _as_job(checksum):
            tasks.start_job(user_id=request.user.pk, checksum=checksum, mode="confirm", entry=entry)
            return HttpResponseRedirect(reverse("culture:import_job", args=[checksum]))
        entry, result = self.run(checksum, dry_run=False)
        if not result.is_valid:
            pending.store_preview(request.user.pk, checksum, result)
            return self.render_preview(checksum, entry, result, status=400)
        pending.forget(request.session, checksum, user_id=request.user.pk)
        messages.success(request, f"{entry['filename']}: {summary_line(result)}")
        return HttpResponseRedirect(reverse("culture:importbatch_list"))


class ImportJobView(_PendingImportMixin, View):
    """The confirmation job of a big upload: its progress, then the import history (or the problems)."""

    def get(self, request, checksum: str):
        entry = self.entry(checksum)
        state = tasks.job_state(request.user.pk, checksum, "confirm")
        if state is None:
            raise Http404("No import job for this upload.")
        if state["status"] == "done":
            pending.forget(request.session, checksum, user_id=request.user.pk)
            tasks.clear_jobs(request.user.pk, checksum)
            messages.success(request, f"{entry['filename']}: {state['summary']}")
            return HttpResponseRedirect(reverse("culture:importbatch_list"))
        result = pending.stored_preview(request.user.pk, checksum)
        if state["status"] == "refused" and isinstance(result, ImportResult):
            tasks.clear_jobs(request.user.pk, checksum)
            return self.render_preview(checksum, entry, result, status=400)
        return self.render_job(checksum, entry, state, mode="confirm")


class ImportJobStatusView(_PendingImportMixin, View):
    """A job's state as JSON (status, rows checked, summary), for clients that poll."""

    def get(self, request, checksum: str, mode: str):
        self.entry(checksum)
        state = tasks.job_state(request.user.pk, checksum, mode) if mode in tasks.MODES else None
        if state is None:
            raise Http404("No import job for this upload.")
        return JsonResponse(state)


class ImportOptionsView(_PendingImportMixin, View):
    """How to read a waiting upload: its locale, its column mapping, optionally saved as a named preset."""

    def post(self, request, checksum: str):
        entry = self.entry(checksum)
        result = pending.stored_preview(request.user.pk, checksum)
        if not isinstance(result, ImportResult):
            entry, result = self.run(checksum, dry_run=True)
        form = self.options_form(entry, result, data=request.POST)
        if not form.is_valid():
            return self.render_preview(checksum, entry, result, status=400, form=form)
        data = form.cleaned_data
        choice = LocaleChoice(decimal=data["decimal"], date_order=data["date_order"], encoding=data["encoding"])
        source = (result.options or ImportOptions()).source
        options = ImportOptions(choice=choice, columns=form.column_mapping(), preset=data["save_as"], source=source)
        if data["save_as"]:
            save_preset(
                name=data["save_as"], kind=entry["kind"], header=form.header, options=options, user=request.user
            )
            messages.success(request, _("Saved the preset %(name)s.") % {"name": data["save_as"]})
        pending.remember(
            request.session,
            checksum=checksum,
            kind=entry["kind"],
            filename=entry["filename"],
            options=options.as_dict(),
        )
        _reread(request.user.pk, checksum)
        return HttpResponseRedirect(reverse("culture:import_preview", args=[checksum]))


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


class ImportTemplateView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A blank import file to download: the columns with example rows (CSV, or XLSX with instructions)."""

    permission_required = "culture.add_importbatch"
    scoping = "none: a blank template with example rows, the same for everyone who may import"

    def get(self, request, kind: str, file_format: str):
        if kind not in COLUMNS or file_format not in ("csv", "xlsx"):
            raise Http404("No such template.")
        filename = f"{kind}-template.{file_format}"
        if file_format == "csv":
            return csv_response(reimport.template_rows(kind), filename=filename)
        response = HttpResponse(reimport.template_xlsx(kind), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


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
    # `?_export=import` is the CSV "for re-import": the import's own columns, in the machine form.
    REIMPORT = "import"

    def get_export_format(self) -> str | None:
        if self.request.GET.get(self.export_trigger_param) == self.REIMPORT:
            return self.REIMPORT
        return super().get_export_format()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any):
        if self.get_export_format() == self.REIMPORT:
            queryset = context["table"].data.data.select_related(None)
            return csv_response(reimport.measurement_rows(queryset), filename="measurements-for-import.csv")
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query[self.export_trigger_param] = self.REIMPORT
        query.pop("page", None)
        context["list_actions"] = [(_("Export CSV for re-import"), f"?{query.urlencode()}")]
        return context

    def copy_select(self, table, columns):
        return copy_select(table.data.data, columns)


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


class KpiDetailView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, DetailView):
    """One KPI: its definition (the formula in words), how it is aggregated, and the targets the user may see."""

    permission_required = "culture.view_kpi"
    template_name = "culture/kpi_detail.html"
    model = Kpi
    slug_field = slug_url_kwarg = "code"
    context_object_name = "kpi"
    scoping = "none: the KPI catalogue is the same for every user; its targets go through Target.visible_to"
    targets_shown = 24

    @property
    def title(self) -> str:
        return str(self.object.name)

    def get_breadcrumbs(self):
        return [(str(_("KPI catalogue")), reverse("culture:kpi_list")), (str(self.object.name), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        targets = Target.objects.visible_to(self.request.user).filter(kpi=self.object)
        context["targets"] = targets.select_related("period", "department", "team").order_by(
            "-period__start", "team__name", "department__name"
        )[: self.targets_shown]
        context["targets_url"] = f"{reverse('culture:target_list')}?kpi={self.object.pk}"
        context["aggregation_formula"] = AGGREGATION_FORMULAS.get(self.object.aggregation, "")
        return context


# How each aggregation turns a period's rows into the actual (docs/kpi-maths.md, "Actuals from raw sums").
AGGREGATION_FORMULAS = {
    Kpi.Aggregation.RATIO: _("scale x Σ numerator / Σ denominator (pooled over days and teams, never averaged)"),
    Kpi.Aggregation.MEAN: _("Σ (value x n) / Σ n"),
    Kpi.Aggregation.SUM: _("Σ value"),
    Kpi.Aggregation.LAST: _("the latest value in the period"),
    Kpi.Aggregation.CHURN: _("scale x Σ lost / customers at the period's start (never a sum of daily bases)"),
    Kpi.Aggregation.RETENTION: _(
        "scale x (customers at the end - Σ gained) / customers at the period's start (never a sum of daily bases)"
    ),
}


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
        messages.success(self.request, _("Saved KPI %(code)s.") % {"code": self.object.code})
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
