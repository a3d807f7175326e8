import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable

from .documents import kind_label
from .models import GeneratedReport

STATUS_BADGES = {"queued": "neutral", "running": "amber", "done": "green", "failed": "red"}


class GeneratedReportTable(BaseTable):
    pk = tables.Column(verbose_name=_("#"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    parameters = tables.Column(verbose_name=_("Parameters"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    requested_by = tables.Column(verbose_name=_("Asked by"), default="—")

    class Meta(BaseTable.Meta):
        model = GeneratedReport
        fields = ("pk", "kind", "parameters", "status", "progress", "requested_by", "created_at", "finished_at")

    def render_kind(self, value):
        return kind_label(value)

    def value_kind(self, value):
        return value

    def render_parameters(self, value):
        # Machine text (the report's parameters), shown as code: it is not translated.
        return format_html("<code>{}</code>", self.value_parameters(value))

    def value_parameters(self, value):
        return ", ".join(f"{key}={val}" for key, val in sorted(value.items()))

    def render_status(self, record):
        return format_html(
            '<span class="badge status-{}">{}</span>', STATUS_BADGES[record.status], record.get_status_display()
        )

    def value_status(self, record):
        return record.status
