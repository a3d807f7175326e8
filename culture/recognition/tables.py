import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable

from ..models import Recognition


class RecognitionTable(BaseTable):
    created_at = tables.DateColumn(verbose_name=_("Given"), format="Y-m-d")
    person = tables.Column(verbose_name=_("Colleague"), order_by=("person__name",))
    team = tables.Column(verbose_name=_("Team"), order_by=("team__name",))
    served = tables.Column(verbose_name=_("Value or KPI"), orderable=False, empty_values=())
    story = tables.Column(verbose_name=_("Story"), orderable=False)
    given_by = tables.Column(verbose_name=_("Given by"), orderable=False, default="—")
    is_board_pick = tables.BooleanColumn(verbose_name=_("Board report"))

    class Meta(BaseTable.Meta):
        model = Recognition
        fields = ("created_at", "person", "team", "served", "story", "given_by", "is_board_pick")

    def render_given_by(self, value):
        return value.name or value.email

    def value_given_by(self, value):
        return value.name or value.email

    def value_served(self, record):
        return record.served

    def render_served(self, record):
        return record.served
