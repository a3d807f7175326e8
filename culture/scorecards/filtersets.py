"""Filters of the scorecard pages: team scorecards, targets, periods and review status."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from ..models import Department, Kpi, Period, Target, Team


def _noop(queryset, name, value):
    return queryset


class TeamScopeFilterSet(ScopedFilterSet):
    """Teams to show; `period` is read by the view (it applies to the computed scorecards)."""

    period = django_filters.CharFilter(label=_("Period"), method=_noop)
    q = django_filters.CharFilter(label=_("Team"), method="search")
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), method="in_department"
    )

    class Meta:
        model = Team
        fields = ["period", "q", "department"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))

    def in_department(self, queryset, name, value):
        return queryset.filter(department_id__in=Department.objects.tree().subtree([value.pk]))


class ScorecardFilterSet(TeamScopeFilterSet):
    """`status` keeps teams with at least one KPI in that status (applied by the view after computing)."""

    status = django_filters.ChoiceFilter(
        label=_("Has a KPI in"),
        choices=[
            ("red", _("Off track")),
            ("amber", _("At risk")),
            ("green", _("On track")),
            ("noise", _("Within noise")),
        ],
        method=_noop,
    )

    class Meta(TeamScopeFilterSet.Meta):
        fields = ["period", "q", "department", "status"]


class TargetFilterSet(ScopedFilterSet):
    period = django_filters.CharFilter(label=_("Period"), field_name="period__code", lookup_expr="iexact")
    kpi = django_filters.ModelChoiceFilter(label=_("KPI"), queryset=Kpi.objects.all())
    scope = django_filters.ChoiceFilter(
        label=_("Scope"),
        choices=[("company", _("Company")), ("department", _("Department")), ("team", _("Team"))],
        method="with_scope",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), method="in_department"
    )

    class Meta:
        model = Target
        fields = ["period", "kpi", "scope", "department"]

    def with_scope(self, queryset, name, value):
        if value == "team":
            return queryset.filter(team__isnull=False)
        if value == "department":
            return queryset.filter(department__isnull=False)
        return queryset.filter(team__isnull=True, department__isnull=True)

    def in_department(self, queryset, name, value):
        ids = Department.objects.tree().subtree([value.pk])
        return queryset.filter(Q(department_id__in=ids) | Q(team__department_id__in=ids))


class PeriodFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Period.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Period.Status.choices)

    class Meta:
        model = Period
        fields = ["kind", "status"]


class ReviewStatusFilterSet(TeamScopeFilterSet):
    """`reviewed` (yes/no) is applied by the view, which knows the period."""

    reviewed = django_filters.ChoiceFilter(
        label=_("Reviewed"), choices=[("yes", _("yes")), ("no", _("no"))], method=_noop
    )

    class Meta(TeamScopeFilterSet.Meta):
        fields = ["period", "q", "department", "reviewed"]
