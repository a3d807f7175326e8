"""Filters for the rubric versions list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from hiring.models import RubricVersion

# Scoped per request by ScopedFilterSet, as every choice list.
rubric_version_choices = RubricVersion.objects.published().select_related("rubric")


class RubricVersionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RubricVersion.Status.choices)

    class Meta:
        model = RubricVersion
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(rubric__name__icontains=value)
