"""Consent pages: the approval pack, asking for approval, approving adjustments, payroll files. Thin."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView

from core.forms import error_text
from core.views import BreadcrumbMixin, ScopedObjectMixin, ScopedQuerysetMixin
from users.models import User

from .. import approvals, gaming, payroll
from ..forms import RunReturnForm
from ..models import Adjustment, ImmutableRunError, PayoutRun, PayrollFile
from ..pack import approval_pack
from .runs import RunActionView


class RunApprovalView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    """The approval pack: totals and change, distribution, gated-out teams, adjustments, largest lines."""

    model = PayoutRun
    permission_required = "incentives.view_payoutrun"
    template_name = "incentives/payoutrun_approval.html"
    context_object_name = "run"

    def refine_queryset(self, queryset):
        return queryset.select_related("plan__period", "prepared_by", "approved_by")

    def get_breadcrumbs(self):
        run = self.object
        return [
            (str(_("Incentive plans")), reverse("incentives:plan_list")),
            (run.plan.name, run.plan.get_absolute_url()),
            (str(_("Run #%(run)s") % {"run": run.pk}), run.get_absolute_url()),
            (str(_("Approval pack")), None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)  # login required
        run = self.object
        context["title"] = _("Approval pack · run #%(run)s") % {"run": run.pk}
        context["pack"] = approval_pack(run)
        context["signals"] = gaming.gaming_signals(plan=run.plan)
        refusal = None
        if run.status == PayoutRun.Status.DRAFT:
            try:
                approvals.check_run_approval(run, user)
            except (PermissionDenied, ValidationError) as error:
                refusal = error_text(error) if isinstance(error, ValidationError) else str(error)
        context["can_approve"] = run.status == PayoutRun.Status.DRAFT and refusal is None
        context["refusal"] = refusal
        context["may_approve_adjustments"] = approvals.may_approve(user)
        context["user_id"] = user.pk
        return context


class RunReturnView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, FormView):
    """An approver sends a run awaiting approval back to its preparer, saying why."""

    permission_required = "incentives.approve_payoutrun"
    form_class = RunReturnForm
    template_name = "incentives/form.html"
    title = _("Return the run to its preparer")
    queryset = PayoutRun.objects.all()

    @cached_property
    def run(self) -> PayoutRun:
        return self.get_object()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.run
        return super().get_context_data(**kwargs)

    def has_permission(self) -> bool:
        """The permission and an approving role: a superuser flag alone opens no form it cannot submit."""
        return super().has_permission() and approvals.may_approve(self.request.user)

    def get_breadcrumbs(self):
        return [
            (str(_("Incentive plans")), reverse("incentives:plan_list")),
            (str(_("Run #%(run)s") % {"run": self.run.pk}), self.run.get_absolute_url()),
            (str(_("Approval pack")), reverse("incentives:run_approval", kwargs={"pk": self.run.pk})),
            (str(self.title), None),
        ]

    def form_valid(self, form):
        try:
            approvals.return_run(run_id=self.run.pk, actor=self.request.user, reason=form.cleaned_data["reason"])
        except PermissionDenied:
            raise
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Run #%(run)s returned to its preparer.") % {"run": self.run.pk})
        return HttpResponseRedirect(self.run.get_absolute_url())


class RunRequestApprovalView(RunActionView):
    """POST: email every approver who had no hand in the run and list it on their home page."""

    permission_required = "incentives.add_payoutrun"

    def action(self, run_id):
        sent = approvals.request_approval(run_id=run_id, actor=self.request.user)
        return _("Approval requested from %(count)s approver(s).") % {"count": len(sent)}


class AdjustmentApproveView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST: one approval of an adjustment drafted by someone else."""

    permission_required = "incentives.approve_payoutrun"
    queryset = Adjustment.objects.all()

    def post(self, request, pk):
        adjustment = self.get_object()
        try:
            approvals.approve_adjustment(adjustment_id=adjustment.pk, actor=request.user)
            messages.success(request, _("Adjustment approved."))
        except (ValidationError, PermissionDenied, ImmutableRunError) as error:
            messages.error(request, error_text(error) if isinstance(error, ValidationError) else str(error))
        return HttpResponseRedirect(reverse("incentives:run_approval", kwargs={"pk": adjustment.run_id}))


class PayrollFileIssueView(RunActionView):
    """POST: issue the run's next payroll file (its lines first, then approved changes)."""

    permission_required = "incentives.pay_payoutrun"

    def action(self, run_id):
        issued = payroll.issue_payroll_file(run_id=run_id, actor=self.request.user)
        return _("Payroll file %(name)s issued: %(rows)s rows.") % {"name": issued, "rows": issued.rows}


@method_decorator(reauthentication_required, name="dispatch")
class PayrollFileDownloadView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """GET: the stored payroll file, exactly as issued (its checksum is on the run page)."""

    permission_required = "incentives.view_payrollfile"
    queryset = PayrollFile.objects.all()

    def get(self, request, pk):
        issued = self.get_object()
        content, _total = payroll.read_payroll_file(issued)
        response = FileResponse(iter([content]), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{issued}.csv"'
        return response
