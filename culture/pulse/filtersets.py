import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from ..models import Pulse, PulseLibraryVersion, Team


class PulseFilterSet(ScopedFilterSet):
    title = django_filters.CharFilter(label=_("Title"), lookup_expr="icontains")
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all(), field_name="teams")
    # Two date fields, each with its own label: a from-to range widget is two inputs behind one label, which
    # screen readers announced as unlabelled (axe: "Form elements must have labels", critical).
    opens_from = django_filters.DateFilter(label=_("Opens from"), field_name="opens_on", lookup_expr="gte")
    opens_until = django_filters.DateFilter(label=_("Opens until"), field_name="opens_on", lookup_expr="lte")

    class Meta:
        model = Pulse
        fields = ["title", "team", "opens_from", "opens_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_from", "opens_until"):
            self.form.fields[name].widget.input_type = "date"


class PulseLibraryVersionFilterSet(ScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PulseLibraryVersion.Status.choices)

    class Meta:
        model = PulseLibraryVersion
        fields = ["status"]
