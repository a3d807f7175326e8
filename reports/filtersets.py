import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from .models import GeneratedReport


class GeneratedReportFilterSet(ScopedFilterSet):
    kind = django_filters.CharFilter(label=_("Kind"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=GeneratedReport.Status.choices)

    class Meta:
        model = GeneratedReport
        fields = ["kind", "status"]
