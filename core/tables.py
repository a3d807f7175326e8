"""The base for every table: Bootstrap styling, and empty text that says what is missing."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Nothing matches these filters.")
        template_name = "django_tables2/bootstrap5-responsive.html"
