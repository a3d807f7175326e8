"""Reports pages: the archive of generated reports, requesting a report, and the CCO's value model per period."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin
from culture.scorecards import default_period_code, parse_period
from incentives.models import PayoutLine
from users.models import User
from users.throttles import VerifyThrottle

from .documents import get_kind, kind_label
from .filtersets import GeneratedReportFilterSet
from .forms import REQUEST_FORMS, ValueModelForm, VerifyReportForm
from .models import GeneratedReport, ValueModel
from .services import save_value_model
from .tables import GeneratedReportTable
from .tasks import request_report, retry_report
from .verification import verify_code, verify_file


class GeneratedReportListView(FilteredTableView):
    permission_required = ()
    table_class = GeneratedReportTable
    filterset_class = GeneratedReportFilterSet
    title = gettext_lazy("Report archive")
    export_name = "reports"
    queryset = GeneratedReport.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("requested_by")


class GeneratedReportDetailView(LoginRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = GeneratedReport
    template_name = "reports/generatedreport_detail.html"
    context_object_name = "report"

    def get_breadcrumbs(self):
        return [(str(_("Report archive")), reverse("reports:report_list")), (f"#{self.object.pk}", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind_label"] = kind_label(self.object.kind)
        context["deliveries"] = batch_deliveries(self.object)
        return context


def batch_deliveries(report: GeneratedReport) -> list[dict[str, Any]]:
    """A batch's emails: each lead, the team copy they were sent and the outbox's state of that email."""
    from core.models import Notification

    from .documents.batch import batch_event_key

    notes = list(report.notifications.select_related("recipient", "team", "report").order_by("team__name", "pk"))
    keys = {batch_event_key(report.pk, n.team_id, n.recipient_id): n for n in notes}
    outbox = {row.key: row for row in Notification.objects.filter(key__in=list(keys))}
    return [
        {
            "lead": note.recipient,
            "team": note.team,
            "copy": note.report,
            "queued_at": note.sent_at,
            "email": outbox.get(key),
        }
        for key, note in keys.items()
    ]


class _ReportMixin(LoginRequiredMixin, ScopedObjectMixin):
    """The URL's report among those the user may see: another's is a 404."""

    queryset = GeneratedReport.objects.all()


class GeneratedReportStatusView(_ReportMixin, View):
    """JSON polled by the detail page's progress bar."""

    def get(self, request, pk: int):
        report = self.get_object()
        return JsonResponse(
            {
                "status": report.status,
                "status_label": report.get_status_display(),
                "progress": report.progress,
                "error": report.error,
                "download_url": reverse("reports:report_download", kwargs={"pk": pk}) if report.is_done else None,
            }
        )


class GeneratedReportDownloadView(_ReportMixin, View):
    def get(self, request, pk: int):
        report = self.get_object()
        if not report.is_done or not report.file.name:  # what a FieldFile's truth means
            raise Http404("This report has no file yet.")
        filename = report.file.name.rsplit("/", 1)[-1].split("-", 2)[-1]
        return FileResponse(report.file.open("rb"), as_attachment=True, filename=filename)


class GeneratedReportRetryView(_ReportMixin, View):
    def post(self, request, pk: int):
        report = self.get_object()
        try:
            retry_report(report_id=report.pk)
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The report is queued again."))
        return HttpResponseRedirect(report.get_absolute_url())


class ReportRequestView(LoginRequiredMixin, TemplateView):
    """GET lists the forms the user may use (pre-filled from the query string); POST queues one request."""

    template_name = "reports/report_request.html"
    title = gettext_lazy("Reports")
    # The forms' team, department and person choices are scoped by the forms (user=...); the lists below
    # are the user's own reports and statements.
    scoping = "none: the request forms and the user's own recent reports and statement lines"

    def allowed_kinds(self) -> list[str]:
        user = self.request.user
        return [kind for kind in REQUEST_FORMS if user.has_perm(get_kind(kind).permission)]

    def get_context_data(self, forms: dict | None = None, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)  # login required
        initial = {"period": self.request.GET.get("period") or default_period_code()}
        if self.request.GET.get("team"):
            initial["team"] = self.request.GET["team"]
        forms = forms or {}
        for kind in self.allowed_kinds():
            forms.setdefault(kind, REQUEST_FORMS[kind](user=user, initial=initial, prefix=kind))
        context.update(
            {
                "title": self.title,
                "breadcrumbs": [(str(self.title), None)],
                "forms": forms,
                # The user's own lines as PayoutLine.visible_to shows them: a draft run's line may still change.
                "statements": PayoutLine.objects.visible_to(user)
                .filter(person__user=user)
                .select_related("run__plan__period")
                .order_by("-run__plan__period__start", "-run_id")[:12]
                if "incentive_statement" in forms
                else [],
                "recent": GeneratedReport.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:10],
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind", "")
        if kind not in REQUEST_FORMS:
            raise Http404("Unknown report kind.")
        if kind not in self.allowed_kinds():
            raise PermissionDenied
        form = REQUEST_FORMS[kind](request.POST, user=request.user, prefix=kind)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(forms={kind: form}), status=400)
        report = request_report(kind=kind, parameters=form.parameters(), user=request.user)
        if report.is_done:
            messages.success(request, _("This report is in the archive already: no need to build it again."))
            return HttpResponseRedirect(report.get_absolute_url())
        # A task run in-process (the local demo, eager Celery) has finished already: say so, not "queued".
        report.refresh_from_db(fields=["status"])
        if report.is_done:
            messages.success(request, _("Your report is ready to download."))
        else:
            messages.success(request, _("Your report is queued; this page shows its progress."))
        return HttpResponseRedirect(report.get_absolute_url())


class ValueModelListView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ListView):
    permission_required = "reports.view_valuemodel"
    template_name = "reports/valuemodel_list.html"
    title = gettext_lazy("Value model")
    queryset = ValueModel.objects.select_related("period", "updated_by")
    scoping = "none: the company's value model per period (one per period, no team's data), for the CCO"
    paginate_by = 50


class ValueModelEditView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    permission_required = "reports.change_valuemodel"
    template_name = "reports/valuemodel_form.html"
    form_class = ValueModelForm
    title = gettext_lazy("Edit value model")
    scoping = "none: the company's value model per period (one per period, no team's data), for the CCO"

    def get_breadcrumbs(self):
        return [(str(_("Value model")), reverse("reports:valuemodel_list")), (str(self.title), None)]

    def get_initial(self):
        code = self.request.GET.get("period", "")
        existing = ValueModel.objects.filter(period__code=code).first()
        if existing is None:
            # Prices are entered once and carried forward: start from the latest earlier model of the same kind.
            try:
                span = parse_period(code)
            except ValueError:
                span = None
            existing = ValueModel.objects.in_force(kind=span.kind.value, start=span.start) if span else None
        if existing is None:
            return {"period_code": code, "currency": settings.CENTRIC_CURRENCY}
        initial = {name: getattr(existing, name) for name in ValueModelForm.Meta.fields}
        return {**initial, "period_code": code}

    def form_valid(self, form):
        try:
            save_value_model(
                period_code=form.cleaned_data["period_code"],
                values=form.cleaned_data,
                actor=self.request.user,
            )
        except (ValueError, ValidationError) as error:
            if isinstance(error, ValidationError):
                add_service_errors(form, error)
            else:
                form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("Value model for %(period)s saved.") % {"period": form.cleaned_data["period_code"]}
        )
        return redirect("reports:valuemodel_list")


class VerifyReportView(BreadcrumbMixin, FormView):
    """Public: is this PDF (or this verification code) one we issued, and is it still in force? Throttled."""

    template_name = "reports/verify_report.html"
    form_class = VerifyReportForm
    title = gettext_lazy("Verify a report")
    scoping = "none: public; answers only genuine, superseded or unknown with a period and an issue date"

    def post(self, request, *args, **kwargs):
        throttle = VerifyThrottle()
        if not throttle.allow_request(request, self):  # type: ignore[arg-type]  # reads the address and cache only
            wait = throttle.wait()
            response = self.render_to_response(self.get_context_data(throttled=True), status=429)
            if wait is not None:
                response["Retry-After"] = str(int(wait) + 1)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        document = form.cleaned_data.get("document")
        verdict = verify_file(document.read()) if document is not None else verify_code(form.cleaned_data["code"])
        return self.render_to_response(self.get_context_data(form=form, verdict=verdict))
