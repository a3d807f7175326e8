import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from culture.models import Team

from .models import PayoutLine, PayoutStint, Plan, StatementDispute


class PlanFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices)
    reward_type = django_filters.ChoiceFilter(choices=Plan.RewardType.choices)

    class Meta:
        model = Plan
        fields = ["q", "status", "reward_type"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(period__code__icontains=value))


class PayoutLineFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label=_("Team"), method="in_team")

    class Meta:
        model = PayoutLine
        fields = ["q", "team"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(person__name__icontains=value) | Q(person__employee_number__iexact=value))

    def in_team(self, queryset, name, value):
        return queryset.filter(breakdown__in=PayoutStint.objects.filter(team=value).values("breakdown_id"))


class StatementDisputeFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(choices=StatementDispute.Status.choices)

    class Meta:
        model = StatementDispute
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(line__person__name__icontains=value) | Q(line__run__plan__name__icontains=value))
