"""The shared FilterSet base and the filter widgets every app's filtersets use."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget


class YesNoAnyWidget(BooleanWidget):
    """A yes/no filter whose empty choice reads "Any" rather than django-filter's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class ScopedFilterSet(django_filters.FilterSet):
    """Every app's filterset: a choice filter over a model with `visible_to(user)` (teams, departments,
    people, plans, positions, rubric versions) offers only the rows the requesting user may see.

    A dropdown is a list too: without this, a team lead's filter on the team list named every department.
    Declare the choice filter's `queryset` unscoped (`Team.objects.all()`, with any select_related or
    ordering); this base narrows it per request, and another team's id becomes "not a valid choice".
    Models without `visible_to` (the KPI catalogue) are offered whole."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None) or AnonymousUser()
        for choice_filter in self.filters.values():
            if isinstance(choice_filter, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                choices = choice_filter.queryset
                if isinstance(choices, QuerySet) and hasattr(choices, "visible_to"):
                    choice_filter.queryset = choices.visible_to(user)
