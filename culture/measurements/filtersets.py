"""Filters of the import history, measurement and KPI lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from ..models import ImportBatch, Kpi, Measurement, Team
from ..models.kpis import Channel


class ImportBatchFilterSet(ScopedFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ImportBatch.Kind.choices)
    source = django_filters.ChoiceFilter(label=_("Source"), choices=ImportBatch.Source.choices)
    q = django_filters.CharFilter(label=_("File or checksum"), method="search")

    class Meta:
        model = ImportBatch
        fields = ["kind", "source", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(filename__icontains=value) | Q(checksum__startswith=value.lower()))


class MeasurementFilterSet(ScopedFilterSet):
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.order_by("name"))
    kpi = django_filters.ModelChoiceFilter(label=_("KPI"), queryset=Kpi.objects.order_by("code"))
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = ["team", "kpi", "channel", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
        self.form.fields["date_from"].widget.input_type = "date"
        self.form.fields["date_to"].widget.input_type = "date"


class KpiFilterSet(ScopedFilterSet):
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Kpi.Category.choices)
    is_standard = django_filters.BooleanFilter(label=_("Standard"))

    class Meta:
        model = Kpi
        fields = ["category", "is_standard"]
