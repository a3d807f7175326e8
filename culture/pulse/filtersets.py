import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from ..models import Pulse, PulseLibraryVersion, Team


class PulseFilterSet(ScopedFilterSet):
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all(), field_name="teams")
    opens_on = django_filters.DateFromToRangeFilter(label=_("Opens on"))

    class Meta:
        model = Pulse
        fields = ["title", "team", "opens_on"]


class PulseLibraryVersionFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PulseLibraryVersion.Status.choices)

    class Meta:
        model = PulseLibraryVersion
        fields = ["status"]
