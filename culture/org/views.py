from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin

from ..measurements.comments import recent_comments
from ..models import Department, Membership, Person, Recognition, Team, in_force_on, scorecard_teams
from .filtersets import DepartmentFilterSet, PersonFilterSet, TeamFilterSet
from .forms import DepartmentForm, TeamCloseForm, TeamForm, TeamLeadForm, TeamMergeForm
from .services import (
    close_department,
    close_team,
    create_department,
    create_team,
    merge_teams,
    set_team_lead,
    update_department,
    update_team,
)
from .sync.api import SYNC_PERMISSION
from .tables import DepartmentTable, PersonTable, TeamTable

RECENT_STORIES = 5  # the team page shows the latest stories; the recognition list has them all


def _current_lead_name() -> Subquery:
    lead = Membership.objects.current().filter(team=OuterRef("pk"), role=Membership.Role.LEAD)
    return Subquery(lead.order_by("start").values("person__name")[:1])


class TeamListView(FilteredTableView):
    permission_required = "culture.view_team"
    table_class = TeamTable
    filterset_class = TeamFilterSet
    title = _("Teams")
    export_name = "teams"
    queryset = Team.objects.all()

    # Who leads a team and how many people it has are people data: a role that sees teams but not people
    # (HR, per the design's "teams (names only)") gets neither the columns nor the queries behind them.
    people_columns = ("lead_name", "member_count")

    def sees_people(self) -> bool:
        return self.request.user.has_perm("culture.view_person")

    def refine_queryset(self, queryset):
        teams = queryset.select_related("department").order_by("name")
        if not self.sees_people():
            return teams
        current = in_force_on(timezone.localdate(), prefix="memberships__")
        return teams.annotate(member_count=Count("memberships", filter=current), lead_name=_current_lead_name())

    def get_table_kwargs(self) -> dict[str, Any]:
        return {**super().get_table_kwargs(), "exclude": () if self.sees_people() else self.people_columns}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("culture.add_team"):
            context["list_actions"] = [
                (_("New team"), reverse("culture:team_create")),
                (_("Departments"), reverse("culture:department_list")),
            ]
        return context


class PersonListView(FilteredTableView):
    permission_required = "culture.view_person"
    table_class = PersonTable
    filterset_class = PersonFilterSet
    title = _("People")
    export_name = "people"
    queryset = Person.objects.all()

    def refine_queryset(self, queryset):
        current = Membership.objects.current().filter(person=OuterRef("pk")).order_by("role", "start")
        return queryset.annotate(
            team_name=Subquery(current.values("team__name")[:1]),
            team_role=Subquery(current.values("role")[:1]),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm(SYNC_PERMISSION):
            context["list_actions"] = [(_("People sync"), reverse("culture:people_sync"))]
        return context


class TeamDetailView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = Team
    permission_required = "culture.view_team"
    template_name = "culture/team_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("department__parent")

    def get_breadcrumbs(self):
        return [(str(_("Teams")), reverse("culture:team_list")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        people = Person.objects.visible_to(self.request.user)
        context["current_memberships"] = (
            Membership.objects.current()
            .filter(team=self.object, person__in=people)
            .select_related("person")
            .order_by("role", "person__name")
        )
        context["can_see_people"] = self.request.user.has_perm("culture.view_person")
        context["department_path"] = [*self.object.department.ancestors(), self.object.department]
        stories = Recognition.objects.visible_to(self.request.user).filter(team=self.object)
        context["recognition_count"] = stories.count()
        context["recognitions"] = stories.select_related("person", "kpi")[:RECENT_STORIES]
        # Customers' words are scorecard material: HR, who sees team names only, does not get them.
        if scorecard_teams(self.request.user).filter(pk=self.object.pk).exists():
            context["customer_comments"] = recent_comments([self.object.pk]).get(self.object.pk, [])
        if self.request.user.has_perm("culture.change_team") and self.object.is_active:
            slug = self.object.slug
            context["org_actions"] = [
                (_("Edit"), reverse("culture:team_update", args=[slug])),
                (_("Set the lead"), reverse("culture:team_lead", args=[slug])),
                (_("Merge"), reverse("culture:team_merge", args=[slug])),
                (_("Close"), reverse("culture:team_close", args=[slug])),
            ]
        return context


class PersonDetailView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, ScopedQuerysetMixin, DetailView):
    model = Person
    permission_required = "culture.view_person"
    template_name = "culture/person_detail.html"

    def get_breadcrumbs(self):
        return [(str(_("People")), reverse("culture:person_list")), (self.object.name, None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("team__department").order_by("-start")
        return context


# --- org management (CCO and admin): departments and teams ---------------------------------------------


class DepartmentListView(FilteredTableView):
    permission_required = "culture.view_department"
    table_class = DepartmentTable
    filterset_class = DepartmentFilterSet
    title = _("Departments")
    export_name = "departments"
    queryset = Department.objects.all()

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("parent")
            .annotate(team_count=Count("teams", filter=Q(teams__is_active=True)))
            .order_by("name")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("culture.add_department"):
            context["list_actions"] = [
                (_("New department"), reverse("culture:department_create")),
                (_("New team"), reverse("culture:team_create")),
                (_("People sync"), reverse("culture:people_sync")),
            ]
        return context


class _OrgFormView(LoginRequiredMixin, PermissionRequiredMixin, BreadcrumbMixin, FormView):
    """A form whose `apply(form)` calls one org service; a refusal (ValidationError) shows on the form.

    `confirm` (text) makes the page a confirmation of a destructive action.
    """

    template_name = "culture/org_form.html"
    confirm: str | Promise = ""
    submit = _("Save")
    section = (_("Departments"), "culture:department_list")

    @property
    def title(self) -> str | Promise:
        """Each page names itself: a plain attribute, or a property about the department or team at hand."""
        raise NotImplementedError

    def get_breadcrumbs(self):
        label, name = self.section
        return [(str(label), reverse(name)), (str(self.title), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(confirm=self.confirm, submit=self.submit)
        return context

    def apply(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            url = self.apply(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(url)


class DepartmentCreateView(_OrgFormView):
    permission_required = "culture.add_department"
    scoping = "none: the form for a new department; its parent choices are the CCO's, who sees every department"
    form_class = DepartmentForm
    title = _("New department")

    def apply(self, form) -> str:
        create_department(**form.cleaned_data, actor=self.request.user)
        return reverse("culture:department_list")


class _OrgObjectMixin(ScopedObjectMixin):
    """An org form about one department or team, looked up in the user's scope.

    The lookup runs in the handlers, which the login and permission checks in `dispatch` come before: a
    signed-out or unpermitted visitor is refused without learning whether the slug or id exists."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


class _DepartmentMixin(_OrgObjectMixin):
    model = Department

    @property
    def department(self) -> Department:
        return self.object


class DepartmentUpdateView(_DepartmentMixin, _OrgFormView):
    """Rename a department or move it under another parent."""

    permission_required = "culture.change_department"
    form_class = DepartmentForm

    @property
    def title(self):
        return _("Edit department %(name)s") % {"name": self.department.name}

    def get_initial(self):
        return {"name": self.department.name, "parent": self.department.parent}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.department.is_active:
            context["side_actions"] = [(_("Close"), reverse("culture:department_close", args=[self.department.pk]))]
        return context

    def apply(self, form) -> str:
        update_department(department=self.department, **form.cleaned_data, actor=self.request.user)
        return reverse("culture:department_list")


class DepartmentCloseView(_DepartmentMixin, _OrgFormView):
    permission_required = "culture.change_department"
    form_class = forms.Form
    submit = _("Close the department")

    @property
    def title(self):
        return _("Close department %(name)s") % {"name": self.department.name}

    confirm = _("It stays in reports and history but takes no new teams. It must hold no active team.")

    def apply(self, form) -> str:
        close_department(department=self.department, actor=self.request.user)
        return reverse("culture:department_list")


class TeamCreateView(_OrgFormView):
    permission_required = "culture.add_team"
    scoping = "none: the form for a new team; its department choices are the CCO's, who sees every department"
    form_class = TeamForm
    title = _("New team")
    section = (_("Teams"), "culture:team_list")

    def apply(self, form) -> str:
        return create_team(**form.cleaned_data, actor=self.request.user).get_absolute_url()


class _TeamMixin(_OrgObjectMixin):
    model = Team
    section = (_("Teams"), "culture:team_list")
    action_title: str | Promise = ""

    @property
    def team(self) -> Team:
        return self.object

    @property
    def title(self):
        return self.action_title % {"name": self.team.name}

    def get_breadcrumbs(self):
        return [
            (str(_("Teams")), reverse("culture:team_list")),
            (self.team.name, self.team.get_absolute_url()),
            (str(self.title), None),
        ]


class TeamUpdateView(_TeamMixin, _OrgFormView):
    """Rename a team or move it to another department."""

    permission_required = "culture.change_team"
    form_class = TeamForm
    action_title = _("Edit team %(name)s")

    def get_initial(self):
        return {"name": self.team.name, "department": self.team.department}

    def apply(self, form) -> str:
        return update_team(team=self.team, **form.cleaned_data, actor=self.request.user).get_absolute_url()


class TeamMergeView(_TeamMixin, _OrgFormView):
    permission_required = "culture.change_team"
    form_class = TeamMergeForm
    action_title = _("Merge team %(name)s")
    submit = _("Merge and close this team")

    confirm = _(
        "Every member moves to the chosen team on the effective date (their history here ends the day "
        "before); this team is then closed. This cannot be undone from the app."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "team": self.team}

    def apply(self, form) -> str:
        data = form.cleaned_data
        target = merge_teams(
            source=self.team, target=data["target"], effective=data["effective"], actor=self.request.user
        )
        return target.get_absolute_url()


class TeamCloseView(_TeamMixin, _OrgFormView):
    permission_required = "culture.change_team"
    form_class = TeamCloseForm
    action_title = _("Close team %(name)s")
    submit = _("Close the team")

    confirm = _("A closed team keeps its measurements and history; it must have no members from that day on.")

    def apply(self, form) -> str:
        close_team(team=self.team, on=form.cleaned_data["on"], actor=self.request.user)
        return self.team.get_absolute_url()


class TeamLeadView(_TeamMixin, _OrgFormView):
    permission_required = "culture.change_membership"
    form_class = TeamLeadForm
    action_title = _("Set the lead of %(name)s")

    def apply(self, form) -> str:
        set_team_lead(team=self.team, **form.cleaned_data, actor=self.request.user)
        return self.team.get_absolute_url()
