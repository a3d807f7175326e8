"""Filters for the interviewer calibration list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet
from hiring.models import Scorecard
from hiring.positions.filtersets import team_choices
from hiring.rubrics.filtersets import rubric_version_choices


class CalibrationFilterSet(ScopedFilterSet):
    rubric_version = django_filters.ModelChoiceFilter(
        label=_("Rubric version"),
        queryset=rubric_version_choices,
        field_name="interview__application__position__rubric_version",
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=team_choices, field_name="interview__application__position__team"
    )
    submitted_after = django_filters.DateFilter(
        label=_("Submitted from"), field_name="submitted_at", lookup_expr="date__gte"
    )

    class Meta:
        model = Scorecard
        fields = ["rubric_version", "team", "submitted_after"]
