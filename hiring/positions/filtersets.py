"""Filters for the positions and the candidate comparison list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet, YesNoAnyWidget
from culture.models import Team
from hiring.models import Application, Position

# Choice lists are scoped too (by ScopedFilterSet): a dropdown must not list other teams' positions.
position_choices = Position.objects.select_related("team")
team_choices = Team.objects.all()


class PositionFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=team_choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Position.Status.choices)

    class Meta:
        model = Position
        fields = ["q", "team", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(team__name__icontains=value))


class ComparisonFilterSet(ScopedFilterSet):
    """Stage and name filter in the database; `meets_bar` and `disagreement` apply to the computed rows."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Application.Stage.choices, empty_label=_("Any stage"))
    meets_bar = django_filters.BooleanFilter(label=_("Meets bar"), method="computed", widget=YesNoAnyWidget)
    disagreement = django_filters.BooleanFilter(label=_("Panel disagrees"), method="computed", widget=YesNoAnyWidget)

    class Meta:
        model = Application
        fields = ["q", "stage", "meets_bar", "disagreement"]

    def search(self, queryset, name, value):
        return queryset.filter(candidate__name__icontains=value)

    def computed(self, queryset, name, value):
        # Scores are computed in Python after the query (see PositionComparisonView.get_table_data).
        return queryset
