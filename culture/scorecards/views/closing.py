"""Closing a period (the checklist, then the close with its reason) and reopening it (asked, then approved)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.forms import error_text
from core.views import BreadcrumbMixin

from ...models import Department, Period, Team
from ..closing import approve_reopen, close_checklist, current_closing, reject_reopen, request_reopen, withdraw_reopen
from ..periods import parse_period
from ..services import close_period


class _PeriodPage(BreadcrumbMixin, View):
    """A page about one period, named by its code in the URL (an unreadable code answers 404 later)."""

    code: str

    def dispatch(self, request, *args, **kwargs):
        try:
            self.code = parse_period(kwargs["code"]).code
        except ValueError:
            self.code = ""
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [(str(_("Periods")), reverse("culture:period_list")), (self.title, None)]  # type: ignore[attr-defined]


class PeriodCloseView(LoginRequiredMixin, PermissionRequiredMixin, _PeriodPage, TemplateView):
    """Confirmation page (GET) and the close itself (POST), for the CCO only."""

    permission_required = "culture.close_period"
    template_name = "culture/period_close.html"
    scoping = "none: the period calendar and company-wide counts, for the CCO who closes a period"

    @property
    def title(self) -> str:
        return _("Close %(period)s") % {"period": self.code}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = get_object_or_404(Period, code=self.code)
        checklist = [] if period.is_closed else close_checklist(period)
        context.update(
            {
                "period": period,
                "team_count": Team.objects.count(),
                "department_count": Department.objects.count(),
                "target_count": period.targets.count(),
                "review_count": period.reviews.count(),
                "checklist": checklist,
                "open_items": sum(item.count for item in checklist),
                "closing": current_closing(period.code) if period.is_closed else None,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        period = get_object_or_404(Period, code=self.code)
        reason = request.POST.get("reason", "")[:500]
        try:
            close_period(code=period.code, actor=request.user, reason=reason, reason_required_for_open_items=True)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return self.render_to_response(self.get_context_data(reason=reason), status=400)
        messages.success(request, _("Period %(code)s is closed; its scorecards are frozen.") % {"code": period.code})
        return HttpResponseRedirect(reverse("culture:period_list"))


class PeriodReopenView(LoginRequiredMixin, PermissionRequiredMixin, _PeriodPage, TemplateView):
    """Reopening a closed period: one executive asks with a reason (GET form, POST "request"); another
    approves (POST "approve") or refuses with a reason (POST "reject"); the one who asked may withdraw (POST
    "withdraw"). The page says who asked and why, and why a period cannot be reopened."""

    permission_required = "culture.close_period"
    template_name = "culture/period_reopen.html"
    scoping = "none: the period calendar and its closing versions, for the executives who close periods"

    @property
    def title(self) -> str:
        return _("Reopen %(period)s") % {"period": self.code}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = get_object_or_404(Period, code=self.code)
        closing = current_closing(period.code)
        context.update(
            {
                "period": period,
                "closing": closing,
                "versions": period.closings.order_by("-version").select_related("closed_by", "reopen_approved_by"),
                "may_approve": closing is not None
                and closing.reopen_pending
                and closing.reopen_requested_by_id != self.request.user.pk,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        period = get_object_or_404(Period, code=self.code)
        reason = request.POST.get("reason", "")[:1000]
        action = request.POST.get("action")
        here = HttpResponseRedirect(reverse("culture:period_reopen", kwargs={"code": period.code}))
        try:
            if action == "approve":
                approve_reopen(code=period.code, actor=request.user)
                messages.success(request, _("Period %(code)s is open again.") % {"code": period.code})
                return HttpResponseRedirect(reverse("culture:period_list"))
            if action == "reject":
                reject_reopen(code=period.code, actor=request.user, reason=reason)
                messages.success(request, _("Reopening refused: %(code)s stays closed.") % {"code": period.code})
                return here
            if action == "withdraw":
                withdraw_reopen(code=period.code, actor=request.user)
                messages.success(request, _("Your request to reopen %(code)s is withdrawn.") % {"code": period.code})
                return here
            request_reopen(code=period.code, actor=request.user, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            text = error_text(error) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return self.render_to_response(self.get_context_data(reason=reason), status=400)
        messages.success(request, _("Reopening asked for: another executive must approve it."))
        return HttpResponseRedirect(reverse("culture:period_reopen", kwargs={"code": period.code}))
