"""Tables of the import history, the measurements and the KPI catalogue."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable, DateColumn, DateTimeColumn

from ..models import ImportBatch, Kpi, Measurement
from ..models.kpis import MEASUREMENT_EXPORT_FIELDS


class ImportBatchTable(BaseTable):
    created_at = DateTimeColumn(verbose_name=_("At"), format="Y-m-d H:i")
    uploaded_by = tables.Column(verbose_name=_("By"), default="—", order_by=("uploaded_by__email",))
    row_count = tables.Column(attrs=NUMERIC)
    created_count = tables.Column(attrs=NUMERIC)
    updated_count = tables.Column(attrs=NUMERIC)
    unchanged_count = tables.Column(attrs=NUMERIC)
    checksum = tables.Column(verbose_name=_("SHA-256"), orderable=False)

    class Meta(BaseTable.Meta):
        model = ImportBatch
        fields = (
            "created_at",
            "kind",
            "source",
            "uploaded_by",
            "filename",
            "row_count",
            "created_count",
            "updated_count",
            "unchanged_count",
            "checksum",
        )

    def render_checksum(self, value):
        return format_html('<code title="{}">{}…</code>', value, value[:12])

    def value_checksum(self, value):
        return value


class MeasurementTable(BaseTable):
    date = DateColumn(format="Y-m-d")
    team = tables.Column(linkify=lambda record: record.team.get_absolute_url(), order_by=("team__name",))
    kpi = tables.Column(verbose_name=_("KPI"), accessor="kpi__code", order_by=("kpi__code",))
    value = tables.Column(attrs=NUMERIC)
    numerator = tables.Column(attrs=NUMERIC)
    denominator = tables.Column(attrs=NUMERIC)
    sample_size = tables.Column(attrs=NUMERIC)
    updated_at = DateTimeColumn(verbose_name=_("Updated"), format="Y-m-d H:i")

    class Meta(BaseTable.Meta):
        model = Measurement
        fields = MEASUREMENT_EXPORT_FIELDS

    @staticmethod
    def _number(value):
        return format(value.normalize(), "f") if value is not None else "—"

    def render_value(self, value):
        return self._number(value)

    def render_numerator(self, value):
        return self._number(value)

    def render_denominator(self, value):
        return self._number(value)

    def value_value(self, value):
        return value

    def value_numerator(self, value):
        return value

    def value_denominator(self, value):
        return value


class KpiTable(BaseTable):
    code = tables.Column()
    is_standard = tables.BooleanColumn(verbose_name=_("Standard"))

    class Meta(BaseTable.Meta):
        model = Kpi
        fields = ("code", "name", "category", "unit", "direction", "aggregation", "scale", "survey", "is_standard")

    def __init__(self, *args, can_edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit

    def render_code(self, value, record):
        detail = format_html('<a href="{}">{}</a>', reverse("culture:kpi_detail", args=[record.code]), value)
        if self.can_edit and not record.is_standard:
            edit = reverse("culture:kpi_update", args=[record.code])
            return format_html('{} <a href="{}" class="small">{}</a>', detail, edit, _("edit"))
        return detail

    def value_code(self, value):
        return value
