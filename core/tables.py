"""The base for every table: Bootstrap styling, and empty text that says what is missing; date columns."""

import datetime as dt

import django_tables2 as tables
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

# Numbers align right, and so do their headers.
NUMERIC = {"td": {"class": "text-end"}, "th": {"class": "text-end"}}


class BaseTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("Nothing matches these filters.")
        template_name = "django_tables2/bootstrap5-responsive.html"


class DateColumn(tables.Column):
    """A date in a Django date format, exported as ISO 8601.

    django-tables2's own DateColumn renders a template for every cell; on a 50-row page with two date
    columns that was 40 % of the page's time. Formatting directly gives the same text.
    """

    def __init__(self, format: str = "Y-m-d", **kwargs):
        self.format = format
        super().__init__(**kwargs)

    def render(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.format)

    def value(self, value):
        return value.isoformat() if isinstance(value, dt.date) else value


DateTimeColumn = DateColumn  # the format string decides whether the time shows; aware values show local time
