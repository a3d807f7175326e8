"""Incentive statements: the payout lines a user may read, one line explained in words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.formatting import format_percent_spaced
from core.views import BreadcrumbMixin, FilteredTableView, ScopedQuerysetMixin
from culture.scorecards import parse_period

from ..explain import component_table
from ..filtersets import PayoutLineFilterSet
from ..models import Adjustment, PayoutLine, PayoutStint, StatementDispute
from ..tables import StatementTable


class StatementListView(FilteredTableView):
    """Statements the user may read: their own; leads their teams'; the CCO all."""

    permission_required = "incentives.view_payoutline"
    table_class = StatementTable
    filterset_class = PayoutLineFilterSet
    title = _("Incentive statements")
    export_name = "incentive-statements"
    queryset = PayoutLine.objects.all()

    def refine_queryset(self, queryset):
        return (
            queryset.with_adjustments()
            .select_related("run__plan__period", "person")
            .order_by("-run__plan__period__start", "person__name", "-run_id")
        )


class StatementDetailView(
    LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView
):
    """One person's line in one run, every number in words. Another person's statement is a 404."""

    model = PayoutLine
    permission_required = "incentives.view_payoutline"
    template_name = "incentives/statement_detail.html"
    context_object_name = "line"

    def get_queryset(self):
        stints = PayoutStint.objects.select_related("team").order_by("pk")
        return (
            super()
            .get_queryset()
            .select_related("run__plan__period", "person", "team", "breakdown")
            .prefetch_related(Prefetch("breakdown__stints", queryset=stints))
        )

    def get_breadcrumbs(self):
        return [(str(_("Incentive statements")), reverse("incentives:statement_list")), (str(self.object.person), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        line = self.object
        adjustments = Adjustment.objects.approved().filter(run_id=line.run_id, person_id=line.person_id)
        adjusted = sum((a.amount for a in adjustments), Decimal(0))
        context["adjustments"] = adjustments
        context["final_amount"] = line.amount + (adjusted or 0)
        context["currency"] = line.run.currency
        context["title"] = f"{line.run.plan.name}: {line.person.name}"
        context.update(statement_figures(line, self.request.user))
        user = self.request.user
        context["disputes"] = StatementDispute.objects.visible_to(user).filter(line=line)
        context["can_question"] = user.has_perm("incentives.add_statementdispute") and line.run.is_locked
        return context


def statement_figures(line: PayoutLine, user) -> dict[str, Any]:
    """What the page and the PDF show alike: one precision, ineligible days, rows per component, and
    no figures of a team the reader may not see."""
    hidden = set(line.teams_hidden_from(user))
    stints = list(line.stints.all())
    period_days = parse_period(line.run.plan.period.code).days
    return {
        "proration_pct": format_percent_spaced(line.proration * 100, 1, get_language()),
        "period_days": period_days,
        "ineligible_days": max(period_days - sum(s.days for s in stints), 0),
        "stint_tables": [
            {
                "team": s.team.name,
                "days": s.days,
                "proration_pct": format_percent_spaced(s.proration * 100, 1, get_language()),
                "gates_met": s.gates_met,
                "hidden": s.team_id in hidden,
                "components": component_table(s.components, hidden=s.team_id in hidden),
            }
            for s in stints
        ],
        "moved": len(stints) > 1,
    }
