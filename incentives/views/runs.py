"""Payout run pages: start, show (payroll export), recalculate, approve, pay and correct a run."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import error_text
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin
from users.models import User

from .. import approvals, services
from ..explain import money_text
from ..filtersets import PayoutLineFilterSet
from ..forms import AdjustmentForm
from ..models import Adjustment, ImmutableRunError, PayoutLine, PayoutRun, PayrollFile, Plan, RetainedPayee
from ..tables import PayoutLineTable
from ..tasks import calculate_payouts_task


class RunCreateView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST: a new draft run for the plan, computed by a task once the transaction commits."""

    permission_required = "incentives.add_payoutrun"
    queryset = Plan.objects.all()

    def post(self, request, pk):
        plan = self.get_object()
        try:
            run = services.create_payout_run(plan=plan, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return HttpResponseRedirect(plan.get_absolute_url())
        calculate_payouts_task.delay_on_commit(run.pk)
        messages.success(request, _("Payout run #%(pk)s is being calculated.") % {"pk": run.pk})
        return HttpResponseRedirect(run.get_absolute_url())


class RunDetailView(FilteredTableView):
    """A run's lines (scoped: leads see their teams' people) with the payroll export."""

    permission_required = "incentives.view_payoutline"
    table_class = PayoutLineTable
    filterset_class = PayoutLineFilterSet
    template_name = "incentives/payoutrun_detail.html"

    queryset = PayoutLine.objects.all()

    @cached_property
    def run(self) -> PayoutRun:
        runs = PayoutRun.objects.visible_to(self.request.user).select_related("plan__period", "prepared_by")
        run = runs.filter(pk=self.kwargs["pk"]).first()
        if run is None:
            raise Http404("No such payout run.")
        self.title = _("%(plan)s · run #%(run)s") % {"plan": run.plan.name, "run": run.pk}
        return run

    def get_export_filename(self, export_format: str) -> str:
        return f"payout-run-{self.run.pk}.{export_format}"

    def refine_queryset(self, queryset):
        # The payroll record: a paid run names an erased payee as they were paid (RetainedPayee), everyone else
        # by their current name.
        retained = RetainedPayee.objects.filter(run=OuterRef("run"), person=OuterRef("person")).values("name")[:1]
        return (
            queryset.filter(run=self.run)
            .with_adjustments()
            .select_related("person", "team", "run")
            .annotate(payee=Coalesce(Subquery(retained), F("person__name")))
            .order_by("payee", "pk")
        )

    def get_breadcrumbs(self):
        plan = self.run.plan
        return [
            (str(_("Incentive plans")), reverse("incentives:plan_list")),
            (plan.name, plan.get_absolute_url()),
            (_("Run #%(run)s") % {"run": self.run.pk}, None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = cast(User, self.request.user)  # login required
        context["run"] = self.run
        context["is_executive"] = user.is_executive or approvals.may_approve(user)  # the run's facts and totals
        is_draft = self.run.status == PayoutRun.Status.DRAFT
        context["can_approve"] = approvals.may_approve(user) and is_draft
        context["can_request_approval"] = (
            user.has_perm("incentives.add_payoutrun") and is_draft and self.run.computed_at is not None
        )
        context["can_issue_payroll"] = user.has_perm("incentives.pay_payoutrun") and self.run.is_locked
        context["payroll_files"] = PayrollFile.objects.visible_to(user).filter(run=self.run)
        context["adjustments_total"] = self.run.adjustments_total
        context["can_pay"] = user.has_perm("incentives.pay_payoutrun") and self.run.status == PayoutRun.Status.APPROVED
        context["can_recalculate"] = user.has_perm("incentives.add_payoutrun") and not self.run.is_locked
        context["can_delete"] = context["can_recalculate"]
        context["can_adjust"] = user.has_perm("incentives.add_adjustment") and self.run.is_locked
        context["adjustments"] = (
            Adjustment.objects.visible_to(user).filter(run=self.run).with_approval_count().select_related("person")
        )
        return context


class RunActionView(LoginRequiredMixin, PermissionRequiredMixin, ScopedObjectMixin, View):
    """POST-only state changes; errors become messages, never a changed approved run."""

    queryset = PayoutRun.objects.all()

    def action(self, run_id: int) -> str:
        raise NotImplementedError

    def post(self, request, pk):
        run = self.get_object()
        try:
            messages.success(request, self.action(run.pk))
        except (ValidationError, ImmutableRunError, PermissionDenied) as error:
            text = error_text(error) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        return HttpResponseRedirect(run.get_absolute_url())


class RunRecalculateView(RunActionView):
    permission_required = "incentives.add_payoutrun"

    def action(self, run_id):
        run = services.calculate_payouts(run_id=run_id, actor=self.request.user)
        return _("Run #%(run)s recalculated: %(count)s lines, %(total)s.") % {
            "run": run.pk,
            "count": run.line_count,
            "total": money_text(run.total, run.currency),
        }


@method_decorator(reauthentication_required, name="dispatch")
class RunApproveView(RunActionView):
    """Approval needs the permission, a fresh re-authentication, and no hand in the run (see `approvals`)."""

    permission_required = "incentives.approve_payoutrun"

    def action(self, run_id):
        run = services.approve_payout_run(run_id=run_id, actor=self.request.user)
        return _("Run #%(run)s approved; it can no longer change.") % {"run": run.pk}


class RunPayView(RunActionView):
    permission_required = "incentives.pay_payoutrun"

    def action(self, run_id):
        run = services.mark_payout_run_paid(run_id=run_id, actor=self.request.user)
        return _("Run #%(run)s marked paid.") % {"run": run.pk}


class RunDeleteView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView):
    """Asks first, then discards a draft run (approved and paid runs refuse), audited."""

    permission_required = "incentives.add_payoutrun"
    queryset = PayoutRun.objects.select_related("plan__period")
    template_name = "incentives/run_confirm_delete.html"
    title = _("Discard a draft run")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.object = self.run = self.get_object()
            if self.run.is_locked:
                messages.error(request, _("An approved or paid run cannot be deleted; correct it with adjustments."))
                return HttpResponseRedirect(self.run.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        plan = self.run.plan
        return [
            (str(_("Incentive plans")), reverse("incentives:plan_list")),
            (plan.name, plan.get_absolute_url()),
            (_("Run #%(run)s") % {"run": self.run.pk}, self.run.get_absolute_url()),
            (str(self.title), None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "run": self.run}

    def post(self, request, *args, **kwargs):
        plan = self.run.plan
        try:
            services.delete_draft_run(run_id=self.run.pk, actor=request.user)
        except ImmutableRunError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self.run.get_absolute_url())
        messages.success(request, _("Draft run #%(run)s deleted.") % {"run": self.kwargs["pk"]})
        return HttpResponseRedirect(plan.get_absolute_url())


class AdjustmentCreateView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, FormView):
    permission_required = "incentives.add_adjustment"
    form_class = AdjustmentForm
    template_name = "incentives/form.html"
    title = _("Correct an approved run")
    queryset = PayoutRun.objects.all()

    @cached_property
    def run(self) -> PayoutRun:
        return self.get_object()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.run
        return super().get_context_data(**kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "run": self.run}

    def form_valid(self, form):
        try:
            services.add_adjustment(
                run_id=self.run.pk,
                person_id=form.cleaned_data["person"].pk,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                reason_code=form.cleaned_data["reason_code"],
                actor=self.request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.run.get_absolute_url())
