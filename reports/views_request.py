"""The Reports page: ask for a board report, a team scorecard, a statement or the batch; thin (one service call)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from culture.scorecards import default_period_code
from incentives.models import PayoutLine

from .documents import get_kind
from .forms_request import REQUEST_FORMS
from .models import GeneratedReport
from .services import request_report


class ReportRequestView(LoginRequiredMixin, TemplateView):
    """GET lists the forms the user may use (pre-filled from the query string); POST queues one request."""

    template_name = "reports/report_request.html"
    title = gettext_lazy("Reports")

    def allowed_kinds(self) -> list[str]:
        user = self.request.user
        return [kind for kind in REQUEST_FORMS if user.has_perm(get_kind(kind).permission)]

    def get_context_data(self, forms: dict | None = None, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
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
