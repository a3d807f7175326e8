"""Pulse tables: the pulse list and the results (rows from culture.pulse.results, not a queryset)."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.numbers import fixed, half_up
from core.tables import NUMERIC, BaseTable, DateColumn

from ..models import Pulse, PulseLibraryVersion


class PulseTable(BaseTable):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    library_version = tables.Column(verbose_name=_("Questions"))
    opens_on = DateColumn(verbose_name=_("Opens on"))
    closes_on = DateColumn(verbose_name=_("Closes on"))
    invited = tables.Column(verbose_name=_("Invited"), attrs=NUMERIC)
    answered = tables.Column(verbose_name=_("Answered"), attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = Pulse
        fields = ("title", "library_version", "opens_on", "closes_on", "invited", "answered")


class PulseLibraryVersionTable(BaseTable):
    number = tables.Column(verbose_name=_("Version"), linkify=True)
    status = tables.Column(verbose_name=_("Status"))
    question_count = tables.Column(verbose_name=_("Questions"), attrs=NUMERIC)
    published_at = DateColumn(verbose_name=_("Published"))

    class Meta(BaseTable.Meta):
        model = PulseLibraryVersion
        fields = ("number", "status", "question_count", "published_at")


def _one_decimal(value) -> str:
    return "—" if value is None else fixed(value, 1)


def _exported(value) -> Decimal | str:
    """The export's cell: the rounded number itself, so a negative eNPS stays a number (as text, "-12.5" would
    be quoted against formula injection and read "'-12.5"); empty without a figure."""
    return "" if value is None else half_up(value, 1)


class ResultTable(BaseTable):
    """Figures rounded once, half-up, to one decimal; the export carries the same rounded figures."""

    pulse_title = tables.Column(verbose_name=_("Pulse"))
    closes_on = DateColumn(verbose_name=_("Closed"))
    scope = tables.Column(verbose_name=_("Level"))
    group_name = tables.Column(verbose_name=_("Group"))
    question_text = tables.Column(verbose_name=_("Question"), default="")
    respondents = tables.Column(verbose_name=_("Answers"), attrs=NUMERIC)
    invited = tables.Column(verbose_name=_("Invited"), attrs=NUMERIC)
    response_rate = tables.Column(verbose_name=_("Response rate %"), attrs=NUMERIC, default="—")
    enps = tables.Column(verbose_name=_("eNPS"), attrs=NUMERIC, default="—")
    culture_index = tables.Column(verbose_name=_("Culture index"), attrs=NUMERIC, default="—")

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = _("No results to show: pulses show results once closed, for groups of enough answers.")

    def render_scope(self, value):
        return {"company": _("Company"), "department": _("Department"), "team": _("Team")}.get(value, value)

    def value_scope(self, value):
        return value

    def render_question_text(self, value):
        return value or _("All questions")

    def value_question_text(self, value):
        return value or "all"

    def render_response_rate(self, value):
        return _one_decimal(value)

    def value_response_rate(self, value):
        return _exported(value)

    def render_enps(self, value):
        return _one_decimal(value)

    def value_enps(self, value):
        return _exported(value)

    def render_culture_index(self, value):
        return _one_decimal(value)

    def value_culture_index(self, value):
        return _exported(value)
