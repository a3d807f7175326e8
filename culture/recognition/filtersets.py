import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet, YesNoAnyWidget

from ..models import Recognition, Team


class RecognitionFilterSet(ScopedFilterSet):
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.order_by("name"))
    value = django_filters.ChoiceFilter(label=_("Culture value"), choices=Recognition.Value.choices)
    is_board_pick = django_filters.BooleanFilter(label=_("Picked for the board report"), widget=YesNoAnyWidget)
    story = django_filters.CharFilter(label=_("Story contains"), lookup_expr="icontains")

    class Meta:
        model = Recognition
        fields = ["team", "value", "is_board_pick", "story"]
