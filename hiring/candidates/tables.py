"""Tables of candidates (each HTML `render_<col>` has a `value_<col>` twin for exports)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable, DateColumn, DateTimeColumn
from hiring.models import Candidate


class CandidateTable(BaseTable):
    name = tables.Column(linkify=True)
    email = tables.Column()
    application_count = tables.Column(verbose_name=_("Applications"), attrs=NUMERIC)
    has_consent = tables.BooleanColumn(verbose_name=_("Consent"))
    retain_until = DateColumn(format="Y-m-d")
    anonymised_at = DateTimeColumn(verbose_name=_("Anonymised"), format="Y-m-d", default="—")

    class Meta(BaseTable.Meta):
        model = Candidate
        fields = (
            "name",
            "email",
            "phone",
            "source",
            "application_count",
            "has_consent",
            "retain_until",
            "anonymised_at",
        )
