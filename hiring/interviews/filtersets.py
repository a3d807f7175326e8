"""Filters for the interviews list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet, YesNoAnyWidget
from hiring.models import Interview
from hiring.positions.filtersets import position_choices


class InterviewFilterSet(ScopedFilterSet):
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=position_choices, field_name="application__position"
    )
    upcoming = django_filters.BooleanFilter(label=_("Upcoming only"), method="only_upcoming", widget=YesNoAnyWidget)

    class Meta:
        model = Interview
        fields = ["position", "upcoming"]

    def only_upcoming(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(scheduled_at__gte=timezone.now()) if value else queryset
