import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet, YesNoAnyWidget

from ..models import Department, Membership, Person, Team


class TeamFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), method="in_department"
    )
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=YesNoAnyWidget)

    class Meta:
        model = Team
        fields = ["q", "department", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))

    def in_department(self, queryset, name, value):
        """A department filter includes the teams of its sub-departments."""
        return queryset.filter(department_id__in=Department.objects.tree().subtree([value.pk]))


class PersonFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all(), method="in_team")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Membership.Role.choices, method="with_role")

    class Meta:
        model = Person
        fields = ["q", "team", "role"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value) | Q(employee_number=value))

    def in_team(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.current().filter(team=value).values("person_id"))

    def with_role(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.current().filter(role=value).values("person_id"))


class DepartmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=YesNoAnyWidget)

    class Meta:
        model = Department
        fields = ["q", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))
