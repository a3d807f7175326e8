"""Incentive plan pages: the plans, their components and overrides, what-if and spend vs KPI movement."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, TemplateView, UpdateView

from core.forms import error_text
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin
from core.viewtypes import ModelFormViewBase, ViewBase
from culture.models import Person, Team
from users.models import User
from users.roles import Role

from .. import analysis, gaming, services
from ..explain import render_component, stint_components_json
from ..filtersets import PlanFilterSet
from ..forms import ComponentForm, OverrideForm, PlanForm, WhatIfForm
from ..models import Component, PayoutRun, Plan
from ..tables import PlanTable


class PlanListView(FilteredTableView):
    permission_required = "incentives.view_plan"
    table_class = PlanTable
    filterset_class = PlanFilterSet
    title = _("Incentive plans")
    export_name = "incentive-plans"
    queryset = Plan.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("period").order_by("-period__start", "name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("incentives.add_plan"):
            context["list_actions"] = [(_("New plan"), reverse("incentives:plan_create"))]
        return context


class PlanDetailView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = Plan
    permission_required = "incentives.view_plan"
    template_name = "incentives/plan_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("period")

    def get_breadcrumbs(self):
        return [(str(_("Incentive plans")), reverse("incentives:plan_list")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["components"] = self.object.components.select_related("kpi")
        context["runs"] = PayoutRun.objects.visible_to(user).filter(plan=self.object)
        context["teams"] = self.object.eligible_teams.all()
        context["departments"] = self.object.eligible_departments.all()
        context["can_change"] = user.has_perm("incentives.change_plan")
        context["is_locked"] = self.object.is_locked
        context["locked_message"] = services.LOCKED_PLAN_MESSAGE
        context["can_run"] = user.has_perm("incentives.add_payoutrun")
        if context["can_change"]:
            context["overrides"] = self.object.overrides.select_related("person").order_by("person__name")
        return context


class PlanFormMixin(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ModelFormViewBase):
    model = Plan
    form_class = PlanForm
    template_name = "incentives/form.html"

    def form_valid(self, form):
        plan = form.save(commit=False)
        try:
            services.save_plan(plan=plan, actor=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        services.set_plan_eligibility(
            plan=plan,
            teams=form.cleaned_data["eligible_teams"],
            departments=form.cleaned_data["eligible_departments"],
            actor=self.request.user,
        )
        return HttpResponseRedirect(plan.get_absolute_url())


class PlanCreateView(PlanFormMixin, CreateView):
    permission_required = "incentives.add_plan"
    title = _("New incentive plan")
    scoping = "none: the form for a new plan; its eligible teams are chosen by the CCO, who sees every team"


class PlanUpdateView(PlanFormMixin, ScopedObjectMixin, UpdateView):
    """Edits a plan; once a run is approved or paid only the status stays editable (the rest is shown, disabled)."""

    permission_required = "incentives.change_plan"
    title = _("Edit incentive plan")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object.is_locked:
            for name, field in form.fields.items():
                # Disabled fields keep their stored value whatever is posted.
                field.disabled = name != "status"
        return form

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.object.is_locked:
            context["notice"] = services.LOCKED_PLAN_MESSAGE
        return context


class LockedPlanRedirectMixin(ViewBase):
    """Pages that change a plan's rules send a locked plan's editors back to the plan, saying why."""

    def plan_id(self) -> int:
        return self.kwargs["plan_pk"] if "plan_pk" in self.kwargs else self.kwargs["pk"]

    def get_plan(self) -> Plan:
        """The URL's plan; views whose object is the plan itself look it up in their scoped queryset."""
        return self.get_object()  # type: ignore[attr-defined]

    def dispatch(self, request, *args, **kwargs):
        # Runs after the login and permission mixins (listed before this one), so the user may change plans.
        plan = self.get_plan()
        if plan.is_locked:
            messages.error(request, services.LOCKED_PLAN_MESSAGE)
            return HttpResponseRedirect(plan.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)


class OverrideView(
    LoginRequiredMixin, PermissionRequiredMixin, LockedPlanRedirectMixin, BreadcrumbMixin, ScopedObjectMixin, FormView
):
    """Set or remove one person's own target amount in a plan."""

    permission_required = "incentives.change_plan"
    queryset = Plan.objects.all()
    form_class = OverrideForm
    template_name = "incentives/form.html"
    title = _("Target amount override")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = self.get_plan()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        plan = self.get_plan()
        try:
            services.set_override(
                plan=plan,
                person_id=form.person.pk,
                target_amount=form.cleaned_data["target_amount"],
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(plan.get_absolute_url())


class ComponentFormMixin(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    LockedPlanRedirectMixin,
    BreadcrumbMixin,
    ScopedObjectMixin,
    ModelFormViewBase,
):
    queryset = Component.objects.all()
    form_class = ComponentForm
    permission_required = "incentives.change_plan"
    template_name = "incentives/form.html"
    title = _("Plan component")

    def refine_queryset(self, queryset):
        return queryset.filter(plan_id=self.kwargs["plan_pk"])

    def get_plan(self) -> Plan:
        """The URL's plan, among those the user may see (another's is a 404, as its components are)."""
        plan = Plan.objects.visible_to(self.request.user).filter(pk=self.kwargs["plan_pk"]).first()
        if plan is None:
            raise Http404("No such plan.")
        return plan

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if kwargs.get("instance") is None:
            kwargs["instance"] = Component(plan=self.get_plan())
        return kwargs

    def form_valid(self, form):
        try:
            services.save_component(component=form.save(commit=False), actor=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(form.instance.plan.get_absolute_url())


class ComponentCreateView(ComponentFormMixin, CreateView):
    pass


class ComponentUpdateView(ComponentFormMixin, UpdateView):
    pass


class ComponentDeleteView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    LockedPlanRedirectMixin,
    BreadcrumbMixin,
    ScopedObjectMixin,
    TemplateView,
):
    """Asks first, then removes a component of a plan whose rules may still change (audited)."""

    permission_required = "incentives.change_plan"
    queryset = Component.objects.select_related("plan", "kpi")
    template_name = "incentives/component_confirm_delete.html"
    title = _("Remove a plan component")

    def refine_queryset(self, queryset):
        return queryset.filter(plan_id=self.kwargs["plan_pk"])

    def get_plan(self) -> Plan:
        return self.component.plan

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.object = self.component = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs(self):
        plan = self.component.plan
        return [
            (str(_("Incentive plans")), reverse("incentives:plan_list")),
            (plan.name, plan.get_absolute_url()),
            (str(self.title), None),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "component": self.component}

    def post(self, request, *args, **kwargs):
        plan = self.component.plan
        try:
            services.delete_component(component=self.component, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Component removed. Recalculate draft runs to apply it."))
        return HttpResponseRedirect(plan.get_absolute_url())


class WhatIfView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, FormView):
    """Change hypothetical KPI actuals and see the payout, computed by the run's own code."""

    permission_required = "incentives.view_plan"
    queryset = Plan.objects.select_related("period")
    form_class = WhatIfForm
    template_name = "incentives/what_if.html"
    title = _("What if")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_permission():
            return self.handle_no_permission()
        self.object = self.plan = self.get_object()
        self.components = list(self.plan.components.select_related("kpi").order_by("position", "pk"))
        self.covered = analysis.covered_memberships(plan=self.plan, people=Person.objects.visible_to(request.user))
        self.team = self._team(request)
        self.person = self._person(request)
        self.baseline = None
        if self.person is not None:
            self.baseline = analysis.what_if(plan=self.plan, person_id=self.person.pk, overrides={})
        if self.baseline is None:  # nobody chosen, or nobody the plan covers: the pickers only
            return self.render_to_response(self.get_context_data(form=None))
        return super().dispatch(request, *args, **kwargs)

    def _choice(self, request, name: str) -> str:
        return str(request.GET.get(name) or request.POST.get(name) or "").strip()

    def _team(self, request) -> Team | None:
        """The chosen team among the teams the plan covers that hold someone the user may see."""
        team_id = self._choice(request, "team")
        if not team_id:
            return None
        team = Team.objects.filter(pk__in=self.covered.values("team_id"), pk=team_id if team_id.isdigit() else 0)
        found = team.first()
        if found is None:
            messages.error(request, _("The plan covers nobody you can see in that team: pick a team from the list."))
        return found

    def _person(self, request) -> Person | None:
        """The chosen person if the plan covers them (else a message and the pickers); by default the user
        themselves or the first covered person (of the chosen team)."""
        covered = self.covered if self.team is None else self.covered.filter(team=self.team)
        people = Person.objects.filter(pk__in=covered.values("person_id"))
        person_id = self._choice(request, "person")
        if person_id:
            person = people.filter(pk=person_id if person_id.isdigit() else 0).first()
            if person is None:
                messages.error(
                    request,
                    _("That person is not covered by this plan (or not in that team): pick someone from the list."),
                )
            return person
        return people.filter(user=request.user).first() or people.order_by("name").first()

    def get_form_kwargs(self):
        assert self.baseline is not None  # dispatch renders the pickers alone without one
        first = self.baseline.stints[-1] if self.baseline.stints else None
        actuals = {c.key: c.actual for c in first.components} if first else {}
        return {**super().get_form_kwargs(), "components": self.components, "initial_actuals": actuals}

    def get_breadcrumbs(self):
        return [
            (str(_("Incentive plans")), reverse("incentives:plan_list")),
            (self.plan.name, self.plan.get_absolute_url()),
            (str(_("What if")), None),
        ]

    def _explained(self, result):
        return [
            {
                "team": stint.team_label,
                "days": stint.days,
                "sentences": [
                    render_component(row) for row in stint_components_json(stint, self.components, self.plan.currency)
                ],
            }
            for stint in result.stints
        ]

    def form_valid(self, form):
        assert self.person is not None  # dispatch shows the pickers alone without a person
        result = analysis.what_if(plan=self.plan, person_id=self.person.pk, overrides=form.overrides())
        return self.render_to_response(self.get_context_data(form=form, result=result))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(plan=self.plan, person=self.person, baseline=self.baseline, currency=self.plan.currency)
        user = cast(User, self.request.user)  # dispatch let only signed-in users through
        if not user.has_role(Role.EMPLOYEE) or user.is_executive:
            context["teams"] = Team.objects.filter(pk__in=self.covered.values("team_id")).order_by("name")
            context["team"] = self.team
            if self.team is not None:
                people = self.covered.filter(team=self.team).values("person_id")
                context["people"] = Person.objects.filter(pk__in=people).order_by("name")
        if self.baseline is None:
            return context
        context["baseline_explained"] = self._explained(self.baseline)
        if kwargs.get("result") is not None:
            context["result_explained"] = self._explained(kwargs["result"])
        return context


class PlanImpactView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView):
    """Spend of a plan against the KPI movement of covered versus uncovered teams."""

    permission_required = "incentives.view_payoutrun"
    template_name = "incentives/plan_impact.html"
    title = _("Spend and KPI movement")
    queryset = Plan.objects.select_related("period")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.object = plan = self.get_object()
        context = super().get_context_data(**kwargs)
        context["impact"] = analysis.plan_impact(plan=plan)
        context["signals"] = gaming.gaming_signals(plan=plan)
        context["plan"] = plan
        return context
