"""Filters for the hiring lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from culture.models import Team

from .models import Application, Candidate, Interview, Position, RubricVersion, Scorecard


# Choice lists are scoped too: a dropdown must not list other teams' positions.
def _positions(request):
    return Position.objects.visible_to(request.user).select_related("team")


def _teams(request):
    return Team.objects.visible_to(request.user)


def _rubric_versions(request):
    return RubricVersion.objects.visible_to(request.user).published().select_related("rubric")


class RubricVersionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RubricVersion.Status.choices)

    class Meta:
        model = RubricVersion
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(rubric__name__icontains=value)


class PositionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Position.Status.choices)

    class Meta:
        model = Position
        fields = ["q", "team", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(team__name__icontains=value))


class CandidateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    source = django_filters.ChoiceFilter(label=_("Source"), choices=Candidate.Source.choices)
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=_positions, field_name="applications__position", distinct=True
    )
    is_anonymised = django_filters.BooleanFilter(
        label=_("Anonymised"), field_name="anonymised_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Candidate
        fields = ["q", "source", "position", "is_anonymised"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))


class ComparisonFilterSet(django_filters.FilterSet):
    """Stage and name filter in the database; `meets_bar` and `disagreement` apply to the computed rows."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.MultipleChoiceFilter(label=_("Stage"), choices=Application.Stage.choices)
    meets_bar = django_filters.BooleanFilter(label=_("Meets bar"), method="computed")
    disagreement = django_filters.BooleanFilter(label=_("Panel disagrees"), method="computed")

    class Meta:
        model = Application
        fields = ["q", "stage", "meets_bar", "disagreement"]

    def search(self, queryset, name, value):
        return queryset.filter(candidate__name__icontains=value)

    def computed(self, queryset, name, value):
        # Scores are computed in Python after the query (see PositionComparisonView.get_table_data).
        return queryset


class InterviewFilterSet(django_filters.FilterSet):
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=_positions, field_name="application__position"
    )
    upcoming = django_filters.BooleanFilter(label=_("Upcoming only"), method="only_upcoming")

    class Meta:
        model = Interview
        fields = ["position", "upcoming"]

    def only_upcoming(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(scheduled_at__gte=timezone.now()) if value else queryset


class CalibrationFilterSet(django_filters.FilterSet):
    rubric_version = django_filters.ModelChoiceFilter(
        label=_("Rubric version"),
        queryset=_rubric_versions,
        field_name="interview__application__position__rubric_version",
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=_teams, field_name="interview__application__position__team"
    )
    submitted_after = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )

    class Meta:
        model = Scorecard
        fields = ["rubric_version", "team", "submitted_after"]
