"""Tables of interviewer calibration (each HTML `render_<col>` has a `value_<col>` twin for exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable


class CalibrationTable(BaseTable):
    interviewer = tables.Column(verbose_name=_("Interviewer"))
    applications = tables.Column(verbose_name=_("Candidates"), attrs=NUMERIC)
    compared_ratings = tables.Column(verbose_name=_("Ratings compared"), attrs=NUMERIC)
    mean_distance = tables.Column(verbose_name=_("Mean distance from panel"), attrs=NUMERIC)
    mean_offset = tables.Column(verbose_name=_("Mean offset (+ lenient, - harsh)"), attrs=NUMERIC)
    leaning = tables.Column(verbose_name=_("Leaning"))

    class Meta(BaseTable.Meta):
        fields = ("interviewer", "applications", "compared_ratings", "mean_distance", "mean_offset", "leaning")
        order_by = ("-mean_distance",)
        empty_text = _("No interviewer shares a panel with another yet.")
