"""Tables of rubric versions (each HTML `render_<col>` has a `value_<col>` twin for exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable, DateTimeColumn
from hiring.models import RubricVersion


class RubricVersionTable(BaseTable):
    rubric = tables.Column(
        verbose_name=_("Rubric"), accessor="rubric__name", linkify=lambda record: record.get_absolute_url()
    )
    number = tables.Column(verbose_name=_("Version"), attrs=NUMERIC)
    status = tables.Column(verbose_name=_("Status"))
    competency_count = tables.Column(verbose_name=_("Competencies"), attrs=NUMERIC)
    position_count = tables.Column(verbose_name=_("Positions"), attrs=NUMERIC)
    published_at = DateTimeColumn(verbose_name=_("Published"), format="Y-m-d", default="—")

    class Meta(BaseTable.Meta):
        model = RubricVersion
        fields = ("rubric", "number", "status", "competency_count", "position_count", "published_at")
