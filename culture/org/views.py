from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.views import BreadcrumbMixin, FilteredTableView, ScopedQuerysetMixin

from ..models import Membership, Person, Team, in_force_on
from .filtersets import PersonFilterSet, TeamFilterSet
from .tables import PersonTable, TeamTable


def _current_lead_name() -> Subquery:
    lead = Membership.objects.current().filter(team=OuterRef("pk"), role=Membership.Role.LEAD)
    return Subquery(lead.order_by("start").values("person__name")[:1])


class TeamListView(FilteredTableView):
    permission_required = "culture.view_team"
    table_class = TeamTable
    filterset_class = TeamFilterSet
    title = _("Teams")
    export_name = "teams"

    # Who leads a team and how many people it has are people data: a role that sees teams but not people
    # (HR, per the design's "teams (names only)") gets neither the columns nor the queries behind them.
    people_columns = ("lead_name", "member_count")

    def sees_people(self) -> bool:
        return self.request.user.has_perm("culture.view_person")

    def get_queryset(self):
        teams = Team.objects.visible_to(self.request.user).select_related("department").order_by("name")
        if not self.sees_people():
            return teams
        current = in_force_on(timezone.localdate(), prefix="memberships__")
        return teams.annotate(member_count=Count("memberships", filter=current), lead_name=_current_lead_name())

    def get_table_kwargs(self) -> dict[str, Any]:
        return {**super().get_table_kwargs(), "exclude": () if self.sees_people() else self.people_columns}


class PersonListView(FilteredTableView):
    permission_required = "culture.view_person"
    table_class = PersonTable
    filterset_class = PersonFilterSet
    title = _("People")
    export_name = "people"

    def get_queryset(self):
        current = Membership.objects.current().filter(person=OuterRef("pk")).order_by("role", "start")
        return Person.objects.visible_to(self.request.user).annotate(
            team_name=Subquery(current.values("team__name")[:1]),
            team_role=Subquery(current.values("role")[:1]),
        )


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
