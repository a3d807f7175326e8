import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from ..models import Pulse, Team


class PulseFilterSet(ScopedFilterSet):
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all(), field_name="teams")
    opens_on = django_filters.DateFromToRangeFilter(label=_("Opens on"))

    class Meta:
        model = Pulse
        fields = ["title", "team", "opens_on"]
