"""Filters for the candidates list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet, YesNoAnyWidget
from hiring.models import Candidate
from hiring.positions.filtersets import position_choices


class CandidateFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Candidate.Source.choices)
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=position_choices, field_name="applications__position", distinct=True
    )
    is_anonymised = django_filters.BooleanFilter(
        label=_("Anonymised"), field_name="anonymised_at", lookup_expr="isnull", exclude=True, widget=YesNoAnyWidget
    )

    class Meta:
        model = Candidate
        fields = ["q", "source", "position", "is_anonymised"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))
