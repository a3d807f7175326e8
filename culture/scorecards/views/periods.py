"""Periods (list, close with confirmation) and targets (list, create, edit, delete, bulk edit per scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors, error_text
from core.views import BreadcrumbMixin, FilteredTableView

from ...models import Department, Kpi, Period, Target, Team
from ..filtersets import PeriodFilterSet, TargetFilterSet
from ..forms import BulkScopeForm, TargetForm, TargetRowFormSet
from ..periods import parse_period
from ..scopes import load_org
from ..services import close_period, delete_target, save_scope_targets, save_target
from ..tables import PeriodTable, TargetTable


class PeriodListView(FilteredTableView):
    permission_required = "culture.view_period"
    table_class = PeriodTable
    filterset_class = PeriodFilterSet
    title = _("Periods")
    export_name = "periods"
    template_name = "culture/period_list.html"

    def get_queryset(self):
        return Period.objects.select_related("closed_by").order_by("-start", "kind")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_close"] = self.request.user.has_perm("culture.close_period")  # read by PeriodTable
        return context


class PeriodCloseView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, TemplateView):
    """Confirmation page (GET) and the close itself (POST), for the CCO only."""

    permission_required = "culture.close_period"
    template_name = "culture/period_close.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.code = parse_period(kwargs["code"]).code
        except ValueError:
            self.code = ""
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return f"Close {self.code}"

    def get_breadcrumbs(self):
        return [(str(_("Periods")), reverse("culture:period_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        period = get_object_or_404(Period, code=self.code)
        context.update(
            {
                "period": period,
                "team_count": Team.objects.count(),
                "department_count": Department.objects.count(),
                "target_count": period.targets.count(),
                "review_count": period.reviews.count(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        period = get_object_or_404(Period, code=self.code)
        try:
            close_period(code=period.code, actor=request.user, reason=request.POST.get("reason", "")[:500])
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Period {period.code} is closed; its scorecards are frozen.")
        return HttpResponseRedirect(reverse("culture:period_list"))


class TargetListView(FilteredTableView):
    permission_required = "culture.view_target"
    table_class = TargetTable
    filterset_class = TargetFilterSet
    title = _("Targets")
    export_name = "targets"
    template_name = "culture/target_list.html"

    def get_queryset(self):
        return (
            Target.objects.visible_to(self.request.user)
            .select_related("kpi", "period", "team", "department")
            .order_by("-period__start", "kpi__code", "team", "department")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.has_perm("culture.change_target")  # read by TargetTable
        context["departments"] = Department.objects.annotate(
            teams_count=Count("teams", filter=Q(teams__is_active=True))
        ).order_by("name")
        return context


class TargetFormView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    """Create a target, or edit one (`pk`); the service validates, audits and refuses closed periods."""

    form_class = TargetForm
    template_name = "culture/target_form.html"

    def get_permission_required(self):
        return ("culture.change_target",) if "pk" in self.kwargs else ("culture.add_target",)

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if "pk" in kwargs:
            self.object = get_object_or_404(Target.objects.select_related("kpi", "period"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return f"Edit target {self.object}" if self.object else str(_("New target"))

    def get_breadcrumbs(self):
        return [(str(_("Targets")), reverse("culture:target_list")), (self.title, None)]

    def get_initial(self):
        if self.object is not None:
            return TargetForm.initial_for(self.object)
        return {"period": self.request.GET.get("period", ""), "weight": 1, "min_sample": 0}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            save_target(
                actor=self.request.user,
                kpi=data["kpi"],
                period=data["period"],
                team=data["team"],
                department=data["department"],
                values=form.values(),
                target=self.object,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Target saved."))
        return HttpResponseRedirect(reverse("culture:target_list") + f"?period={data['period']}")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


class TargetDeleteView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, TemplateView):
    permission_required = "culture.delete_target"
    template_name = "culture/target_confirm_delete.html"
    title = _("Remove target")

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(Target.objects.select_related("kpi", "period"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [(str(_("Targets")), reverse("culture:target_list")), (str(self.title), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "object": self.object}

    def post(self, request, *args, **kwargs):
        try:
            delete_target(actor=request.user, target=self.object)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Target removed; the next less specific target applies."))
        return HttpResponseRedirect(reverse("culture:target_list"))


class TargetBulkView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, TemplateView):
    """Edit every KPI's target of one scope at once: the department itself or one of its teams."""

    permission_required = ("culture.add_target", "culture.change_target", "culture.delete_target")
    template_name = "culture/target_bulk.html"

    def dispatch(self, request, *args, **kwargs):
        self.department = get_object_or_404(Department, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return f"Targets of {self.department.name}"

    def get_breadcrumbs(self):
        return [(str(_("Targets")), reverse("culture:target_list")), (self.title, None)]

    def _scope(self, form: BulkScopeForm) -> dict[str, Any]:
        value = form.cleaned_data["scope"]
        if value.startswith("team-"):
            team = get_object_or_404(Team, pk=int(value.removeprefix("team-")), department=self.department)
            return {"team": team, "department": None, "label": team.name}
        return {"team": None, "department": self.department, "label": self.department.name}

    def _rows(self, scope, code: str) -> list[dict[str, Any]]:
        existing = {
            t.kpi_id: t
            for t in Target.objects.filter(period__code=code, team=scope["team"], department=scope["department"])
        }
        rows = []
        for kpi in Kpi.objects.all():
            target = existing.get(kpi.pk)
            row: dict[str, Any] = {"kpi": kpi.pk}
            if target is not None:
                row.update(
                    target_value=target.target_value.normalize(),
                    on_track_from=target.on_track_from.normalize(),
                    off_track_from=target.off_track_from.normalize(),
                    weight=target.weight.normalize(),
                    min_sample=target.min_sample,
                    noise_by_interval=target.noise_by_interval,
                )
            rows.append(row)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope_form = kwargs.get("scope_form") or BulkScopeForm(
            self.request.GET or None, department=self.department, initial={"scope": "department"}
        )
        context.update({"department": self.department, "scope_form": scope_form})
        if "formset" in kwargs:
            context["formset"] = kwargs["formset"]
        elif scope_form.is_bound and scope_form.is_valid():
            scope = self._scope(scope_form)
            context["formset"] = TargetRowFormSet(initial=self._rows(scope, scope_form.cleaned_data["period"]))
        if "formset" in context and scope_form.is_valid():
            scope = self._scope(scope_form)
            context["scope_label"] = scope["label"]
            kpis = {k.pk: k for k in Kpi.objects.all()}
            inherited = self._inherited(scope, scope_form.cleaned_data["period"])
            context["rows"] = [
                (form, kpis.get(int(form["kpi"].value())), inherited.get(int(form["kpi"].value())))
                for form in context["formset"].forms
                if form["kpi"].value()
            ]
        return context

    def _inherited(self, scope, code: str) -> dict[int, Target]:
        """Per KPI, the target that applies when this scope has none: up the department tree, then company."""
        org = load_org()
        chain = org.department_chain(self.department.pk)
        if scope["team"] is None:
            chain = chain[1:]
        found: dict[int, Target] = {}
        rank = {department: index for index, department in enumerate(chain)}
        targets = Target.objects.filter(period__code=code, team__isnull=True).select_related("department")
        for target in sorted(targets, key=lambda t: rank.get(t.department_id, len(chain))):
            if target.department_id is None or target.department_id in rank:
                found.setdefault(target.kpi_id, target)
        return found

    def post(self, request, *args, **kwargs):
        scope_form = BulkScopeForm(request.POST, department=self.department)
        formset = TargetRowFormSet(request.POST)
        if not (scope_form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(scope_form=scope_form, formset=formset))
        scope = self._scope(scope_form)
        try:
            counts = save_scope_targets(
                actor=request.user,
                period=scope_form.cleaned_data["period"],
                team=scope["team"],
                department=scope["department"],
                rows=[(form.cleaned_data["kpi"], form.values()) for form in formset.forms],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(scope_form=scope_form, formset=formset))
        messages.success(
            request,
            f"Targets of {scope['label']} saved: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['deleted']} removed, {counts['unchanged']} unchanged.",
        )
        return HttpResponseRedirect(reverse("culture:target_list") + f"?period={scope_form.cleaned_data['period']}")
