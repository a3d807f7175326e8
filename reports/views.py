from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedQuerysetMixin

from .documents import kind_label
from .filtersets import GeneratedReportFilterSet
from .models import GeneratedReport
from .services import retry_report
from .tables import GeneratedReportTable


class GeneratedReportListView(FilteredTableView):
    permission_required = ()
    table_class = GeneratedReportTable
    filterset_class = GeneratedReportFilterSet
    title = gettext_lazy("Report archive")
    export_name = "reports"

    def get_queryset(self):
        return GeneratedReport.objects.visible_to(self.request.user).select_related("requested_by")


class GeneratedReportDetailView(LoginRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = GeneratedReport
    template_name = "reports/generatedreport_detail.html"
    context_object_name = "report"

    def get_breadcrumbs(self):
        return [(str(_("Report archive")), reverse("reports:report_list")), (f"#{self.object.pk}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind_label"] = kind_label(self.object.kind)
        return context


def _visible_report(request, pk: int) -> GeneratedReport:
    return get_object_or_404(GeneratedReport.objects.visible_to(request.user), pk=pk)


class GeneratedReportStatusView(LoginRequiredMixin, View):
    """JSON polled by the detail page's progress bar."""

    def get(self, request, pk: int):
        report = _visible_report(request, pk)
        return JsonResponse(
            {
                "status": report.status,
                "status_label": report.get_status_display(),
                "progress": report.progress,
                "error": report.error,
                "download_url": reverse("reports:report_download", kwargs={"pk": pk}) if report.is_done else None,
            }
        )


class GeneratedReportDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        report = _visible_report(request, pk)
        if not report.is_done or not report.file:
            raise Http404("This report has no file yet.")
        filename = report.file.name.rsplit("/", 1)[-1].split("-", 2)[-1]
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename)


class GeneratedReportRetryView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        report = _visible_report(request, pk)
        try:
            retry_report(report_id=report.pk)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is queued again."))
        return HttpResponseRedirect(report.get_absolute_url())
