"""Periods (list, close with confirmation) and targets (list, create, edit, delete, bulk edit per scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors, error_text
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin

from ...models import Department, Kpi, Period, Target, Team
from ..filtersets import PeriodFilterSet, TargetFilterSet
from ..forms import BulkScopeForm, CopyForwardForm, PhaseForm, TargetForm, TargetRowFormSet, chosen_profile
from ..scopes import load_org
from ..services import delete_target, save_target
from ..tables import PeriodTable, TargetTable
from ..target_plans import (
    copy_forward,
    phase_annual_target,
    phase_preview,
    plan_copy_forward,
    save_scope_targets_phased,
)


class PeriodListView(FilteredTableView):
    permission_required = "culture.view_period"
    table_class = PeriodTable
    filterset_class = PeriodFilterSet
    title = _("Periods")
    export_name = "periods"
    template_name = "culture/period_list.html"
    queryset = Period.objects.select_related("closed_by").order_by("-start", "kind")
    scoping = "none: the period calendar is the same for every user"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_close"] = self.request.user.has_perm("culture.close_period")  # read by PeriodTable
        return context


class TargetListView(FilteredTableView):
    permission_required = "culture.view_target"
    table_class = TargetTable
    filterset_class = TargetFilterSet
    title = _("Targets")
    export_name = "targets"
    template_name = "culture/target_list.html"
    queryset = Target.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("kpi", "period", "team", "department", "phased_from__period").order_by(
            "-period__start", "kpi__code", "team", "department"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.request.user.has_perm("culture.change_target")  # read by TargetTable
        context["departments"] = (
            Department.objects.visible_to(self.request.user)
            .annotate(teams_count=Count("teams", filter=Q(teams__is_active=True)))
            .order_by("name")
        )
        return context


class TargetFormView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, FormView):
    """Create a target, or edit one (`pk`); the service validates, audits and refuses closed periods."""

    form_class = TargetForm
    template_name = "culture/target_form.html"
    queryset = Target.objects.select_related("kpi", "period")

    def get_permission_required(self):
        return ("culture.change_target",) if "pk" in self.kwargs else ("culture.add_target",)

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        # Looked up once the user is known: the scope is theirs, and without the permission it is a 403 anyway.
        if "pk" in kwargs and request.user.is_authenticated and self.has_permission():
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return _("Edit target %(target)s") % {"target": self.object} if self.object else str(_("New target"))

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


class TargetDeleteView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView):
    permission_required = "culture.delete_target"
    template_name = "culture/target_confirm_delete.html"
    title = _("Remove target")
    queryset = Target.objects.select_related("kpi", "period")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.object = self.get_object()
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


class TargetBulkView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView):
    """Every KPI's target of one scope and period (month, quarter or year) on one page, saved all or nothing.

    Without a department: the company or any department. With one (`slug`): the department or one of its teams.
    """

    permission_required = ("culture.add_target", "culture.change_target", "culture.delete_target")
    template_name = "culture/target_bulk.html"
    queryset = Department.objects.all()

    def dispatch(self, request, *args, **kwargs):
        # Without a slug the page is about the company or any department; with one, about that department.
        self.object = self.department = None
        if "slug" in kwargs and request.user.is_authenticated and self.has_permission():
            self.object = self.department = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        if self.department is None:
            return str(_("Company and department targets"))
        return _("Targets of %(department)s") % {"department": self.department.name}

    def get_breadcrumbs(self):
        return [(str(_("Targets")), reverse("culture:target_list")), (self.title, None)]

    def _scope(self, form: BulkScopeForm) -> dict[str, Any]:
        value = form.cleaned_data["scope"]
        if value.startswith("team-"):
            teams = Team.objects.visible_to(self.request.user).filter(department=self.department)
            team = teams.filter(pk=int(value.removeprefix("team-"))).first()
            if team is None:
                raise Http404("No such team in this department.")
            return {"team": team, "department": None, "label": team.name}
        if value.startswith("department-"):
            department = get_object_or_404(self.get_queryset(), pk=int(value.removeprefix("department-")))
            return {"team": None, "department": department, "label": department.name}
        if value == "company":
            return {"team": None, "department": None, "label": str(_("The company"))}
        assert self.department is not None  # "department" is offered only on a department's page
        return {"team": None, "department": self.department, "label": self.department.name}

    def _rows(self, scope, code: str, kpis: list[Kpi]) -> list[dict[str, Any]]:
        existing = {
            t.kpi_id: t
            for t in Target.objects.filter(period__code=code, team=scope["team"], department=scope["department"])
        }
        rows = []
        for kpi in kpis:
            target = existing.get(kpi.pk)
            row: dict[str, Any] = {"kpi": kpi.pk}
            if target is not None:
                row.update(
                    target_value=target.target_value.normalize(),
                    on_track_from=target.on_track_from.normalize(),
                    off_track_from=target.off_track_from.normalize(),
                    weight=target.weight.normalize(),
                    min_sample=target.min_sample,
                    planned_volume=target.planned_volume.normalize() if target.planned_volume is not None else None,
                    noise_by_interval=target.noise_by_interval,
                )
            rows.append(row)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope_form = kwargs.get("scope_form") or BulkScopeForm(
            self.request.GET or None,
            department=self.department,
            initial={"scope": "department" if self.department else "company"},
        )
        context.update({"department": self.department, "scope_form": scope_form})
        if not (scope_form.is_bound and scope_form.is_valid()):
            return context
        scope = self._scope(scope_form)
        code = scope_form.cleaned_data["period"]
        kpis = list(Kpi.objects.all())
        context["formset"] = kwargs.get("formset") or TargetRowFormSet(initial=self._rows(scope, code, kpis))
        context["scope_label"] = scope["label"]
        by_pk = {k.pk: k for k in kpis}
        inherited = self._inherited(scope, code)
        context["rows"] = [
            (form, by_pk.get(int(form["kpi"].value())), inherited.get(int(form["kpi"].value())))
            for form in context["formset"].forms
            if form["kpi"].value()
        ]
        return context

    def _inherited(self, scope, code: str) -> dict[int, Target]:
        """Per KPI, the target that applies when this scope has none: up the department tree, then company."""
        if scope["team"] is None and scope["department"] is None:
            return {}
        org = load_org()
        department = scope["team"].department_id if scope["team"] else scope["department"].pk
        chain = org.department_chain(department)
        if scope["team"] is None:
            chain = chain[1:]
        found: dict[int, Target] = {}
        rank: dict[int | None, int] = {department: index for index, department in enumerate(chain)}
        targets = Target.objects.filter(period__code=code, team__isnull=True).select_related("department")
        for target in sorted(targets, key=lambda t: rank.get(t.department_id, len(chain))):
            if target.department_id is None or target.department_id in rank:
                found.setdefault(target.kpi_id, target)
        return found

    def post(self, request, *args, **kwargs):
        scope_form = BulkScopeForm(request.POST, department=self.department)
        formset = TargetRowFormSet(request.POST)
        if not (scope_form.is_valid() and formset.is_valid()):
            messages.error(request, _("Nothing was saved: fix the cells marked below."))
            return self.render_to_response(self.get_context_data(scope_form=scope_form, formset=formset))
        scope = self._scope(scope_form)
        phasing = scope_form.cleaned_data.get("phasing") or ""
        try:
            counts = save_scope_targets_phased(
                actor=request.user,
                period=scope_form.cleaned_data["period"],
                team=scope["team"],
                department=scope["department"],
                rows=[(form.cleaned_data["kpi"], form.values()) for form in formset.forms],
                phasing=phasing,
                profile=chosen_profile(phasing),
            )
        except ValidationError as error:
            _row_errors(formset, error)
            messages.error(request, _("Nothing was saved: fix the cells marked below."))
            return self.render_to_response(self.get_context_data(scope_form=scope_form, formset=formset))
        messages.success(
            request,
            (
                _(
                    "Targets of %(scope)s saved: %(created)s created, %(updated)s updated, %(deleted)s removed, "
                    "%(unchanged)s unchanged; %(phased)s phased into months."
                )
                if phasing
                else _(
                    "Targets of %(scope)s saved: %(created)s created, %(updated)s updated, %(deleted)s removed, "
                    "%(unchanged)s unchanged."
                )
            )
            % {**counts, "scope": scope["label"], "phased": counts.get("phased", 0)},
        )
        return HttpResponseRedirect(reverse("culture:target_list") + f"?period={scope_form.cleaned_data['period']}")


def _row_errors(formset, error: ValidationError) -> None:
    """A service's messages ("fcr: ...") on the row of the KPI they name; the rest above the table."""
    forms_by_code = {form.cleaned_data["kpi"].code: form for form in formset.forms if form.cleaned_data.get("kpi")}
    for message in error.messages:
        code, _sep, text = message.partition(": ")
        if code in forms_by_code:
            forms_by_code[code].add_error(None, text)
        else:
            formset.non_form_errors().append(message)


class TargetCopyView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, TemplateView):
    """Copy a period's targets to the next periods: choose, preview (GET with the choice), confirm (POST)."""

    permission_required = ("culture.add_target", "culture.change_target")
    template_name = "culture/target_copy.html"
    title = _("Copy targets forward")
    scoping = "none: only the CCO may change targets, and sees every scope the form offers"

    def get_breadcrumbs(self):
        return [(str(_("Targets")), reverse("culture:target_list")), (str(self.title), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = CopyForwardForm(self.request.GET or None, initial={"source": self.request.GET.get("source", "")})
        context["form"] = form
        if form.is_bound and form.is_valid():
            try:
                context["plan"] = plan_copy_forward(**form.plan_kwargs())
            except ValidationError as error:
                form.add_error(None, error)
        return context

    def post(self, request, *args, **kwargs):
        form = CopyForwardForm(request.POST)
        if not form.is_valid():
            return self.render_to_response({**self.get_context_data(), "form": form})
        try:
            plan = plan_copy_forward(**form.plan_kwargs())
            counts = copy_forward(actor=request.user, plan=plan, source=form.cleaned_data["source"])
        except ValidationError as error:
            messages.error(request, error_text(error))
            return HttpResponseRedirect(reverse("culture:target_copy") + "?" + request.POST.urlencode())
        messages.success(
            request,
            _(
                "Targets copied forward: %(create)s created, %(overwrite)s overwritten, %(skip)s kept, "
                "%(same)s already the same."
            )
            % counts,
        )
        return HttpResponseRedirect(reverse("culture:target_list"))


class TargetPhaseView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView):
    """Phase a year's target into its twelve months (flat or by a seasonal profile), with a preview."""

    permission_required = ("culture.add_target", "culture.change_target")
    template_name = "culture/target_phase.html"
    queryset = Target.objects.select_related("kpi", "period")

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        if request.user.is_authenticated and self.has_permission():
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    @property
    def target(self) -> Target:
        """The year's target; dispatch looked it up once the login and permission checks had passed."""
        assert self.object is not None
        return self.object

    @property
    def title(self) -> str:
        return _("Phase %(target)s into months") % {"target": self.object}

    def get_breadcrumbs(self):
        return [(str(_("Targets")), reverse("culture:target_list")), (self.title, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = kwargs.get("form") or PhaseForm(self.request.GET or None, initial={"phasing": "flat"})
        context.update({"object": self.object, "form": form})
        if form.is_bound and form.is_valid():
            preview = phase_preview(self.target, chosen_profile(form.cleaned_data["phasing"]))
            context["preview" if not isinstance(preview, str) else "preview_problem"] = preview
        return context

    def post(self, request, *args, **kwargs):
        form = PhaseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            counts = phase_annual_target(
                actor=request.user, annual=self.target, profile=chosen_profile(form.cleaned_data["phasing"])
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("%(written)s months phased; %(kept)s set directly were kept.") % counts)
        return HttpResponseRedirect(reverse("culture:target_list") + f"?period={self.target.period.code[:4]}")
